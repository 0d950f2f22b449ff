/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the benchmark helpers: one program's cost by BPF_PROG_TEST_RUN. */
#ifndef TBX_BENCH_PROG_H
#define TBX_BENCH_PROG_H

#include <stdio.h>
#include <stdlib.h>
#include <bpf/bpf.h>

/* Mean ns per run of the program @fd on the frame @data, @repeat times. */
static inline double bench_run_ns(int fd, const void *data, size_t len, int repeat)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = data, .data_size_in = len,
		    .repeat = repeat);

	if (bpf_prog_test_run_opts(fd, &o)) {
		perror("bpf_prog_test_run");
		exit(1);
	}
	return o.duration;
}

#endif
