// SPDX-License-Identifier: GPL-2.0
/* Time, rate and profile arithmetic of the tbx qdisc (link_time.h). */
#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/time64.h>

#include "link_time.h"
#include "pace.h"

u64 tbx_link_wire_bytes(u32 len, const struct tbx_link_framing *f)
{
	s64 bytes = (s64)len + f->overhead;
	u64 cells;

	if (bytes <= 0)
		return 0;
	if (!f->cell_size)
		return bytes;
	cells = div_u64(bytes + f->cell_size - 1, f->cell_size);
	bytes = (s64)f->cell_size + f->cell_overhead;
	/* At most (len + S32_MAX) * (1 + S32_MAX), with 1-byte cells: < 2^64. */
	return bytes > 0 ? cells * bytes : 0;
}

u64 tbx_link_tx_ns(u64 bytes, u64 rate)
{
	u64 bits, ns;

	if (!bytes)
		return 0;
	if (bytes > TBX_LINK_TX_MAX / 8)
		return TBX_LINK_TX_MAX;
	bits = bytes * 8;
	ns = tbx_muldiv(bits, NSEC_PER_SEC, rate);
	if (ns >= TBX_LINK_TX_MAX)
		return TBX_LINK_TX_MAX;
	/*
	 * Round up so a run of packets never beats the rate. The remainder
	 * is below rate, so wrapping arithmetic computes it exactly.
	 */
	if (bits * NSEC_PER_SEC - ns * rate != 0)
		ns++;
	return ns;
}

u64 tbx_link_phase(const struct tbx_link_prof *p, u64 base, u64 now)
{
	u64 rem;

	div64_u64_rem(now - base, p->period, &rem);
	return rem;
}

u32 tbx_link_prof_lookup(const struct tbx_link_prof *p, u64 phase)
{
	u32 lo = 0, hi = p->count;

	/* The last segment whose offset is <= phase; seg[0] is at 0. */
	while (hi - lo > 1) {
		u32 mid = lo + (hi - lo) / 2;

		if (p->seg[mid].offset <= phase)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

const struct tbx_link_seg *tbx_link_seg_at(const struct tbx_link_prof *p,
					   u64 base, u64 now)
{
	return &p->seg[tbx_link_prof_lookup(p, tbx_link_phase(p, base, now))];
}

u64 tbx_link_seg_end(const struct tbx_link_prof *p, u64 base, u64 now)
{
	u64 phase = tbx_link_phase(p, base, now);
	u32 i = tbx_link_prof_lookup(p, phase);
	u64 end = i + 1 < p->count ? p->seg[i + 1].offset : p->period;

	return now + (end - phase);
}
