// SPDX-License-Identifier: GPL-2.0-or-later
/* IPv4 header parsing for the flowtuple key and the DoS plugin. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

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
	memcpy(&k->src_ip, h + 12, 4);
	memcpy(&k->dst_ip, h + 16, 4);
	memcpy(&k->ip_len, h + 2, 2);
	k->ttl = h[8];
	k->protocol = h[9];
	frag = (uint16_t)h[6] << 8 | h[7];
	/* later fragments carry no transport header */
	if (ihl <= caplen && (frag & 0x1fff) == 0) {
		p->l4 = h + ihl;
		p->l4_len = caplen - ihl;
	}
	/* libtrace's rules for what is present, as the tap's parser has them:
	 * ports need 4 bytes, TCP flags a 20-byte header, ICMP type and code
	 * an 8-byte header; ICMP without one is "any other ICMP"
	 */
	if (p->l4 && (k->protocol == IPPROTO_TCP || k->protocol == IPPROTO_UDP) &&
	    p->l4_len >= 4) {
		memcpy(&k->src_port, p->l4, 2);
		memcpy(&k->dst_port, p->l4 + 2, 2);
		if (k->protocol == IPPROTO_TCP && p->l4_len >= 20)
			k->tcp_flags = p->l4[13];	/* CWR..FIN; NS is in byte 12 */
	} else if (p->l4 && k->protocol == IPPROTO_ICMP && p->l4_len >= 8) {
		k->src_port = htons(p->l4[0]);
		k->dst_port = htons(p->l4[1]);
	}
	if (k->protocol == IPPROTO_ICMP && (!p->l4 || p->l4_len < 8))
		k->cls = TBX_FT_ICMPREQ;
	else
		k->cls = cors_ft_classify(k);
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
