// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Usage records in tbxd's SQLite state (user/tbxd/usage_store.c), with
 * readings and clocks made up so every record can be worked out by hand:
 * an element accounted from 12:58:30 UTC, read every minute; the first
 * completed 5-minute window is rolled up once, clamped to when accounting
 * began, and the hour with it; levels above are not made before the
 * object existed; the counters' first reading is a base and a drop a
 * reset; each level keeps its count; the filters and shapes of what the
 * API answers.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "err.h"
#include "state_fixture.h"
#include "usage_store.h"

#define T0	1796648310.0	/* 2026-12-07T12:58:30Z */
#define AT(min)	(T0 + 60.0 * (min))

/* Reading k of "lab/h1": CPU counter 2k s, memory 100k B, traffic 1000k B. */
static void read_k(struct state_fixture *f, int k)
{
	struct usage_reading r = {
		.begin = AT(k), .end = AT(k) + 0.01,
		.has_cputime = true, .cputime = 2.0 * k,
		.has_traffic = true, .traffic = 1000.0 * k,
		.memory = 100.0 * k, .diskspace = 0,
	};

	assert_int_equal(usage_store_account(f->st, USAGE_ELEMENT, "lab/h1", &r,
					     (time_t)AT(k)), 0);
}

static json_t *level_of(struct state_fixture *f, const char *level)
{
	json_t *info, *list;

	assert_int_equal(usage_store_info(f->st, USAGE_ELEMENT, "lab/h1",
					  tbx_usage_level_of(level), 0, 0, &info), 0);
	assert_true(json_is_array(info));
	list = json_incref(info);
	json_decref(info);
	return list;
}

static double num(json_t *rec, const char *key)
{
	json_t *v = json_object_get(rec, key);

	if (!v)
		v = json_object_get(json_object_get(rec, "usage"), key);
	assert_non_null(v);
	return json_number_value(v);
}

static void rollups(void **state)
{
	struct state_fixture *f = *state;
	json_t *l, *r;

	/* 12:58:30 and 12:59:30: nothing complete yet. */
	read_k(f, 0);
	read_k(f, 1);
	l = level_of(f, "5minutes");
	assert_int_equal(json_array_size(l), 0);
	json_decref(l);

	/* 13:00:30: 12:55-13:00, begun at 12:58:30, from readings 0 and 1. */
	read_k(f, 2);
	l = level_of(f, "5minutes");
	assert_int_equal(json_array_size(l), 1);
	r = json_array_get(l, 0);
	assert_true(num(r, "begin") == T0);
	assert_true(num(r, "end") == 1796648400.0);
	assert_int_equal((int)num(r, "measurements"), 2);
	assert_true(num(r, "cputime") == 2.0);		/* 0 (base) + 2 */
	assert_true(num(r, "traffic") == 1000.0);
	assert_true(num(r, "memory") == 50.0);		/* (0 + 100) / 2 */
	json_decref(l);
	/* The hour 12:00-13:00, from that one 5-minute record. */
	l = level_of(f, "hour");
	assert_int_equal(json_array_size(l), 1);
	r = json_array_get(l, 0);
	assert_true(num(r, "begin") == T0);
	assert_true(num(r, "end") == 1796648400.0);
	assert_int_equal((int)num(r, "measurements"), 2);
	assert_true(num(r, "cputime") == 2.0);
	json_decref(l);
	/* The day before began before the object: not made. */
	l = level_of(f, "day");
	assert_int_equal(json_array_size(l), 0);
	json_decref(l);

	/* 13:01:30 to 13:04:30: the window is made once, not again. */
	for (int k = 3; k <= 6; k++)
		read_k(f, k);
	l = level_of(f, "5minutes");
	assert_int_equal(json_array_size(l), 1);
	json_decref(l);

	/* 13:05:30: 13:00-13:05 from readings 2..6 (13:00:30..13:04:30). */
	read_k(f, 7);
	l = level_of(f, "5minutes");
	assert_int_equal(json_array_size(l), 2);
	r = json_array_get(l, 1);
	assert_true(num(r, "begin") == 1796648400.0);
	assert_true(num(r, "end") == 1796648700.0);
	assert_int_equal((int)num(r, "measurements"), 5);
	assert_true(num(r, "cputime") == 10.0);
	assert_true(num(r, "traffic") == 5000.0);
	assert_true(num(r, "memory") == 400.0);	/* mean of 200..600 */
	json_decref(l);
	l = level_of(f, "hour");
	assert_int_equal(json_array_size(l), 1);
	json_decref(l);
	l = level_of(f, "single");
	assert_int_equal(json_array_size(l), 8);
	assert_true(num(json_array_get(l, 0), "cputime") == 0.0);	/* the base */
	assert_true(num(json_array_get(l, 7), "cputime") == 2.0);
	json_decref(l);
}

static void counters_and_keep(void **state)
{
	struct state_fixture *f = *state;
	struct usage_reading r = { .has_cputime = true, .has_traffic = false };
	json_t *l;

	for (int k = 0; k < 20; k++) {
		r.begin = AT(k);
		r.end = AT(k) + 0.5;
		/* A counter that resets to 1 at reading 10. */
		r.cputime = k < 10 ? 10.0 * k : (double)(k - 9);
		assert_int_equal(usage_store_account(f->st, USAGE_INJECTED, "runs", &r,
						     (time_t)AT(k)), 0);
	}
	assert_int_equal(usage_store_info(f->st, USAGE_INJECTED, "runs",
					  TBX_USAGE_SINGLE, 0, 0, &l), 0);
	/* 15 kept, the newest: readings 5..19. */
	assert_int_equal(json_array_size(l), 15);
	assert_true(num(json_array_get(l, 0), "begin") == AT(5));
	assert_true(num(json_array_get(l, 4), "cputime") == 10.0);	/* 9: 90-80 */
	assert_true(num(json_array_get(l, 5), "cputime") == 1.0);	/* 10: reset */
	assert_true(num(json_array_get(l, 6), "cputime") == 1.0);	/* 11: 2-1 */
	/* A counter never read stays 0. */
	assert_true(num(json_array_get(l, 6), "traffic") == 0.0);
	json_decref(l);

	/* after: records ending at or after; before: beginning at or before. */
	assert_int_equal(usage_store_info(f->st, USAGE_INJECTED, "runs",
					  TBX_USAGE_SINGLE, AT(18), AT(18) + 1, &l), 0);
	assert_int_equal(json_array_size(l), 1);
	assert_true(num(json_array_get(l, 0), "begin") == AT(18));
	json_decref(l);
}

static void shapes_and_forget(void **state)
{
	struct state_fixture *f = *state;
	struct usage_reading r = { .begin = T0, .end = T0 + 1, .memory = 7 };
	json_t *all, *names, *info, *lv;
	const char *key;

	assert_int_equal(usage_store_account(f->st, USAGE_ELEMENT, "lab/h1", &r, (time_t)T0), 0);
	assert_int_equal(usage_store_account(f->st, USAGE_CONNECTION,
					     "lab/h1:eth1--h2:eth1", &r, (time_t)T0), 0);
	assert_int_equal(usage_store_all(f->st, -1, 0, 0, &all), 0);
	assert_int_equal(json_object_size(all), 3);
	info = json_object_get(json_object_get(all, "elements"), "lab/h1");
	/* Without a level: every level's list, empty ones too. */
	assert_int_equal(json_object_size(info), TBX_USAGE_LEVELS);
	json_object_foreach(info, key, lv)
		assert_int_equal(json_array_size(lv), !strcmp(key, "single"));
	assert_non_null(json_object_get(json_object_get(all, "connections"),
					"lab/h1:eth1--h2:eth1"));
	assert_int_equal(json_object_size(json_object_get(all, "injected")), 0);
	json_decref(all);

	assert_int_equal(usage_store_info(f->st, USAGE_ELEMENT, "lab/h2", -1, 0, 0, &info),
			 -ENOENT);
	assert_non_null(strstr(tbx_errmsg(), "lab/h2"));
	/* Kinds are apart: the connection's name is no element. */
	assert_int_equal(usage_store_info(f->st, USAGE_ELEMENT, "lab/h1:eth1--h2:eth1",
					  -1, 0, 0, &info), -ENOENT);

	assert_int_equal(usage_store_names(f->st, USAGE_ELEMENT, &names), 0);
	assert_int_equal(json_array_size(names), 1);
	json_decref(names);
	assert_int_equal(usage_store_forget(f->st, USAGE_ELEMENT, "lab/h1"), 0);
	assert_int_equal(usage_store_info(f->st, USAGE_ELEMENT, "lab/h1", -1, 0, 0, &info),
			 -ENOENT);
	assert_int_equal(usage_store_all(f->st, TBX_USAGE_SINGLE, 0, 0, &all), 0);
	assert_int_equal(json_object_size(json_object_get(all, "elements")), 0);
	/* With a level: the list itself. */
	assert_true(json_is_array(json_object_get(json_object_get(all, "connections"),
						  "lab/h1:eth1--h2:eth1")));
	json_decref(all);
	assert_int_equal(usage_store_account(f->st, USAGE_KINDS, "x", &r, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(rollups, state_setup, state_teardown),
		cmocka_unit_test_setup_teardown(counters_and_keep, state_setup, state_teardown),
		cmocka_unit_test_setup_teardown(shapes_and_forget, state_setup, state_teardown),
	};

	return cmocka_run_group_tests_name("tbxd usage store", tests, NULL, NULL);
}
