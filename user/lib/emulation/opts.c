// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The machine facts and the seed a plan may be made with, by name, for
 * the CLI's dry run (--cpus N --mem MB --mem-used MB --seed N) and
 * tbxd's (?cpus=&mem=&mem_used=&seed=): one parser, one set of bounds.
 */
#include <errno.h>
#include <string.h>

#include "emulation.h"
#include "err.h"
#include "parse.h"

int emu_opts_set(struct emu_parse_opts *o, const char *name, const char *value)
{
	uint64_t v;

	if (tbx_parse_decimal(value, 1, &v))
		return tbx_err(EINVAL, "%s \"%s\": not a whole number", name, value);
	if (!strcmp(name, "cpus")) {
		if (v < 1 || v > 65536)
			return tbx_err(EINVAL, "cpus %s: 1 to 65536", value);
		o->ncpus = (unsigned int)v;
	} else if (!strcmp(name, "mem")) {
		if (v < 1 || v > (1ULL << 30))
			return tbx_err(EINVAL, "mem %s: 1 to 2^30 MiB", value);
		o->mem_bytes = v << 20;
	} else if (!strcmp(name, "mem_used") || !strcmp(name, "mem-used")) {
		if (v > (1ULL << 30))
			return tbx_err(EINVAL, "mem-used %s: 0 to 2^30 MiB", value);
		o->mem_used_set = true;
		o->mem_used_bytes = v << 20;
	} else if (!strcmp(name, "seed")) {
		if (v > 4294967295ULL)
			return tbx_err(EINVAL, "seed %s: 0 to 4294967295", value);
		o->seed_set = true;
		o->seed = v;
	} else {
		return tbx_err(EINVAL, "\"%s\" is not cpus, mem, mem-used or seed", name);
	}
	return 0;
}
