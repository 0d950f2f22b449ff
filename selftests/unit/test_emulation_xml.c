// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Malformed, truncated and hostile emulation XML: each refused with a
 * message naming the file and line, nothing returned, nothing fetched.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "emu_test.h"

static char *example(size_t *len)
{
	char path[PATH_MAX];
	FILE *f;
	char *buf = malloc(1 << 16);

	emu_data_path("MultiDist2.xml", path, sizeof(path));
	f = fopen(path, "r");
	assert_non_null(f);
	*len = fread(buf, 1, (1 << 16) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static void truncated_everywhere(void **state)
{
	size_t len;
	char *doc = example(&len);
	struct emu_plan *p;

	/* every prefix of a good file is refused, none crashes */
	for (size_t cut = 0; cut < len - 1; cut += 7) {
		p = (void *)1;
		tbx_err_clear();
		assert_int_not_equal(0, emu_plan_buf(doc, cut, "t.xml", &emu_host_opts, &p));
		assert_null(p);
		assert_int_equal(0, strncmp(tbx_errmsg(), "t.xml:", 6));
	}
	/* the whole of it is fine (forced: COCOMA's windows rule refuses it) */
	{
		struct emu_parse_opts o = emu_host_opts;

		o.force = true;
		assert_int_equal(0, emu_plan_buf(doc, len, "t.xml", &o, &p));
	}
	emu_plan_free(p);
	/* cut inside <emulator-params>: the parser names where it ran out */
	emu_expect_error(doc, strstr(doc, "<memSleep>") - doc, NULL, "t.xml:", "XML:");
	free(doc);
}

static void malformed(void **state)
{
	static const struct {
		const char *doc, *where, *what;
	} r[] = {
		{ "", "t.xml:1:", "empty document" },
		/* tags that match ignoring case are read (COCOMA lower-cased all) */
		{ "<emulation><emuname>a</emuNames></emulation>", "t.xml:1:", "XML:" },
		{ "<emulation>\n<emuname>a</emuname>\n</emulationx>", "t.xml:3:", "XML:" },
		{ "<emulation>\n\n<emuname>&undefined;</emuname></emulation>", "t.xml:3:", "XML:" },
		{ "not xml at all", "t.xml:1:", "XML:" },
		{ "<emulation><a b=\"1\" b=\"2\"/></emulation>", "t.xml:1:", "XML:" },
		{ "<emulation>\n<!-- unterminated", "t.xml:2:", "unterminated comment" },
		{ "\xff\xfe<\x00", "t.xml:1:", "XML:" },
	};

	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		emu_expect_error(r[i].doc, strlen(r[i].doc), NULL, r[i].where, r[i].what);
	/* a NUL inside the document */
	emu_expect_error("<emulation>\0</emulation>", 24, NULL, "t.xml:1:", "XML:");
}

static void hostile(void **state)
{
	static const char xxe[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE emulation [\n<!ENTITY passwd SYSTEM \"file:///etc/passwd\">\n]>\n"
		"<emulation><emuname>&passwd;</emuname></emulation>\n";
	static const char remote_dtd[] =
		"<?xml version=\"1.0\"?>\n\n"
		"<!DOCTYPE emulation SYSTEM \"http://198.18.0.1/evil.dtd\">\n"
		"<emulation/>\n";
	static const char laughs[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE lolz [\n"
		" <!ENTITY lol \"lol\">\n"
		" <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
		" <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
		" <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
		" <!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
		"]>\n<emulation><emuname>&lol9;</emuname></emulation>\n";
	static const char param_entity[] =
		"<emulation>\n<![CDATA[ <!DOCTYPE is fine in CDATA ]]>\n"
		"<!ENTITY % x SYSTEM \"file:///etc/shadow\">\n</emulation>";
	char *big, *name;
	size_t n;

	emu_expect_error(xxe, strlen(xxe), NULL, "t.xml:2:", "DTDs and entity declarations are not accepted");
	emu_expect_error(remote_dtd, strlen(remote_dtd), NULL, "t.xml:3:", "not accepted");
	emu_expect_error(laughs, strlen(laughs), NULL, "t.xml:2:", "not accepted");
	emu_expect_error(param_entity, strlen(param_entity), NULL, "t.xml:3:", "not accepted");

	/* a 10 MB element name: over the document bound, refused before parsing */
	n = 10 << 20;
	big = malloc(n + 64);
	assert_non_null(big);
	memcpy(big, "<emulation><", 12);
	memset(big + 12, 'a', n);
	memcpy(big + 12 + n, "/></emulation>", 15);
	emu_expect_error(big, strlen(big), NULL, "t.xml:", "an emulation is at most 4194304 bytes");
	free(big);

	/* names and values over 4 KiB in a small document */
	name = malloc(5000 + 1);
	memset(name, 'n', 5000);
	name[5000] = '\0';
	assert_true(asprintf(&big, "<emulation>\n<%s/></emulation>", name) > 0);
	emu_expect_error(big, strlen(big), NULL, "t.xml:2:", "element name longer than 4096 bytes");
	free(big);
	assert_true(asprintf(&big, "<emulation>\n\n<emuname>%s</emuname></emulation>", name) > 0);
	emu_expect_error(big, strlen(big), NULL, "t.xml:3: <emuname>:", "value longer than 4096 bytes");
	free(big);
	assert_true(asprintf(&big, "<emulation>\n<distributions><distribution name=\"%s\"/></distributions></emulation>",
			     name) > 0);
	emu_expect_error(big, strlen(big), NULL, "t.xml:2: <distribution>:", "attribute longer than 4096 bytes");
	free(big);
	free(name);

	/* deep nesting stops at libxml2's depth bound */
	n = 100000;
	big = malloc(n * 7 + 64);
	strcpy(big, "<emulation>");
	for (size_t i = 0; i < n; i++)
		strcat(big + 11 + i * 3 - (i ? 0 : 0), "<a>");
	strcat(big, "</emulation>");
	emu_expect_error(big, strlen(big), NULL, "t.xml:1:", "XML:");
	free(big);
}

static void missing_file(void **state)
{
	struct emu_plan *p = (void *)1;

	tbx_err_clear();
	assert_int_not_equal(0, emu_plan_file("/nonexistent/e.xml", NULL, &p));
	assert_null(p);
	assert_non_null(strstr(tbx_errmsg(), "/nonexistent/e.xml: No such file"));
	assert_int_not_equal(0, emu_plan_file("/proc", NULL, &p));
	assert_non_null(strstr(tbx_errmsg(), "/proc: not a regular file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(truncated_everywhere),
		cmocka_unit_test(malformed),
		cmocka_unit_test(hostile),
		cmocka_unit_test(missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
