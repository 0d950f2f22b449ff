// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * emu_plan_bench FILE [REPEATS]: plans FILE (parse, validate, compute the
 * runs) REPEATS times and prints "runs N plan_ms_median M plan_ms_min M".
 * For scripts/bench/emulation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "emulation/emulation.h"
#include "err.h"

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	struct emu_parse_opts o = { .force = true, .ncpus = 2, .mem_bytes = 8ULL << 30 };
	int n = argc > 2 ? atoi(argv[2]) : 11;
	double *ms;
	size_t runs = 0;

	if (argc < 2 || n < 1) {
		fprintf(stderr, "usage: emu_plan_bench FILE [REPEATS]\n");
		return 1;
	}
	ms = calloc(n, sizeof(*ms));
	for (int i = 0; i < n; i++) {
		struct emu_plan *p;
		double t0 = now_ms();

		if (emu_plan_file(argv[1], &o, &p)) {
			fprintf(stderr, "%s\n", tbx_errmsg());
			return 2;
		}
		ms[i] = now_ms() - t0;
		runs = p->n_runs;
		emu_plan_free(p);
	}
	qsort(ms, n, sizeof(*ms), cmp);
	printf("runs %zu plan_ms_median %.3f plan_ms_min %.3f\n", runs, ms[n / 2], ms[0]);
	free(ms);
	return 0;
}
