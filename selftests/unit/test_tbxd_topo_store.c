// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Topologies in tbxd's SQLite state (user/tbxd/topo_store.c): a file
 * recorded again replaces the last one under the same id, node and link
 * rows are upserted by their key and read back in order, and forgetting a
 * topology takes its rows with it.
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
#include "topo_store.h"

static int64_t count(struct tbxd_state *st, const char *table)
{
	char sql[64];
	sqlite3_stmt *s;
	int64_t n = -1;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	if (tbxd_sql_prep(st, sql, &s))
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

static void records(void **state)
{
	struct state_fixture *f = *state;
	struct topo_node_rec h1 = { .name = "h1", .kind = "linux", .cpu_max_us = 50000,
				     .memory_max = 0, .state = "creating" };
	struct topo_node_rec sw = { .name = "sw", .kind = "bridge", .cpu_max_us = 0,
				     .memory_max = 0, .state = "up" };
	struct topo_link_rec l = {
		.node = { "h1", "sw" }, .ifname = { "eth1", "p1" },
		.egress = { "delay 20ms", "" }, .state = "creating",
	};
	struct topo_rec *r;
	int64_t id, id2;
	json_t *names;

	assert_int_equal(topo_store_get(f->st, "lab", &r), -ENOENT);
	assert_string_equal(tbx_errmsg(), "no topology lab");
	assert_int_equal(topo_store_begin(f->st, "lab", "/a/lab.yaml", "name: lab\n", &id), 0);
	assert_int_equal(topo_store_node_put(f->st, id, &h1), 0);
	assert_int_equal(topo_store_node_put(f->st, id, &sw), 0);
	assert_int_equal(topo_store_link_put(f->st, id, &l), 0);
	/* The same keys again: updated in place, not added. */
	snprintf(h1.state, sizeof(h1.state), "up");
	h1.memory_max = 1 << 20;
	snprintf(h1.io_max, sizeof(h1.io_max), "/dev/vda rbps=1048576");
	assert_int_equal(topo_store_node_put(f->st, id, &h1), 0);
	snprintf(l.egress[1], sizeof(l.egress[1]), "loss 1%%");
	snprintf(l.state, sizeof(l.state), "up");
	assert_int_equal(topo_store_link_put(f->st, id, &l), 0);
	assert_int_equal(topo_store_set_state(f->st, id, "up", NULL), 0);

	assert_int_equal(topo_store_get(f->st, "lab", &r), 0);
	assert_int_equal(r->id, id);
	assert_string_equal(r->file, "/a/lab.yaml");
	assert_string_equal(r->yaml, "name: lab\n");
	assert_string_equal(r->state, "up");
	assert_int_equal(r->n_nodes, 2);
	assert_string_equal(r->nodes[0].name, "h1");
	assert_string_equal(r->nodes[0].state, "up");
	assert_int_equal(r->nodes[0].cpu_max_us, 50000);
	assert_int_equal(r->nodes[0].memory_max, 1 << 20);
	assert_string_equal(r->nodes[0].io_max, "/dev/vda rbps=1048576");
	assert_string_equal(r->nodes[1].io_max, "");
	assert_string_equal(r->nodes[1].kind, "bridge");
	assert_int_equal(r->n_links, 1);
	assert_string_equal(r->links[0].ifname[1], "p1");
	assert_string_equal(r->links[0].egress[0], "delay 20ms");
	assert_string_equal(r->links[0].egress[1], "loss 1%");
	topo_rec_free(r);

	/* A new file for the same name: the same id, state building again. */
	assert_int_equal(topo_store_begin(f->st, "lab", "/b/lab.yaml", "name: lab\n#2\n", &id2), 0);
	assert_int_equal(id2, id);
	assert_int_equal(topo_store_get(f->st, "lab", &r), 0);
	assert_string_equal(r->file, "/b/lab.yaml");
	assert_string_equal(r->state, "building");
	assert_int_equal(r->n_nodes, 2);
	topo_rec_free(r);
	assert_int_equal(topo_store_set_state(f->st, id, "failed", "node h1: no"), 0);
	assert_int_equal(topo_store_get(f->st, "lab", &r), 0);
	assert_string_equal(r->message, "node h1: no");
	topo_rec_free(r);

	assert_int_equal(topo_store_begin(f->st, "other", "/o.yaml", "x", &id2), 0);
	assert_int_equal(topo_store_names(f->st, &names), 0);
	assert_int_equal(json_array_size(names), 2);
	assert_string_equal(json_string_value(json_array_get(names, 0)), "lab");
	json_decref(names);

	assert_int_equal(topo_store_node_del(f->st, id, "sw"), 0);
	assert_int_equal(topo_store_link_del(f->st, id, "h1", "eth1"), 0);
	assert_int_equal(count(f->st, "topology_nodes"), 1);
	assert_int_equal(count(f->st, "topology_links"), 0);
	assert_int_equal(topo_store_link_put(f->st, id, &l), 0);
	/* Forgetting the topology takes its rows (ON DELETE CASCADE). */
	assert_int_equal(topo_store_delete(f->st, id), 0);
	assert_int_equal(count(f->st, "topology_nodes"), 0);
	assert_int_equal(count(f->st, "topology_links"), 0);
	assert_int_equal(count(f->st, "topologies"), 1);
}

/* "tbx-a-b-c" is topology a's node b-c, and would be topology a-b's node c. */
static void netns_owner(void **state)
{
	struct state_fixture *f = *state;
	struct topo_node_rec bc = { .name = "b-c", .kind = "linux", .cpu_max_us = 0,
				     .memory_max = 0, .state = "up" };
	int64_t a, ab;
	char owner[96];
	bool found;

	assert_int_equal(topo_store_begin(f->st, "a", "/a.yaml", "x", &a), 0);
	assert_int_equal(topo_store_node_put(f->st, a, &bc), 0);
	assert_int_equal(topo_store_begin(f->st, "a-b", "/ab.yaml", "x", &ab), 0);
	assert_int_equal(topo_store_netns_owner(f->st, ab, "tbx-a-b-c", &found, owner,
						sizeof(owner)), 0);
	assert_true(found);
	assert_string_equal(owner, "a's node b-c");
	/* Its own nodes are not another's. */
	assert_int_equal(topo_store_netns_owner(f->st, a, "tbx-a-b-c", &found, owner,
						sizeof(owner)), 0);
	assert_false(found);
	assert_int_equal(topo_store_netns_owner(f->st, ab, "tbx-a-b-d", &found, owner,
						sizeof(owner)), 0);
	assert_false(found);
}

static void refused_rows(void **state)
{
	struct state_fixture *f = *state;
	struct topo_node_rec bad = { .name = "x", .kind = "vm", .cpu_max_us = 0,
				     .memory_max = 0, .state = "up" };
	struct topo_node_rec orphan = { .name = "y", .kind = "linux", .cpu_max_us = 0,
				     .memory_max = 0, .state = "up" };
	int64_t id;

	assert_int_equal(topo_store_begin(f->st, "chk", "/c.yaml", "x", &id), 0);
	/* The schema's CHECKs and foreign keys hold whatever a caller sends. */
	assert_true(topo_store_node_put(f->st, id, &bad) < 0);
	assert_non_null(strstr(tbx_errmsg(), "record topology node"));
	assert_true(topo_store_node_put(f->st, id + 1000, &orphan) < 0);
	assert_true(topo_store_set_state(f->st, id, "sideways", NULL) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(records, state_setup, state_teardown),
		cmocka_unit_test_setup_teardown(netns_owner, state_setup, state_teardown),
		cmocka_unit_test_setup_teardown(refused_rows, state_setup, state_teardown),
	};

	return cmocka_run_group_tests_name("tbxd topology store", tests, NULL, NULL);
}
