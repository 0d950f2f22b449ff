// SPDX-License-Identifier: GPL-2.0-or-later
/* Usage levels: their names and how many records of each are kept. */
#include <string.h>

#include "usage/usage.h"

static const struct {
	const char *name;
	unsigned int keep;
} levels[TBX_USAGE_LEVELS] = {
	[TBX_USAGE_SINGLE]	= { "single",	15 },
	[TBX_USAGE_5MINUTES]	= { "5minutes",	12 },
	[TBX_USAGE_HOUR]	= { "hour",	24 },
	[TBX_USAGE_DAY]		= { "day",	30 },
	[TBX_USAGE_MONTH]	= { "month",	12 },
	[TBX_USAGE_YEAR]	= { "year",	5 },
};

const char *tbx_usage_level_name(enum tbx_usage_level level)
{
	return (unsigned int)level < TBX_USAGE_LEVELS ? levels[level].name : NULL;
}

int tbx_usage_level_of(const char *name)
{
	for (int i = 0; name && i < TBX_USAGE_LEVELS; i++)
		if (!strcmp(levels[i].name, name))
			return i;
	return -1;
}

unsigned int tbx_usage_level_keep(enum tbx_usage_level level)
{
	return (unsigned int)level < TBX_USAGE_LEVELS ? levels[level].keep : 0;
}
