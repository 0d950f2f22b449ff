// SPDX-License-Identifier: GPL-2.0-or-later
/* Run-event logs and resource-usage CSVs of emulations. */
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "emu_log.h"
#include "err.h"
#include "log.h"
#include "loop.h"

struct emu_usage {
	struct tbxd_timer *timer;
	char name[64];
	char path[4096];
	int64_t start_ns, end_ns;
	bool over;
	/* The previous /proc/stat sample, for CPU %. */
	uint64_t busy, total;
	bool have_cpu;
};

static int64_t real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void utc_stamp(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (int)(ts.tv_nsec / 1000000 % 1000));
}

int emu_log_dir(const char *state_dir, const char *name, int make,
		char *buf, size_t len)
{
	snprintf(buf, len, "%s/emulations", state_dir);
	if (make && mkdir(buf, 0750) < 0 && errno != EEXIST)
		return tbx_err(errno, "%s: %m", buf);
	snprintf(buf, len, "%s/emulations/%s", state_dir, name);
	if (make && mkdir(buf, 0750) < 0 && errno != EEXIST)
		return tbx_err(errno, "%s: %m", buf);
	return 0;
}

void emu_log_run(const char *state_dir, const char *name, const char *fmt, ...)
{
	char dir[4096], path[4200], line[1024], ts[80];
	va_list ap;
	FILE *f;

	if (emu_log_dir(state_dir, name, 1, dir, sizeof(dir))) {
		tbxd_log("emulation %s: run log: %s", name, tbx_errmsg());
		return;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, EMU_LOG_RUNS);
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	utc_stamp(ts, sizeof(ts));
	f = fopen(path, "ae");
	if (!f) {
		tbxd_log("emulation %s: run log %s: %m", name, path);
		return;
	}
	fprintf(f, "%s %s\n", ts, line);
	fclose(f);
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	remove(path);
	return 0;
}

void emu_log_remove(const char *state_dir, const char *name)
{
	char dir[4096];

	emu_log_dir(state_dir, name, 0, dir, sizeof(dir));
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* "cpu  user nice system idle iowait irq softirq steal ...". */
static bool read_cpu(uint64_t *busy, uint64_t *total)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "re");
	int n;

	if (!f)
		return false;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
		   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n < 4)
		return false;
	*total = 0;
	for (int i = 0; i < 8; i++)
		*total += v[i];
	*busy = *total - v[3] - v[4];
	return true;
}

/* The value of "key" in a "key value" or "key: value kB" file. */
static uint64_t read_key(const char *path, const char *key)
{
	char line[256];
	size_t n = strlen(key);
	uint64_t v = 0;
	FILE *f = fopen(path, "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && (line[n] == ' ' || line[n] == ':')) {
			v = strtoull(line + n + 1 + strspn(line + n + 1, " :"), NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* Bytes received and sent by every device but lo, in tbxd's netns. */
static void read_net(uint64_t *rx, uint64_t *tx)
{
	char line[512], dev[64];
	unsigned long long r, t, skip;
	FILE *f = fopen("/proc/net/dev", "re");

	*rx = *tx = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!colon)
			continue;
		*colon = ' ';
		if (sscanf(line, "%63s %llu %llu %llu %llu %llu %llu %llu %llu %llu",
			   dev, &r, &skip, &skip, &skip, &skip, &skip, &skip, &skip,
			   &t) == 10 && strcmp(dev, "lo")) {
			*rx += r;
			*tx += t;
		}
	}
	fclose(f);
}

static void sample(struct emu_usage *u)
{
	uint64_t busy = 0, total = 0, rx, tx;
	double cpu = -1;
	char ts[80];
	FILE *f;
	bool fresh;

	if (read_cpu(&busy, &total)) {
		if (u->have_cpu && total > u->total)
			cpu = 100.0 * (busy - u->busy) / (total - u->total);
		u->busy = busy;
		u->total = total;
		u->have_cpu = true;
	}
	read_net(&rx, &tx);
	utc_stamp(ts, sizeof(ts));
	f = fopen(u->path, "ae");
	if (!f) {
		tbxd_log("emulation %s: %s: %m", u->name, u->path);
		return;
	}
	fresh = ftell(f) == 0;
	if (fresh)
		fprintf(f, "time,elapsed_s,cpu_pct,mem_total_kib,mem_used_kib,"
			   "io_read_kib,io_write_kib,net_rx_bytes,net_tx_bytes\n");
	{
		uint64_t mt = read_key("/proc/meminfo", "MemTotal");
		uint64_t ma = read_key("/proc/meminfo", "MemAvailable");

		fprintf(f, "%s,%.3f,", ts, (real_ns() - u->start_ns) / 1e9);
		if (cpu >= 0)
			fprintf(f, "%.1f", cpu);
		fprintf(f, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n",
			mt, mt > ma ? mt - ma : 0,
			read_key("/proc/vmstat", "pgpgin"),
			read_key("/proc/vmstat", "pgpgout"), rx, tx);
	}
	fclose(f);
}

static void on_tick(struct tbxd_timer *t, uint64_t expirations, void *arg)
{
	struct emu_usage *u = arg;

	sample(u);
	if (real_ns() >= u->end_ns) {
		u->over = true;
		tbxd_timer_arm(u->timer, 0, 0, 0);
	}
}

int emu_usage_start(struct tbxd_loop *loop, const char *state_dir,
		    const char *name, int64_t start_ns, double duration,
		    double freq, struct emu_usage **out)
{
	struct emu_usage *u;
	int64_t now = real_ns(), first;
	uint64_t period = (uint64_t)(freq * 1e9);
	char dir[3900];
	int err;

	if (period < 100000000ULL)	/* 0.1 s: reading /proc costs too */
		period = 100000000ULL;
	err = emu_log_dir(state_dir, name, 1, dir, sizeof(dir));
	if (err)
		return err;
	u = calloc(1, sizeof(*u));
	if (!u)
		return tbx_err(ENOMEM, "out of memory");
	snprintf(u->name, sizeof(u->name), "%s", name);
	snprintf(u->path, sizeof(u->path), "%s/%s", dir, EMU_LOG_USAGE);
	u->start_ns = start_ns;
	u->end_ns = start_ns + (int64_t)(duration * 1e9);
	err = tbxd_timer_new(loop, on_tick, u, &u->timer);
	if (err) {
		free(u);
		return err;
	}
	/* A baseline for CPU % now; the first line at the start. */
	read_cpu(&u->busy, &u->total);
	u->have_cpu = true;
	first = start_ns > now ? start_ns - now : 1;
	if (now >= u->end_ns)
		u->over = true;
	else
		err = tbxd_timer_arm(u->timer, first, period, 0);
	if (err) {
		emu_usage_free(u);
		return err;
	}
	*out = u;
	return 0;
}

const char *emu_usage_name(const struct emu_usage *u)
{
	return u->name;
}

int emu_usage_over(const struct emu_usage *u)
{
	return u->over;
}

void emu_usage_free(struct emu_usage *u)
{
	if (!u)
		return;
	tbxd_timer_free(u->timer);
	free(u);
}
