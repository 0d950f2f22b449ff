// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Inputs for scripts/bench/corsaro:
 *   cors_bench edges FILE     a pcap of selftests/unit/ft_edges.h's frames,
 *                             one a second, each after a 60-byte SYN+ACK
 *                             whose flags byte a cut header may read
 *   cors_bench dos FILE       a pcap of selftests/unit/dos_scenario.h
 *   cors_bench flowtuple FILE MB
 *                             a flowtuple file of about MB megabytes (one
 *                             interval, all tuples in class 0); .gz and
 *                             .bz2 suffixes compress (level 1)
 */
#include <bzlib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../unit/dos_scenario.h"
#include "../unit/ft_edges.h"

static FILE *pcap_open(const char *path)
{
	const uint32_t hdr[6] = { 0xa1b2c3d4, 2 | 4 << 16, 0, 0, 65535, 1 };
	FILE *f = fopen(path, "w");

	if (!f || fwrite(hdr, sizeof(hdr), 1, f) != 1) {
		perror(path);
		exit(1);
	}
	return f;
}

static void put(void *arg, uint32_t sec, const uint8_t *p, size_t len)
{
	uint32_t rec[4] = { sec, 0, len, len };

	if (fwrite(rec, sizeof(rec), 1, arg) != 1 || fwrite(p, len, 1, arg) != 1) {
		perror("write");
		exit(1);
	}
}

static int edges(const char *path)
{
	static struct ft_edge e[FT_EDGES_MAX];
	size_t n = ft_edges(e);
	uint8_t synack[60];
	FILE *f = pcap_open(path);
	uint32_t t = 1700000000;

	/* a 60-byte frame leaves its flags byte (0x12) at frame byte 47 in
	 * libtrace's buffer, where a header cut before it reads */
	memcpy(synack, e[3].f, e[3].len);	/* "tcp header of 20 bytes, SYN+ACK" */
	memset(synack + e[3].len, 0, 60 - e[3].len);
	for (size_t i = 0; i < n; i++) {
		put(f, t++, synack, 60);
		put(f, t++, e[i].f, e[i].len);
	}
	return fclose(f) ? 1 : 0;
}

static int dos(const char *path)
{
	FILE *f = pcap_open(path);

	dos_scenario(put, f);
	return fclose(f) ? 1 : 0;
}

struct out {
	FILE *f;
	gzFile gz;
	BZFILE *bz;
};

static void out_write(struct out *o, const void *p, size_t n)
{
	int bzerr = BZ_OK, ok;

	if (o->gz)
		ok = gzwrite(o->gz, p, n) == (int)n;
	else if (o->bz)
		BZ2_bzWrite(&bzerr, o->bz, (void *)p, n), ok = bzerr == BZ_OK;
	else
		ok = fwrite(p, 1, n, o->f) == n;
	if (!ok) {
		fprintf(stderr, "cors_bench: write failed\n");
		exit(1);
	}
}

static void put_be(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = v >> (8 * (n - 1 - i));
}

static int flowtuple(const char *path, uint64_t mb)
{
	uint64_t n = mb * 1000000 / 21;
	size_t len = strlen(path);
	uint8_t b[64], chunk[21 * 4096];
	struct out o = { 0 };
	int bzerr;

	if (n > UINT32_MAX)
		n = UINT32_MAX;
	if (len > 3 && !strcmp(path + len - 3, ".gz")) {
		o.gz = gzopen(path, "wb1");
	} else {
		o.f = fopen(path, "wb");
		if (o.f && len > 4 && !strcmp(path + len - 4, ".bz2"))
			o.bz = BZ2_bzWriteOpen(&bzerr, o.f, 1, 0, 0);
	}
	if (!o.gz && !o.f) {
		perror(path);
		return 1;
	}
	/* interval 0 start, class 0 start with n tuples */
	memcpy(b, "EDGRINTR", 8);
	put_be(b + 8, 0, 2);
	put_be(b + 10, 1700000000, 4);
	memcpy(b + 14, "SIXU", 4);
	put_be(b + 18, 0, 2);
	put_be(b + 20, n, 4);
	out_write(&o, b, 24);
	for (uint64_t i = 0; i < n;) {
		size_t m = 0;

		for (; m < 4096 && i < n; m++, i++) {
			uint8_t *p = chunk + 21 * m;

			put_be(p, 0xC6120000u + (i & 0x1ffff), 4);	/* 198.18.0.0/15 */
			put_be(p + 4, 0xC6130001u, 4);
			put_be(p + 8, 80, 2);
			put_be(p + 10, 1024 + (i >> 17) % 60000, 2);
			p[12] = 6;
			p[13] = 64;
			p[14] = 0x12;
			put_be(p + 15, 40, 2);
			put_be(p + 17, 1, 4);
		}
		out_write(&o, chunk, 21 * m);
	}
	/* class 0 end, empty classes 1 and 2, interval end */
	memcpy(b, "SIXU", 4);
	put_be(b + 4, 0, 2);
	memcpy(b + 6, "SIXU", 4);
	put_be(b + 10, 1, 2);
	put_be(b + 12, 0, 4);
	memcpy(b + 16, "SIXU", 4);
	put_be(b + 20, 1, 2);
	memcpy(b + 22, "SIXU", 4);
	put_be(b + 26, 2, 2);
	put_be(b + 28, 0, 4);
	memcpy(b + 32, "SIXU", 4);
	put_be(b + 36, 2, 2);
	memcpy(b + 38, "EDGRINTR", 8);
	put_be(b + 46, 0, 2);
	put_be(b + 48, 1700000059, 4);
	out_write(&o, b, 52);
	if (o.gz)
		return gzclose(o.gz) == Z_OK ? 0 : 1;
	if (o.bz) {
		BZ2_bzWriteClose(&bzerr, o.bz, 0, NULL, NULL);
		if (bzerr != BZ_OK)
			return 1;
	}
	return fclose(o.f) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "edges"))
		return edges(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "dos"))
		return dos(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "flowtuple"))
		return flowtuple(argv[2], strtoull(argv[3], NULL, 10));
	fprintf(stderr, "usage: cors_bench edges FILE | dos FILE | flowtuple FILE MB\n");
	return 1;
}
