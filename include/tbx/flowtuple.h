/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The flowtuple key, shared by bpf/tap.bpf.c (which counts packets per
 * key per interval in kernel maps) and user space (the offline pcap path,
 * the Corsaro writer). Fields are stored as Corsaro 2 stores them:
 * addresses, ports and ip_len in network byte order, so the writer's sort
 * and the file bytes come out exactly as Corsaro's (reference/corsaro.md).
 */
#ifndef TBX_FLOWTUPLE_H
#define TBX_FLOWTUPLE_H

#ifdef __bpf__
#ifndef __VMLINUX_H__
#error "include vmlinux.h before tbx/flowtuple.h"
#endif
#else
#include <linux/types.h>
#endif

/* Corsaro's classes, in the order the flowtuple file writes them. */
enum tbx_ft_class {
	TBX_FT_BACKSCATTER = 0,
	TBX_FT_ICMPREQ = 1,
	TBX_FT_OTHER = 2,
	TBX_FT_CLASS_MAX,
};

struct tbx_ft_key {
	__be32 src_ip;
	__be32 dst_ip;
	__be16 src_port;	/* ICMP: type */
	__be16 dst_port;	/* ICMP: code */
	__u8 protocol;
	__u8 ttl;
	__u8 tcp_flags;		/* CWR<<7 .. FIN, NS dropped */
	__u8 cls;		/* enum tbx_ft_class */
	__be16 ip_len;		/* from the IPv4 header */
	__u16 pad;		/* zero: keys are hashed as bytes */
};

#endif
