/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A backscatter capture for the dos plugin's vector table: hundreds of
 * targets in three waves 500 s apart, so vectors are judged, expire (at a
 * dump and when their target comes back), leave tombstones, are added
 * again and make the table grow. Corsaro dumps vectors in its hash
 * table's bucket order; the order of the dumps of this capture is
 * recorded from a real Corsaro 2.0.0 (test_corsaro_dos_frames.c) and
 * scripts/bench/corsaro compares the files byte for byte.
 *
 * Shared by selftests/unit/test_corsaro_dos_frames.c and
 * selftests/tools/tap_bench.c ("tap_bench dos FILE").
 */
#ifndef TBX_TEST_DOS_SCENARIO_H
#define TBX_TEST_DOS_SCENARIO_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define DOS_SCENARIO_T0		1700000000u

struct dos_wave {
	uint32_t start;		/* s after T0 */
	uint32_t first, last;	/* target numbers */
};

static const struct dos_wave dos_waves[] = {
	{ 0, 0, 239 },
	{ 500, 120, 359 },
	{ 1000, 300, 519 },
};

/* Target number @k's address: spread over 198.18.0.0/15, so buckets
 * collide and probe. */
static inline uint32_t dos_target(uint32_t k)
{
	return 0xC6120000u + (k * 2654435761u >> 17);
}

/*
 * Frame @i of target @k: a 60-byte Ethernet SYN+ACK (even k, every 2 s
 * for 62 s: an attack) or RST (odd k, 3 packets: not one), to 198.19.x.y.
 */
static inline size_t dos_frame(uint8_t f[60], uint32_t k, uint32_t i)
{
	static const uint8_t mac[12] = { 2, 0, 0, 0, 0, 0x0b, 2, 0, 0, 0, 0, 0x0a };
	uint32_t src = dos_target(k), dst = 0xC6130000u + (k * 7 + i % 5);
	uint16_t dport = 1024 + (k * 31 + i) % 60000;

	memset(f, 0, 60);
	memcpy(f, mac, 12);
	f[12] = 0x08;
	f[14] = 0x45;
	f[17] = 40;
	f[22] = 64;
	f[23] = 6;
	for (int b = 0; b < 4; b++) {
		f[26 + b] = src >> (24 - 8 * b);
		f[30 + b] = dst >> (24 - 8 * b);
	}
	f[34] = 0;
	f[35] = 80;
	f[36] = dport >> 8;
	f[37] = dport;
	f[46] = 5 << 4;
	f[47] = k % 2 ? 0x14 : 0x12;
	return 60;
}

/* Calls @put for every frame in time order; returns how many. The last
 * one, alone at 1500 s, ends the interval of the last dump (1499). */
static inline size_t dos_scenario(void (*put)(void *arg, uint32_t sec, const uint8_t *f, size_t len),
				  void *arg)
{
	uint8_t f[60];
	size_t n = 0;

	for (uint32_t t = 0; t < 1100; t++)
		for (size_t w = 0; w < sizeof(dos_waves) / sizeof(dos_waves[0]); w++) {
			const struct dos_wave *wv = &dos_waves[w];

			for (uint32_t k = wv->first; k <= wv->last; k++) {
				uint32_t t0 = wv->start + k % 40, dt = t - t0;

				if (t < t0 || dt % 2 || dt > (k % 2 ? 4 : 62))
					continue;
				put(arg, DOS_SCENARIO_T0 + t, f, dos_frame(f, k, dt / 2));
				n++;
			}
		}
	put(arg, DOS_SCENARIO_T0 + 1500, f, dos_frame(f, 0, 0));
	return n + 1;
}

#endif
