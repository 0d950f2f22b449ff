// SPDX-License-Identifier: GPL-2.0-or-later
/* An IPv4 packet to its flowtuple key, as the flowtuple plugin makes it. */
#include <errno.h>

#include "tbx/flowtuple_parse.h"

#include "corsaro.h"

int cors_ft_key_of(const void *ip, size_t caplen, struct tbx_ft_key *k)
{
	const __u8 *p = ip;
	struct tbx_ft_parsed r;

	/* the tap's own parser (rules in tbx/flowtuple_parse.h), on a frame
	 * that starts at its IP header */
	if (tbx_ft_parse_frame(p, p + caplen, p + caplen, TBX_FT_LINK_RAW, &r) != TBX_FT_L3_IPV4)
		return -ENOENT;
	*k = r.key;
	return 0;
}
