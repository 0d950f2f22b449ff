// SPDX-License-Identifier: GPL-2.0-or-later
/* The last completed UTC window of a usage level. */
#include <errno.h>
#include <time.h>

#include "usage/usage.h"

int tbx_usage_window(enum tbx_usage_level level, time_t now,
		     double *begin, double *end)
{
	struct tm tm, b;

	if (!gmtime_r(&now, &tm))
		return -EOVERFLOW;
	tm.tm_sec = 0;
	switch (level) {
	case TBX_USAGE_5MINUTES:
		tm.tm_min -= tm.tm_min % 5;
		*end = (double)timegm(&tm);
		*begin = *end - 5 * 60;
		return 0;
	case TBX_USAGE_HOUR:
		tm.tm_min = 0;
		*end = (double)timegm(&tm);
		*begin = *end - 3600;
		return 0;
	case TBX_USAGE_DAY:
		tm.tm_min = tm.tm_hour = 0;
		*end = (double)timegm(&tm);
		*begin = *end - 86400;	/* UTC has no daylight saving */
		return 0;
	case TBX_USAGE_MONTH:
		tm.tm_min = tm.tm_hour = 0;
		tm.tm_mday = 1;
		b = tm;
		/* timegm() normalises month -1 to December of the year before. */
		b.tm_mon--;
		*end = (double)timegm(&tm);
		*begin = (double)timegm(&b);
		return 0;
	case TBX_USAGE_YEAR:
		tm.tm_min = tm.tm_hour = tm.tm_mon = 0;
		tm.tm_mday = 1;
		b = tm;
		b.tm_year--;
		*end = (double)timegm(&tm);
		*begin = (double)timegm(&b);
		return 0;
	default:
		return -EINVAL;
	}
}
