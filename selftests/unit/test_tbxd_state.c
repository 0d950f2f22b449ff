// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tbxd's state file: migrations on a fresh file, reopening, and files it
 * must refuse without writing a byte to them.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "tmpdir.h"

#include "err.h"
#include "state.h"

struct fix {
	char dir[64];
	char db[128];
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	if (tmpdir_make(f->dir, sizeof(f->dir), "tbxd-state-test")) {
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof(f->db), "%s/tbxd.db", f->dir);
	*state = f;
	return 0;
}

/* Runs whether the test passed or not. */
static int teardown(void **state)
{
	struct fix *f = *state;

	tmpdir_remove(f->dir);
	free(f);
	return 0;
}

static bool exists(const char *dir, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static int64_t one_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *stmt;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

/* A database made behind tbxd's back, in rollback-journal mode. */
static void make_db(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static size_t slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, size);
	close(fd);
	assert_true(n >= 0);
	return n;
}

/* Opening path must fail with err, leaving it byte for byte as it was. */
static void assert_refused(struct fix *f, int err, const char *msg)
{
	static char before[1 << 16], after[1 << 16];
	struct tbxd_state *st = NULL;
	size_t n = slurp(f->db, before, sizeof(before));

	tbx_err_clear();
	assert_int_equal(tbxd_state_open(f->db, &st), err);
	assert_null(st);
	assert_non_null(strstr(tbx_errmsg(), msg));
	assert_non_null(strstr(tbx_errmsg(), f->db));
	assert_int_equal(slurp(f->db, after, sizeof(after)), n);
	assert_memory_equal(before, after, n);
	assert_false(exists(f->dir, "tbxd.db-wal"));
	assert_false(exists(f->dir, "tbxd.db-journal"));
}

static void test_fresh_file_is_migrated(void **state)
{
	struct fix *f = *state;
	struct tbxd_state *st;
	sqlite3_stmt *stmt;
	int64_t starts = 0;
	sqlite3 *db;

	assert_int_equal(tbxd_state_open(f->db, &st), 0);
	db = tbxd_state_db(st);
	assert_int_equal(tbxd_state_version(st), tbxd_schema_version);
	assert_int_equal(one_int(db, "SELECT version FROM schema_version"),
			 tbxd_schema_version);
	assert_int_equal(one_int(db, "SELECT count(*) FROM schema_version"), 1);
	assert_int_equal(one_int(db, "SELECT count(*) FROM sqlite_master"
				 " WHERE name = 'daemon_starts'"), 1);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1,
					    &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "wal");
	sqlite3_finalize(stmt);

	assert_int_equal(tbxd_state_record_start(st, "2024-01-02T03:04:05Z",
						 4242, "9.9.9", &starts), 0);
	assert_int_equal(starts, 1);
	tbxd_state_close(st);
}

static void test_reopen_keeps_data(void **state)
{
	struct fix *f = *state;
	struct tbxd_state *st;
	sqlite3_stmt *stmt;
	int64_t starts = 0;

	assert_int_equal(tbxd_state_open(f->db, &st), 0);
	assert_int_equal(tbxd_state_record_start(st, "2024-01-02T03:04:05Z",
						 4242, "9.9.9", &starts), 0);
	assert_int_equal(starts, 1);
	tbxd_state_close(st);

	assert_int_equal(tbxd_state_open(f->db, &st), 0);
	assert_int_equal(tbxd_state_version(st), tbxd_schema_version);
	assert_int_equal(tbxd_state_record_start(st, "2024-01-02T03:04:06Z",
						 4243, "9.9.9", &starts), 0);
	assert_int_equal(starts, 2);
	assert_int_equal(sqlite3_prepare_v2(tbxd_state_db(st),
		"SELECT started_at, pid, version FROM daemon_starts ORDER BY id",
		-1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 0),
			    "2024-01-02T03:04:05Z");
	assert_int_equal(sqlite3_column_int64(stmt, 1), 4242);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 2), "9.9.9");
	sqlite3_finalize(stmt);
	tbxd_state_close(st);
}

static void test_future_schema_refused(void **state)
{
	struct fix *f = *state;

	make_db(f->db, "CREATE TABLE schema_version (version INTEGER NOT NULL);"
		       "INSERT INTO schema_version VALUES (99);");
	assert_refused(f, -EPROTO, "schema version 99 is newer");
}

static void test_garbage_refused(void **state)
{
	struct fix *f = *state;
	char junk[8192];
	int fd;

	/* Deterministic junk, long enough to pass for a page or two. */
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 2654435761u >> 13);
	fd = open(f->db, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, junk, sizeof(junk)), sizeof(junk));
	close(fd);
	assert_refused(f, -EBADMSG, "not a database");
}

static void test_foreign_db_refused(void **state)
{
	struct fix *f = *state;

	make_db(f->db, "CREATE TABLE photos (id INTEGER);");
	assert_refused(f, -EBADMSG, "not a tbxd state file");
}

static void test_missing_dir_fails(void **state)
{
	struct fix *f = *state;
	struct tbxd_state *st = NULL;
	char path[192];

	snprintf(path, sizeof(path), "%s/nodir/tbxd.db", f->dir);
	assert_true(tbxd_state_open(path, &st) < 0);
	assert_null(st);
	assert_non_null(strstr(tbx_errmsg(), path));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fresh_file_is_migrated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_keeps_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_future_schema_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_db_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_dir_fails, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
