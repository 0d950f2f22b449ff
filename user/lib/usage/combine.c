// SPDX-License-Identifier: GPL-2.0-or-later
/* Counters' deltas and the roll-up of records into one (ToMaTo's rules). */
#include "usage/usage.h"

double tbx_usage_counter(double reading, double *last, bool *has_last)
{
	double delta = 0;

	if (*has_last) {
		delta = reading - *last;
		if (delta < 0)
			delta = reading;	/* reset: it counted from 0 */
	}
	*last = reading;
	*has_last = true;
	return delta;
}

void tbx_usage_combine(const struct tbx_usage_record *recs, size_t n,
		       struct tbx_usage *out, int64_t *measurements)
{
	int64_t m = 0;

	*out = (struct tbx_usage){ 0 };
	for (size_t i = 0; i < n; i++)
		m += recs[i].measurements;
	*measurements = m;
	if (!m)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct tbx_usage *u = &recs[i].usage;
		double w = (double)recs[i].measurements;

		out->cputime += u->cputime;
		out->traffic += u->traffic;
		out->memory += u->memory * w;
		out->diskspace += u->diskspace * w;
	}
	out->memory /= (double)m;
	out->diskspace /= (double)m;
}
