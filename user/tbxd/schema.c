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
};

const int tbxd_schema_version =
	sizeof(tbxd_migrations) / sizeof(tbxd_migrations[0]);
