// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The state file's schema, as the ordered list of changes that build it.
 * Append only: a released migration never changes, since files already
 * migrated by it would not see the change.
 */
#include "state.h"

const struct tbxd_migration tbxd_migrations[] = {
	{
		.name = "daemon_starts",
		.sql =
		"CREATE TABLE daemon_starts ("
		"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
		"  started_at TEXT NOT NULL,"	/* ISO 8601, UTC */
		"  pid INTEGER NOT NULL,"
		"  version TEXT NOT NULL"
		");",
	},
	{
		/* Emulations (COCOMA XML) and the runs their plan computed;
		 * the scheduler's whole memory across restarts (emu_store.c).
		 */
		.name = "emulations",
		.sql =
		"CREATE TABLE emulations ("
		"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
		"  name TEXT NOT NULL UNIQUE,"
		"  xml TEXT NOT NULL,"
		"  plan TEXT NOT NULL,"		/* JSON */
		"  state TEXT NOT NULL CHECK (state IN"
		"    ('scheduled', 'running', 'finished')),"
		"  start_ns INTEGER NOT NULL,"	/* realtime ns of its t = 0 */
		"  duration REAL NOT NULL,"	/* s */
		"  log_enable INTEGER NOT NULL,"
		"  log_frequency REAL NOT NULL,"	/* s */
		"  created TEXT NOT NULL"		/* ISO 8601, UTC */
		");"
		"CREATE TABLE emulation_runs ("
		"  emulation INTEGER NOT NULL"
		"    REFERENCES emulations (id) ON DELETE CASCADE,"
		"  idx INTEGER NOT NULL,"
		"  start REAL NOT NULL,"		/* s after the emulation's start */
		"  duration REAL NOT NULL,"	/* s */
		"  due_ns INTEGER NOT NULL,"	/* realtime ns it is due */
		"  kind TEXT NOT NULL CHECK (kind IN ('cpu', 'mem', 'io', 'net')),"
		"  level REAL NOT NULL,"
		"  params TEXT NOT NULL,"		/* JSON: the emulator's arguments */
		"  state TEXT NOT NULL CHECK (state IN"
		"    ('pending', 'starting', 'running', 'executed', 'failed')),"
		"  message TEXT NOT NULL DEFAULT '',"
		"  kernel_id INTEGER,"		/* cpu, mem, net: the kernel run */
		"  started_ns INTEGER,"		/* when its load began */
		"  ended_ns INTEGER,"
		"  delay_ns INTEGER,"		/* started - due */
		"  PRIMARY KEY (emulation, idx)"
		");"
		"CREATE INDEX emulation_runs_due ON emulation_runs (state, due_ns);",
	},
	{
		/* Background tap sessions (tap_session.c): the request as
		 * given, where it pinned, and its counters once it ended.
		 */
		.name = "tap_sessions",
		.sql =
		"CREATE TABLE tap_sessions ("
		"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
		"  dev TEXT NOT NULL,"
		"  request TEXT NOT NULL,"		/* JSON, defaults filled in */
		"  state TEXT NOT NULL CHECK (state IN ('running', 'ended', 'failed')),"
		"  pin_dir TEXT NOT NULL,"
		"  pid INTEGER NOT NULL,"		/* the tbxd that ran it */
		"  started TEXT NOT NULL,"		/* ISO 8601, UTC */
		"  ended TEXT,"
		"  message TEXT NOT NULL DEFAULT '',"	/* why it ended */
		"  packets INTEGER, ipv4 INTEGER, ipv6 INTEGER, other INTEGER,"
		"  overflow INTEGER, late INTEGER, dos_lost INTEGER"
		");",
	},
	{
		/* Topologies (topology.c): the file as given, then each node
		 * and link, recorded before it is made in the kernel, so a
		 * restart finds what an interrupted `up` or `down` left.
		 */
		.name = "topologies",
		.sql =
		"CREATE TABLE topologies ("
		"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
		"  name TEXT NOT NULL UNIQUE,"
		"  file TEXT NOT NULL,"		/* the path it came from */
		"  yaml TEXT NOT NULL,"		/* its text */
		"  state TEXT NOT NULL CHECK (state IN ('building', 'up', 'failed', 'removing')),"
		"  message TEXT NOT NULL DEFAULT '',"
		"  created TEXT NOT NULL,"		/* ISO 8601, UTC */
		"  updated TEXT NOT NULL"
		");"
		"CREATE TABLE topology_nodes ("
		"  topology INTEGER NOT NULL REFERENCES topologies (id) ON DELETE CASCADE,"
		"  name TEXT NOT NULL,"
		"  kind TEXT NOT NULL CHECK (kind IN ('linux', 'bridge')),"
		"  cpu_max_us INTEGER NOT NULL,"	/* 0: no limit */
		"  memory_max INTEGER NOT NULL,"	/* bytes; 0: no limit */
		"  state TEXT NOT NULL CHECK (state IN ('creating', 'up')),"
		"  PRIMARY KEY (topology, name)"
		");"
		"CREATE TABLE topology_links ("
		"  topology INTEGER NOT NULL REFERENCES topologies (id) ON DELETE CASCADE,"
		"  a_node TEXT NOT NULL, a_if TEXT NOT NULL,"
		"  b_node TEXT NOT NULL, b_if TEXT NOT NULL,"
		"  a_egress TEXT NOT NULL,"		/* tc words; '' none */
		"  b_egress TEXT NOT NULL,"
		"  state TEXT NOT NULL CHECK (state IN ('creating', 'up')),"
		"  PRIMARY KEY (topology, a_node, a_if)"
		");",
	},
	{
		/* Usage accounting (usage_store.c), ToMaTo's records: an
		 * object per element, connection and the injected load,
		 * with its counters' last readings, and its records of
		 * every level.
		 */
		.name = "usage",
		.sql =
		"CREATE TABLE usage_objects ("
		"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
		"  kind TEXT NOT NULL CHECK (kind IN ('element', 'connection', 'injected')),"
		"  name TEXT NOT NULL,"
		"  begin REAL NOT NULL,"		/* Unix time accounting began */
		"  last_cputime REAL,"			/* NULL: not read yet */
		"  last_traffic REAL,"
		"  UNIQUE (kind, name)"
		");"
		"CREATE TABLE usage_records ("
		"  object INTEGER NOT NULL REFERENCES usage_objects (id) ON DELETE CASCADE,"
		"  level TEXT NOT NULL CHECK (level IN"
		"    ('single', '5minutes', 'hour', 'day', 'month', 'year')),"
		"  begin REAL NOT NULL, end REAL NOT NULL,"
		"  measurements INTEGER NOT NULL,"
		"  cputime REAL NOT NULL,"		/* CPU seconds */
		"  memory REAL NOT NULL,"		/* bytes */
		"  diskspace REAL NOT NULL,"
		"  traffic REAL NOT NULL"
		");"
		"CREATE INDEX usage_records_by_level ON usage_records (object, level, begin);",
	},
	{
		/* A node's io limits (topology/io.c's words; '' none). */
		.name = "topology node io",
		.sql =
		"ALTER TABLE topology_nodes ADD COLUMN io_max TEXT NOT NULL DEFAULT '';",
	},
	{
		/* The hostmanager API's elements and connections (hm_store.c),
		 * each row written before its kernel objects are made.
		 */
		.name = "hostmanager",
		.sql =
		"CREATE TABLE hm_elements ("
		"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
		"  owner TEXT NOT NULL,"		/* the client certificate's CN */
		"  type TEXT NOT NULL,"
		"  parent INTEGER REFERENCES hm_elements (id),"
		"  state TEXT NOT NULL,"
		"  timeout REAL NOT NULL,"		/* Unix time it is torn down */
		"  attrs TEXT NOT NULL"		/* JSON */
		");"
		"CREATE TABLE hm_connections ("
		"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
		"  owner TEXT NOT NULL,"
		"  type TEXT NOT NULL,"
		"  state TEXT NOT NULL,"
		"  el1 INTEGER NOT NULL REFERENCES hm_elements (id),"	/* the lower id */
		"  el2 INTEGER NOT NULL REFERENCES hm_elements (id),"
		"  attrs TEXT NOT NULL"
		");",
	},
};

const int tbxd_schema_version =
	sizeof(tbxd_migrations) / sizeof(tbxd_migrations[0]);
