// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Recording a trace for real_trace: this host's CPU busy % (from
 * /proc/stat's "cpu" line: everything but idle and iowait) and memory in
 * use % (MemTotal - MemAvailable from /proc/meminfo), one sample per
 * interval, in the format COCOMA's recorder wrote.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "emulation.h"
#include "err.h"

struct cpu_times {
	uint64_t busy, total;
	unsigned int ncpus;
};

static int read_stat(const char *proc, struct cpu_times *t)
{
	char path[256], line[512];
	unsigned long long v[10] = { 0 };
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "%s/stat", proc);
	f = fopen(path, "re");
	if (!f)
		return tbx_err(errno, "%s: %s", path, strerror(errno));
	t->ncpus = 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "cpu ", 4))
			n = sscanf(line + 4, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
				   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
				   &v[8], &v[9]);
		else if (!strncmp(line, "cpu", 3) && line[3] >= '0' && line[3] <= '9')
			t->ncpus++;
	}
	fclose(f);
	if (n < 4)
		return tbx_err(EINVAL, "%s: no \"cpu\" line", path);
	/* guest and guest_nice (8, 9) are already in user and nice */
	t->total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
	t->busy = t->total - v[3] - v[4];
	if (!t->ncpus)
		t->ncpus = 1;
	return 0;
}

static int read_meminfo(const char *proc, uint64_t *total_kb, uint64_t *avail_kb)
{
	char path[256], line[256];
	unsigned long long v;
	FILE *f;

	snprintf(path, sizeof(path), "%s/meminfo", proc);
	f = fopen(path, "re");
	if (!f)
		return tbx_err(errno, "%s: %s", path, strerror(errno));
	*total_kb = *avail_kb = 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "MemTotal: %llu kB", &v) == 1)
			*total_kb = v;
		else if (sscanf(line, "MemAvailable: %llu kB", &v) == 1)
			*avail_kb = v;
	}
	fclose(f);
	if (!*total_kb)
		return tbx_err(EINVAL, "%s: no MemTotal", path);
	return 0;
}

static void add_ns(struct timespec *t, uint64_t ns)
{
	t->tv_sec += ns / 1000000000ULL;
	t->tv_nsec += ns % 1000000000ULL;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

int emu_record(FILE *f, const char *proc, double interval_s, unsigned int samples)
{
	struct cpu_times prev, now;
	struct timespec next, wall;
	uint64_t total_kb, avail_kb, step_ns;
	int err;

	if (!(interval_s >= 0.01 && interval_s <= 86400))
		return tbx_err(EINVAL, "interval %g s is not 0.01-86400 s", interval_s);
	if (!samples)
		return tbx_err(EINVAL, "at least one sample");
	if ((err = read_stat(proc, &prev)) || (err = read_meminfo(proc, &total_kb, &avail_kb)))
		return err;
	clock_gettime(CLOCK_REALTIME, &wall);
	fprintf(f, "NCPUS\t%u\nMEMTOTAL\t%" PRIu64 "\nTIMESTAMP\t%" PRIu64 "\nPOLLFR\t%g\nCPU%%\tMEMUSED%%\n",
		prev.ncpus, total_kb,
		(uint64_t)wall.tv_sec * 1000 + (uint64_t)wall.tv_nsec / 1000000, interval_s);
	step_ns = (uint64_t)(interval_s * 1e9);
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (unsigned int i = 0; i < samples; i++) {
		double cpu, mem;

		add_ns(&next, step_ns);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
		if ((err = read_stat(proc, &now)) ||
		    (err = read_meminfo(proc, &total_kb, &avail_kb)))
			return err;
		cpu = now.total > prev.total ?
		      100.0 * (double)(now.busy - prev.busy) / (double)(now.total - prev.total) : 0;
		if (cpu < 0)
			cpu = 0;
		if (cpu > 100)
			cpu = 100;
		mem = avail_kb <= total_kb ? 100.0 * (double)(total_kb - avail_kb) / (double)total_kb : 0;
		fprintf(f, "%.1f\t%.1f\n", cpu, mem);
		if (fflush(f) || ferror(f))
			return tbx_err(EIO, "writing the trace: %s", strerror(errno));
		prev = now;
	}
	return 0;
}
