// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Corsaro output files: names from templates (%P, %N, %s, strftime in
 * UTC), rotation (-r plugin files, -R meta files), the log file, the
 * last interval as Corsaro ends it (or does not), and the reader
 * refusing corrupt and truncated files with the byte offset.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "corsaro/stream.h"
#include "corsaro/template.h"
#include "corsaro_test.h"
#include "tmpdir.h"

#define T0 1700000000u	/* 2023-11-14 22:13:20 UTC */

static char dir[128];

static int setup(void **state)
{
	return tmpdir_make(dir, sizeof(dir), "tbx-cors-files");
}

static int teardown(void **state)
{
	tmpdir_remove(dir);
	return 0;
}

static void template_names(void **state)
{
	char name[256];

	/* a zone far from UTC: names must not follow it */
	setenv("TZ", "America/New_York", 1);
	tzset();
	assert_int_equal(cors_template_name("%N.%s.%P.cors.gz", "flowtuple", "mon1", T0,
					    name, sizeof(name)), 0);
	assert_string_equal(name, "mon1.1700000000.flowtuple.cors.gz");
	assert_int_equal(cors_template_name("/d/%Y%m%d-%H%M%S.%P.%%.bz2", "dos", "m", T0,
					    name, sizeof(name)), 0);
	assert_string_equal(name, "/d/20231114-221320.dos.%.bz2");
	/* a % in the monitor name stays literal */
	assert_int_equal(cors_template_name("%N-%P", "log", "a%Yb", T0, name, sizeof(name)), 0);
	assert_string_equal(name, "a%Yb-log");
	unsetenv("TZ");
	tzset();
}

static void template_refused(void **state)
{
	char name[64];
	struct cors_out_opts opts = { .template = "%N.%s.cors", .interval = 60,
				      .flowtuple = true };
	struct cors_out *o;

	assert_int_equal(cors_template_check("%N.%s.cors"), -EINVAL);
	assert_non_null(strstr(tbx_errmsg(), "lacks %P"));
	assert_int_equal(cors_template_check("%%P.cors"), -EINVAL);	/* literal "%P" */
	assert_int_equal(cors_template_check("%P.cors%"), -EINVAL);
	assert_non_null(strstr(tbx_errmsg(), "lone %"));
	assert_int_equal(cors_template_check(""), -EINVAL);
	assert_int_equal(cors_template_name("%P%P%P%P%P%P%P%P", "flowtuple", "m", T0, name, 16),
			 -ENAMETOOLONG);
	assert_int_equal(cors_out_new(&opts, &o), -EINVAL);
	opts.template = "%P";
	opts.interval = 0;
	assert_int_equal(cors_out_new(&opts, &o), -EINVAL);
	opts.interval = 60;
	opts.flowtuple = false;
	assert_int_equal(cors_out_new(&opts, &o), -EINVAL);
}

static int count_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static int count_in(const char *path, const char *needle)
{
	int err, n = 0;
	char *text = ascii_of(path, &err), *p;

	if (err)
		fail_msg("%s", tbx_errmsg());
	for (p = text; (p = strstr(p, needle)); p++)
		n++;
	free(text);
	return n;
}

/* -a -r 2 -R 3 over six 10 s intervals (first packet at +5 s: interval
 * 0 runs from +5 to the aligned +9, as Corsaro's -a aligns its end):
 * flowtuple files start at intervals 0, 2, 4; global and log files at 0
 * and 3 (names and starts as a real Corsaro 2.0.0 wrote them).
 */
static void rotation(void **state)
{
	char sub[192], tmpl[256], path[512];
	struct cors_out_opts opts = { .template = tmpl, .monitor = "m", .interval = 10,
				      .rotate = 2, .rotate_meta = 3, .flowtuple = true, .align = true,
				      .packet_times = true, .fixed_clock = T0 };
	struct cors_out *o;
	struct cors_tuple t = tuple("198.18.0.1", "198.18.0.2", 1, 2, 17, 9, 0, 28, 1,
				    TBX_FT_OTHER);

	snprintf(sub, sizeof(sub), "%s/rot", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(tmpl, sizeof(tmpl), "%s/%%s.%%P.cors.gz", sub);
	assert_int_equal(cors_out_new(&opts, &o), 0);
	for (uint32_t i = 0; i < 6; i++) {
		assert_int_equal(cors_out_time(o, T0 + 10 * i + 5, 0), 0);
		assert_int_equal(cors_out_tuples(o, &t, 1), 0);
	}
	/* a second packet in interval 5: a last packet alone in its
	 * interval would leave it out (last_interval_as_corsaro) */
	assert_int_equal(cors_out_time(o, T0 + 56, 0), 0);
	cors_out_counts(o, 7, 7, CORS_UNKNOWN_COUNT);
	assert_int_equal(cors_out_close(o), 0);
	cors_out_free(o);

	assert_int_equal(count_entries(sub), 7);
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%u.flowtuple.cors.gz", sub, i ? T0 + 20 * i : T0 + 5);
		assert_int_equal(count_in(path, "# CORSARO_INTERVAL_START"), 2);
		assert_int_equal(count_in(path, "START flowtuple_other 1\n"), 2);
	}
	snprintf(path, sizeof(path), "%s/%u.global.cors.gz", sub, T0 + 5);
	assert_int_equal(count_in(path, "# CORSARO_VERSION 2.0"), 1);
	assert_int_equal(count_in(path, "# CORSARO_INTERVAL_START 0 1700000005\n"
				  "# CORSARO_INTERVAL_END 0 1700000009\n"), 1);
	assert_int_equal(count_in(path, "# CORSARO_INTERVAL_END"), 3);
	/* rotated by the packet at +35: the 3 before it, 4 read since the
	 * start (libtrace's accepted count), as Corsaro's trailer says */
	assert_int_equal(count_in(path, "# CORSARO_PACKETCNT 3\n# CORSARO_ACCEPTEDCNT 4\n"
				  "# CORSARO_FIRSTPKT 1700000005\n# CORSARO_LASTPKT 1700000035\n"), 1);
	snprintf(path, sizeof(path), "%s/%u.global.cors.gz", sub, T0 + 30);
	assert_int_equal(count_in(path, "# CORSARO_VERSION 2.0"), 1);
	assert_int_equal(count_in(path, "# CORSARO_INTERVAL_START 3 1700000030"), 1);
	assert_int_equal(count_in(path, "# CORSARO_INTERVAL_END 5 1700000056"), 1);
	assert_int_equal(count_in(path, "# CORSARO_PACKETCNT 7\n# CORSARO_ACCEPTEDCNT 3\n"), 1);
	snprintf(path, sizeof(path), "%s/%u.log.cors.gz", sub, T0 + 30);
	/* opened, intervals 3, 4, 5, plugin rotation after 3, end */
	assert_int_equal(count_in(path, "[2023-11-14 22:13:20] "), 6);
	assert_int_equal(count_in(path, "interval 4 [1700000040, 1700000049]: flowtuples 0 backscatter, 0 icmpreq, 1 other"), 1);
	snprintf(path, sizeof(path), "%s/%u.log.cors.gz", sub, T0 + 5);
	assert_int_equal(count_in(path, "rotating meta files after interval 2"), 1);
}

/* The golden flowtuple file of test_corsaro_flowtuple, trimmed to its
 * first interval, for the damage below.
 */
static const char ft_one[] =
	"45444752 494e5452 0000 6553f100"
	"53495855 0000 00000001 c6120505 c6120002 0000 0000 01 32 00 0054 00000001 53495855 0000"
	"53495855 0001 00000000 53495855 0001"
	"53495855 0002 00000000 53495855 0002"
	"45444752 494e5452 0000 6553f13b";

static void refused_at(const char *name, const uint8_t *p, size_t len, const char *what)
{
	char path[256];
	int err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	spill(path, p, len);
	free(ascii_of(path, &err));
	if (!err)
		fail_msg("%s accepted", name);
	if (!strstr(tbx_errmsg(), what))
		fail_msg("%s: message \"%s\" lacks \"%s\"", name, tbx_errmsg(), what);
}

static void corrupt_and_truncated(void **state)
{
	uint8_t b[256], c[256];
	size_t n = hex_bytes(ft_one, b, sizeof(b));

	/* every cut inside the file names where its record fell short */
	refused_at("cut1.flowtuple.cors", b, 20, "truncated at byte offset 20");
	refused_at("cut2.flowtuple.cors", b, 30, "truncated at byte offset 24");
	refused_at("cut3.flowtuple.cors", b, n - 1, "truncated at byte offset 93");
	/* damage */
	memcpy(c, b, n);
	c[14] = 'X';	/* first class magic: no longer a flowtuple file */
	refused_at("bad1.flowtuple.cors", c, n, "byte offset 14");
	memcpy(c, b, n);
	c[45] = 'X';	/* class 0's end magic */
	refused_at("bad2.flowtuple.cors", c, n, "bad magic at byte offset 45");
	memcpy(c, b, n);
	c[56] = 2;	/* class 1 start says class 2 */
	refused_at("bad3.flowtuple.cors", c, n, "byte offset 55: flowtuple class 2 where class 1");
	memcpy(c, b, n);
	c[92] = 5;	/* interval end number */
	refused_at("bad4.flowtuple.cors", c, n, "byte offset 83: interval end 5");
	/* a global header from another version */
	refused_at("v3.global.cors",
		   (const uint8_t *)"EDGRHEAD\x03\x00\x00\x00\x00\x01\x00\x3c\x00\x00\x00\x00", 18,
		   "byte offset 8: Corsaro version 3.0");
	refused_at("junk.global.cors", (const uint8_t *)"\x7f" "ELF....", 8, "byte offset 0");
	refused_at("empty.global.cors", b, 0, "byte offset 0");
	/* dos files have no magic: they are known by their name only */
	memcpy(c, b, 14);
	memset(c + 14, 0, 4);
	memcpy(c + 18, b + 83, 14);
	refused_at("x.cors", c, 32, "byte offset 14: neither a flowtuple class");
	{
		char path[256], *t;
		int err;

		snprintf(path, sizeof(path), "%s/x.dos.cors", dir);
		spill(path, c, 32);
		t = ascii_of(path, &err);
		assert_int_equal(err, 0);
		assert_string_equal(t, "# CORSARO_INTERVAL_START 0 1700000000\n0\n"
				       "# CORSARO_INTERVAL_END 0 1700000059\n");
		free(t);
		refused_at("y.dos.cors", c, 31, "truncated at byte offset 28");
	}
}

static void truncated_compressed(void **state)
{
	char path[256];
	size_t n, len;
	uint8_t b[256], *z;
	struct cors_stream *s;

	n = hex_bytes(ft_one, b, sizeof(b));
	for (int bz = 0; bz < 2; bz++) {
		/* written through the library, so the stream is real */
		snprintf(path, sizeof(path), "%s/whole%d.flowtuple.cors%s", dir, bz,
			 bz ? ".bz2" : ".gz");
		assert_int_equal(cors_stream_open(path, &s), 0);
		assert_int_equal(cors_stream_write(s, b, n), 0);
		assert_int_equal(cors_stream_close(s), 0);
		z = slurp(path, &len);
		refused_at(bz ? "cut.flowtuple.cors.bz2" : "cut.flowtuple.cors.gz", z, len - 6,
			   bz ? "bzip2 stream truncated" : "gzip stream truncated");
		z[len / 2] ^= 0x55;
		refused_at(bz ? "bad.flowtuple.cors.bz2" : "bad.flowtuple.cors.gz", z, len,
			   "offset");
		free(z);
	}
}

/* Text (the log, ascii-mode files) passes through; an empty plugin file
 * (a dos file before its first dump) prints nothing.
 */
static void text_and_empty(void **state)
{
	char path[256];
	int err;
	char *t;

	snprintf(path, sizeof(path), "%s/a.log.cors", dir);
	spill(path, "[2023-11-14 22:13:20] hello\n", 28);
	t = ascii_of(path, &err);
	assert_int_equal(err, 0);
	assert_string_equal(t, "[2023-11-14 22:13:20] hello\n");
	free(t);
	snprintf(path, sizeof(path), "%s/a.dos.cors", dir);
	spill(path, "", 0);
	t = ascii_of(path, &err);
	assert_int_equal(err, 0);
	assert_string_equal(t, "");
	free(t);
}

/* A directory that is not there, a full disk: errors, not silence. */
static void write_failures(void **state)
{
	char tmpl[256], link[256];
	struct cors_out_opts opts = { .template = tmpl, .monitor = "m", .interval = 60,
				      .flowtuple = true, .fixed_clock = T0 };
	struct cors_tuple t = tuple("198.18.0.1", "198.18.0.2", 1, 2, 17, 9, 0, 28, 1,
				    TBX_FT_OTHER);
	struct cors_out *o;

	snprintf(tmpl, sizeof(tmpl), "%s/nodir/%%P.cors", dir);
	assert_int_equal(cors_out_new(&opts, &o), 0);
	assert_int_equal(cors_out_time(o, T0, 0), -ENOENT);
	assert_non_null(strstr(tbx_errmsg(), "nodir/global.cors: cannot create"));
	assert_int_equal(cors_out_tuples(o, &t, 1), -EIO);	/* refused from now on */
	assert_int_not_equal(cors_out_close(o), 0);
	cors_out_free(o);

	snprintf(tmpl, sizeof(tmpl), "%s/full.%%P.cors", dir);
	snprintf(link, sizeof(link), "%s/full.flowtuple.cors", dir);
	assert_int_equal(symlink("/dev/full", link), 0);
	assert_int_equal(cors_out_new(&opts, &o), 0);
	assert_int_equal(cors_out_time(o, T0, 0), 0);
	assert_int_equal(cors_out_tuples(o, &t, 1), 0);
	assert_int_equal(cors_out_close(o), -EIO);
	assert_non_null(strstr(tbx_errmsg(), "full.flowtuple.cors: write failed"));
	assert_int_equal(cors_out_close(o), -EINVAL);	/* closed once only */
	cors_out_free(o);
}

/* Packets at T0 + @secs (one UDP tuple each, the dos plugin's packet
 * call too, as the tap makes them); the global and flowtuple files' text. */
static void run_times(const char *name, const int *secs, size_t n, char **global, char **ft)
{
	char tmpl[256], path[256];
	struct cors_out_opts opts = { .template = tmpl, .monitor = "m", .interval = 60,
				      .flowtuple = true, .dos = true, .fixed_clock = T0 };
	struct cors_out *o;
	int err;

	snprintf(tmpl, sizeof(tmpl), "%s/%s.%%P.cors", dir, name);
	assert_int_equal(cors_out_new(&opts, &o), 0);
	for (size_t i = 0; i < n; i++) {
		struct cors_tuple t = tuple("198.18.1.1", "198.18.0.2", 1, 2, 17, 64, 0, 28, 1,
					    TBX_FT_OTHER);
		struct tbx_ft_parsed p = { .key = t.key };

		t.key.src_port = htons(1000 + i);
		assert_int_equal(cors_out_time(o, T0 + secs[i], 0), 0);
		assert_int_equal(cors_out_packet(o, T0 + secs[i], 0, "", 0, &p), 0);
		assert_int_equal(cors_out_tuples(o, &t, 1), 0);
	}
	assert_int_equal(cors_out_close(o), 0);
	cors_out_free(o);
	snprintf(path, sizeof(path), "%s/%s.global.cors", dir, name);
	*global = ascii_of(path, &err);
	assert_int_equal(err, 0);
	snprintf(path, sizeof(path), "%s/%s.flowtuple.cors", dir, name);
	*ft = ascii_of(path, &err);
	assert_int_equal(err, 0);
}

/*
 * Corsaro ends the last interval at the last packet's time, and only if
 * a packet came after the one that opened it (its interval_end_needed):
 * a last packet alone in its interval is in no interval of the files.
 */
static void last_interval_as_corsaro(void **state)
{
	char *g, *f;

	/* alone in interval 1: interval 1 is not written, nor its tuple */
	run_times("alone", (const int[]){ 0, 61 }, 2, &g, &f);
	assert_non_null(strstr(g, "# CORSARO_INTERVAL_END 0 1700000059\n# CORSARO_PACKETCNT"));
	assert_null(strstr(g, "INTERVAL_START 1"));
	assert_null(strstr(f, "INTERVAL_START 1"));
	assert_non_null(strstr(g, "# CORSARO_LASTPKT 1700000061\n"));
	free(g);
	free(f);
	/* with company: written, ending at the last packet */
	run_times("pair", (const int[]){ 0, 61, 62 }, 3, &g, &f);
	assert_non_null(strstr(g, "# CORSARO_INTERVAL_START 1 1700000060\n"
				  "# CORSARO_INTERVAL_END 1 1700000062\n"));
	assert_non_null(strstr(f, "START flowtuple_other 2\n"));
	free(g);
	free(f);
	/* time going back: the end is the last packet's, before the start */
	run_times("back", (const int[]){ 0, 61, 30 }, 3, &g, &f);
	assert_non_null(strstr(g, "# CORSARO_INTERVAL_START 1 1700000060\n"
				  "# CORSARO_INTERVAL_END 1 1700000030\n"));
	assert_non_null(strstr(f, "# CORSARO_INTERVAL_END 1 1700000030\n"));
	free(g);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(template_names),
		cmocka_unit_test(template_refused),
		cmocka_unit_test(rotation),
		cmocka_unit_test(corrupt_and_truncated),
		cmocka_unit_test(truncated_compressed),
		cmocka_unit_test(text_and_empty),
		cmocka_unit_test(write_failures),
		cmocka_unit_test(last_interval_as_corsaro),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
