/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Usage accounting with ToMaTo's hostmanager rules (Documentation/
 * accounting.md): every interval each element and connection gets a
 * "single" record; single records roll up into 5minutes, hour, day, month
 * and year records over aligned UTC windows. The arithmetic lives here,
 * apart from SQLite (tbxd's usage_store.c) and the kernel (usage_sample.c),
 * so tests can check it against hand-computed windows.
 */
#ifndef TBX_USAGE_H
#define TBX_USAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum tbx_usage_level {
	TBX_USAGE_SINGLE,
	TBX_USAGE_5MINUTES,
	TBX_USAGE_HOUR,
	TBX_USAGE_DAY,
	TBX_USAGE_MONTH,
	TBX_USAGE_YEAR,
	TBX_USAGE_LEVELS
};

/* What one record says: cputime in CPU seconds, the rest in bytes. */
struct tbx_usage {
	double cputime, memory, diskspace, traffic;
};

struct tbx_usage_record {
	enum tbx_usage_level level;
	double begin, end;		/* Unix time, seconds */
	int64_t measurements;
	struct tbx_usage usage;
};

/* "single", "5minutes", ... as ToMaTo names them; NULL out of range. */
const char *tbx_usage_level_name(enum tbx_usage_level level);
/* The level named @name, or -1. */
int tbx_usage_level_of(const char *name);
/* Records kept per level (ToMaTo's KEEP_RECORDS: 15, 12, 24, 30, 12, 5). */
unsigned int tbx_usage_level_keep(enum tbx_usage_level level);

/*
 * The last completed window of @level (not single) at Unix time @now,
 * in UTC: [begin, end). 5minutes ends at the last multiple of 5 minutes,
 * hour and day at the last hour or midnight, month on the 1st, year on
 * 1 January; each begins one such unit earlier.
 */
int tbx_usage_window(enum tbx_usage_level level, time_t now,
		     double *begin, double *end);

/*
 * A counter's (cputime, traffic) contribution to a record. The first
 * reading only sets the base (*has_last false: 0); a reading below the
 * last means the counter was reset, and counts whole. *last and
 * *has_last take the reading.
 */
double tbx_usage_counter(double reading, double *last, bool *has_last);

/*
 * Combines records into one: cputime and traffic summed, memory and
 * diskspace averaged weighted by each record's measurements, measurements
 * summed. No measurements: all zero.
 */
void tbx_usage_combine(const struct tbx_usage_record *recs, size_t n,
		       struct tbx_usage *out, int64_t *measurements);

#endif
