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
};

const int tbxd_schema_version =
	sizeof(tbxd_migrations) / sizeof(tbxd_migrations[0]);
