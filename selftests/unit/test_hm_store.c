// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The hostmanager's rows: written and read back whole, every read filtered
 * by owner (another owner's row is missing, -ENOENT), children, the
 * connection an element is in, and the elements whose timeout has passed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hm_store.h"
#include "state_fixture.h"

static int64_t put(struct tbxd_state *st, const char *owner, const char *type,
		   int64_t parent, double timeout)
{
	struct hm_obj o = { .parent = parent, .timeout = timeout };

	snprintf(o.owner, sizeof(o.owner), "%s", owner);
	snprintf(o.type, sizeof(o.type), "%s", type);
	snprintf(o.state, sizeof(o.state), "created");
	o.attrs = json_pack("{s:i}", "ram", 64);
	assert_int_equal(hm_store_put(st, &o), 0);
	assert_true(o.id > 0);
	hm_obj_release(&o);
	return o.id;
}

static void rows(void **state)
{
	struct state_fixture *f = *state;
	int64_t h = put(f->st, "alice", "netns", 0, 5000);
	int64_t i1 = put(f->st, "alice", "netns_interface", h, 5000);
	int64_t i2 = put(f->st, "alice", "netns_interface", h, 5000);
	int64_t b = put(f->st, "bob", "netns", 0, 100);
	struct hm_obj o, k = { .connection = true, .el = { i1, i2 } };
	int64_t *ids, con;
	size_t n;

	assert_int_equal(hm_store_get(f->st, false, "alice", h, &o), 0);
	assert_string_equal(o.type, "netns");
	assert_string_equal(o.owner, "alice");
	assert_int_equal(o.parent, 0);
	assert_true(o.timeout == 5000);
	assert_int_equal(json_integer_value(json_object_get(o.attrs, "ram")), 64);
	/* a change is kept */
	snprintf(o.state, sizeof(o.state), "prepared");
	json_object_set_new(o.attrs, "cpus", json_real(0.5));
	assert_int_equal(hm_store_put(f->st, &o), 0);
	hm_obj_release(&o);
	assert_int_equal(hm_store_get(f->st, false, NULL, h, &o), 0);
	assert_string_equal(o.state, "prepared");
	assert_true(json_real_value(json_object_get(o.attrs, "cpus")) == 0.5);
	hm_obj_release(&o);

	/* owners */
	assert_int_equal(hm_store_get(f->st, false, "bob", h, &o), -ENOENT);
	assert_int_equal(hm_store_get(f->st, false, "alice", 999, &o), -ENOENT);
	assert_int_equal(hm_store_ids(f->st, false, "bob", NULL, &ids, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], b);
	free(ids);
	assert_int_equal(hm_store_ids(f->st, false, "alice", "netns_interface", &ids, &n), 0);
	assert_int_equal(n, 2);
	free(ids);
	assert_int_equal(hm_store_children(f->st, h, &ids, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], i1);
	assert_int_equal(ids[1], i2);
	free(ids);

	/* a connection */
	snprintf(k.owner, sizeof(k.owner), "alice");
	snprintf(k.type, sizeof(k.type), "bridge");
	snprintf(k.state, sizeof(k.state), "created");
	k.attrs = json_object();
	assert_int_equal(hm_store_put(f->st, &k), 0);
	assert_int_equal(hm_store_connection_of(f->st, i2, &con), 0);
	assert_int_equal(con, k.id);
	assert_int_equal(hm_store_connection_of(f->st, h, &con), 0);
	assert_int_equal(con, 0);
	assert_int_equal(hm_store_get(f->st, true, "bob", k.id, &o), -ENOENT);
	assert_int_equal(hm_store_get(f->st, true, "alice", k.id, &o), 0);
	assert_int_equal(o.el[0], i1);
	assert_int_equal(o.el[1], i2);
	hm_obj_release(&o);
	hm_obj_release(&k);

	/* timeouts: top-level elements only, children go with them */
	assert_int_equal(hm_store_expired(f->st, 5000, &ids, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], h);
	assert_int_equal(ids[1], b);
	free(ids);
	assert_int_equal(hm_store_expired(f->st, 4999, &ids, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], b);
	free(ids);

	assert_int_equal(hm_store_del(f->st, true, k.id), 0);
	assert_int_equal(hm_store_connection_of(f->st, i2, &con), 0);
	assert_int_equal(con, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(rows, state_setup, state_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
