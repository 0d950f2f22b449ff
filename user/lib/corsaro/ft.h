/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The flowtuple plugin's per-interval table: packet counts per key, and
 * the class blocks it becomes at the end of an interval, in Corsaro's
 * exact order (reference/corsaro.md, "FlowTuple plugin file").
 */
#ifndef TBX_CORSARO_FT_H
#define TBX_CORSARO_FT_H

#include "record.h"

struct cors_ft;

int cors_ft_new(struct cors_ft **t);
void cors_ft_free(struct cors_ft *t);
/* Adds t->packet_cnt to t->key's count (pad is ignored). */
int cors_ft_add(struct cors_ft *t, const struct cors_tuple *tu);
size_t cors_ft_count(const struct cors_ft *t, unsigned int cls);
/* Appends the three class blocks, binary or ASCII, then empties @t. */
int cors_ft_emit(struct cors_ft *t, struct cors_buf *b, bool ascii);

/* Corsaro's class of a key, from its protocol, ICMP type and TCP flags. */
enum tbx_ft_class cors_ft_classify(const struct tbx_ft_key *k);
/* Corsaro's sort: <0, 0, >0 (see the byte-order note in the reference). */
int cors_ft_cmp(const struct tbx_ft_key *a, const struct tbx_ft_key *b);

#endif
