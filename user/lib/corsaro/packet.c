// SPDX-License-Identifier: GPL-2.0-or-later
/* IPv4 header parsing for the flowtuple key and the DoS plugin. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "tbx/flowtuple_parse.h"

#include "corsaro.h"
#include "ft.h"
#include "packet.h"

int cors_pkt_parse(const void *ip, size_t caplen, struct cors_pkt *p)
{
	const uint8_t *h = ip;
	struct tbx_ft_key *k = &p->key;
	size_t ihl;
	uint16_t frag;

	memset(p, 0, sizeof(*p));
	if (caplen < 20 || h[0] >> 4 != 4)
		return -ENOENT;
	ihl = (h[0] & 0x0f) * 4u;
	if (ihl < 20)
		return -ENOENT;
	p->ip = h;
	p->caplen = caplen;
	frag = (uint16_t)h[6] << 8 | h[7];
	/* later fragments carry no transport header */
	if (ihl <= caplen && (frag & 0x1fff) == 0) {
		p->l4 = h + ihl;
		p->l4_len = caplen - ihl;
	}
	/* The key and its class: the tap's own parser, so the live, offline
	 * and DoS paths cannot disagree (rules in tbx/flowtuple_parse.h). */
	tbx_ft_parse_ipv4(h, h + caplen, k);
	return 0;
}

int cors_ft_key_of(const void *ip, size_t caplen, struct tbx_ft_key *k)
{
	struct cors_pkt p;
	int err = cors_pkt_parse(ip, caplen, &p);

	if (!err)
		*k = p.key;
	return err;
}
