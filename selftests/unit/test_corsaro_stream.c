// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cors2ascii reads streaming: printing a flowtuple file 16 times larger
 * (4 MB and 64 MB of tuples; plain, gzip and bzip2) must not raise the
 * reader's peak memory by more than a fixed bound. Each print runs in a
 * child, whose peak RSS (wait4's ru_maxrss) is what is compared: memory,
 * not time, so a loaded machine cannot make it flaky.
 */
#include <bzlib.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "corsaro_test.h"
#include "tmpdir.h"

#define MB		(1024 * 1024)
#define SMALL		(4 * MB)
#define BIG		(64 * MB)
#define BOUND_KB	(16 * 1024)	/* growth allowed for 60 MB more input */
#define TUPLE		21		/* bytes of a flowtuple record */

static char dir[128];

enum comp { PLAIN, GZ, BZ2 };

struct out {
	enum comp comp;
	FILE *f;
	gzFile gz;
	BZFILE *bz;
};

static void out_write(struct out *o, const void *p, size_t n)
{
	int bzerr = BZ_OK;

	switch (o->comp) {
	case PLAIN:
		assert_int_equal(fwrite(p, 1, n, o->f), n);
		break;
	case GZ:
		assert_int_equal(gzwrite(o->gz, p, n), (int)n);
		break;
	case BZ2:
		BZ2_bzWrite(&bzerr, o->bz, (void *)p, n);
		assert_int_equal(bzerr, BZ_OK);
		break;
	}
}

/* One interval whose backscatter class holds about @bytes of tuples. */
static void write_flowtuple(const char *path, enum comp comp, size_t bytes)
{
	static const char start[] = "45444752 494e5452 0000 6553f100";
	static const char end[] = "45444752 494e5452 0000 6553f13b";
	uint32_t n = bytes / TUPLE;
	struct out o = { .comp = comp };
	uint8_t b[64], t[TUPLE * 1024];
	size_t k;
	int bzerr;

	if (comp == GZ) {
		o.gz = gzopen(path, "wb1");
		assert_non_null(o.gz);
	} else {
		o.f = fopen(path, "wb");
		assert_non_null(o.f);
		if (comp == BZ2) {
			o.bz = BZ2_bzWriteOpen(&bzerr, o.f, 1, 0, 0);
			assert_int_equal(bzerr, BZ_OK);
		}
	}
	out_write(&o, b, hex_bytes(start, b, sizeof(b)));
	k = hex_bytes("53495855 0000", b, sizeof(b));
	b[k++] = n >> 24, b[k++] = n >> 16, b[k++] = n >> 8, b[k++] = n;
	out_write(&o, b, k);
	for (uint32_t i = 0; i < n; i += 1024) {
		uint32_t m = n - i < 1024 ? n - i : 1024;

		for (uint32_t j = 0; j < m; j++) {
			uint8_t *p = t + j * TUPLE;
			uint32_t x = i + j;

			/* 198.18.x.x -> 198.19.0.1, TCP SYN+ACK, 1 packet */
			k = hex_bytes("c6120000 c6130001 0050 0400 06 40 12 0028 00000001", p, 21);
			p[2] = x >> 8, p[3] = x;
			p[10] = x >> 16;
		}
		out_write(&o, t, m * TUPLE);
	}
	k = hex_bytes("53495855 0000  53495855 0001 00000000 53495855 0001"
		      "53495855 0002 00000000 53495855 0002", b, sizeof(b));
	out_write(&o, b, k);
	out_write(&o, b, hex_bytes(end, b, sizeof(b)));
	if (comp == GZ) {
		assert_int_equal(gzclose(o.gz), Z_OK);
		return;
	}
	if (comp == BZ2) {
		BZ2_bzWriteClose(&bzerr, o.bz, 0, NULL, NULL);
		assert_int_equal(bzerr, BZ_OK);
	}
	assert_int_equal(fclose(o.f), 0);
}

/* Peak RSS (kB) of a child printing @path to /dev/null. */
static long print_rss(const char *path)
{
	struct rusage ru;
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		FILE *null = fopen("/dev/null", "w");
		int err = null ? cors_to_ascii(path, null) : -1;

		if (err)
			fprintf(stderr, "%s\n", tbx_errmsg());
		_exit(err ? 1 : 0);
	}
	assert_int_equal(wait4(pid, &status, 0, &ru), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	return ru.ru_maxrss;
}

static void flat(enum comp comp, const char *suffix)
{
	char small[256], big[256];
	long rs, rb;

	snprintf(small, sizeof(small), "%s/small.flowtuple.cors%s", dir, suffix);
	snprintf(big, sizeof(big), "%s/big.flowtuple.cors%s", dir, suffix);
	write_flowtuple(small, comp, SMALL);
	write_flowtuple(big, comp, BIG);
	rs = print_rss(small);
	rb = print_rss(big);
	print_message("peak RSS %s: %ld kB for 4 MB of tuples, %ld kB for 64 MB\n",
		      suffix[0] ? suffix : "plain", rs, rb);
	if (rb - rs > BOUND_KB)
		fail_msg("peak RSS grew by %ld kB for 60 MB more input (bound %d kB): "
			 "the reader holds the file", rb - rs, BOUND_KB);
	unlink(small);
	unlink(big);
}

static void flat_plain(void **state)
{
	flat(PLAIN, "");
}

static void flat_gz(void **state)
{
	flat(GZ, ".gz");
}

static void flat_bz2(void **state)
{
	flat(BZ2, ".bz2");
}

static int setup(void **state)
{
	return tmpdir_make(dir, sizeof(dir), "tbx-cors-stream");
}

static int teardown(void **state)
{
	tmpdir_remove(dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flat_plain),
		cmocka_unit_test(flat_gz),
		cmocka_unit_test(flat_bz2),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
