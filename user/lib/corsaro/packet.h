/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An IPv4 packet as Corsaro's plugins look at it: key, transport bytes. */
#ifndef TBX_CORSARO_PACKET_H
#define TBX_CORSARO_PACKET_H

#include <stddef.h>
#include <stdint.h>

#include <tbx/flowtuple.h>

struct cors_pkt {
	const uint8_t *ip;
	size_t caplen;
	struct tbx_ft_key key;		/* filled as the flowtuple plugin does */
	const uint8_t *l4;		/* NULL: no transport (fragment, short) */
	size_t l4_len;			/* captured bytes from l4 on */
};

/* 0, or -ENOENT when the bytes are no IPv4 packet (Corsaro skips those). */
int cors_pkt_parse(const void *ip, size_t caplen, struct cors_pkt *p);

#endif
