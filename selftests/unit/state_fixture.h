/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fresh tbxd state file in a scratch directory for each test of a store
 * (topo_store.c, usage_store.c): cmocka setup and teardown.
 */
#ifndef TBX_TEST_STATE_FIXTURE_H
#define TBX_TEST_STATE_FIXTURE_H

#include <stdio.h>

#include "state.h"
#include "tmpdir.h"

struct state_fixture {
	char dir[64], db[96];
	struct tbxd_state *st;
};

static int state_setup(void **state)
{
	static struct state_fixture f;

	if (tmpdir_make(f.dir, sizeof(f.dir), "tbxd-store-test"))
		return -1;
	snprintf(f.db, sizeof(f.db), "%s/tbxd.db", f.dir);
	if (tbxd_state_open(f.db, &f.st))
		return -1;
	*state = &f;
	return 0;
}

static int state_teardown(void **state)
{
	struct state_fixture *f = *state;

	tbxd_state_close(f->st);
	tmpdir_remove(f->dir);
	return 0;
}

#endif
