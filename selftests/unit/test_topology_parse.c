// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The topology file's reader (user/lib/topology/parse.c): what a good file
 * becomes, each direction's impairment words, and every bad form refused
 * with the file and line it is on. Building is selftests/topology.sh's.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "err.h"
#include "topology/graph.h"
#include "topology/topology.h"

static int parse(const char *text, struct tbx_topo **t)
{
	return tbx_topo_parse("lab.yaml", text, strlen(text), t);
}

static const char good[] =
	"# a line of three hosts and a switch\n"
	"name: lab\n"
	"topology:\n"
	"  nodes:\n"
	"    h1:\n"
	"      kind: linux\n"
	"      image: alpine:3\n"
	"      cpu: 0.5\n"
	"      memory: 256Mb\n"
	"      exec:\n"
	"        - ip addr add 198.18.1.1/24 dev eth1\n"
	"        - ip link set eth1 mtu 1400\n"
	"    h2: {}\n"
	"    h3:\n"
	"    sw:\n"
	"      kind: bridge\n"
	"  links:\n"
	"    - endpoints: [\"h1:eth1\", \"h2:eth1\"]\n"
	"      rate: 20mbit\n"
	"      delay: 10ms\n"
	"      jitter: 1ms\n"
	"      h2:\n"
	"        loss: 1%\n"
	"        delay: 30ms\n"
	"    - endpoints: [\"h2:eth2\", \"sw:p1\"]\n"
	"      h2:eth2: {corrupt: 0.1%}\n"
	"    - endpoints: [\"h3:eth1\", \"sw:p2\"]\n";

static void good_file(void **state)
{
	struct tbx_topo *t;
	char w[512];

	assert_int_equal(parse(good, &t), 0);
	assert_string_equal(t->name, "lab");
	assert_int_equal(t->n_nodes, 4);
	assert_int_equal(t->n_links, 3);
	assert_string_equal(t->nodes[0].name, "h1");
	assert_int_equal(t->nodes[0].kind, TBX_TOPO_LINUX);
	assert_int_equal(t->nodes[0].line, 5);
	assert_int_equal(t->nodes[0].cpu_max_us, 50000);
	assert_int_equal(t->nodes[0].memory_max, 256 << 20);
	assert_int_equal(t->nodes[0].n_exec, 2);
	assert_string_equal(t->nodes[0].exec[1], "ip link set eth1 mtu 1400");
	assert_int_equal(t->nodes[1].n_exec, 0);
	assert_int_equal(t->nodes[2].cpu_max_us, 0);
	assert_int_equal(t->nodes[3].kind, TBX_TOPO_BRIDGE);

	/* The link's keys both ways; h2's own replace them on its egress. */
	assert_int_equal(t->links[0].ep[0].node, 0);
	assert_string_equal(t->links[0].ep[1].ifname, "eth1");
	tbx_topo_impair_words(&t->links[0].egress[0], w, sizeof(w));
	assert_string_equal(w, "rate 20mbit delay 10ms jitter 1ms");
	tbx_topo_impair_words(&t->links[0].egress[1], w, sizeof(w));
	assert_string_equal(w, "rate 20mbit delay 30ms jitter 1ms loss 1%");
	/* NODE:INTERFACE names one end too; the other end is unimpaired. */
	tbx_topo_impair_words(&t->links[1].egress[0], w, sizeof(w));
	assert_string_equal(w, "corrupt 0.1%");
	tbx_topo_impair_words(&t->links[1].egress[1], w, sizeof(w));
	assert_string_equal(w, "");
	tbx_topo_free(t);
}

static void units(void **state)
{
	static const struct {
		const char *cpu, *memory;
		uint64_t quota, bytes;
	} cases[] = {
		{ "1", "1Gb", 100000, 1ULL << 30 },
		{ "1.5", "512MiB", 150000, 512ULL << 20 },
		{ "0.01", "64m", 1000, 64ULL << 20 },
		{ "2", "1048576", 200000, 1048576 },
		{ "0.25", "1.5g", 25000, 3ULL << 29 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[256];
		struct tbx_topo *t;

		snprintf(text, sizeof(text),
			 "name: u\ntopology:\n  nodes:\n    n:\n      cpu: %s\n      memory: %s\n",
			 cases[i].cpu, cases[i].memory);
		assert_int_equal(parse(text, &t), 0);
		assert_int_equal(t->nodes[0].cpu_max_us, cases[i].quota);
		assert_int_equal(t->nodes[0].memory_max, cases[i].bytes);
		tbx_topo_free(t);
	}
}

/* docker's io keys: one value or a list, several keys on one device merged. */
static void io_limits(void **state)
{
	struct tbx_topo *t;
	char w[TBX_TOPO_IO_WORDS_MAX];

	assert_int_equal(parse("name: io\ntopology:\n  nodes:\n    n:\n"
			       "      device-read-bps: /dev/vda:10mb\n"
			       "      device-write-bps: [\"/dev/vdb:1.5m\", \"/dev/vda:512k\"]\n"
			       "      device-read-iops: /dev/disk/by-path/pci-0000:00:05.0:1000\n"
			       "      device-write-iops: [/dev/vda:100]\n"
			       "    m:\n", &t), 0);
	assert_int_equal(t->nodes[0].n_io, 3);
	tbx_topo_io_words(&t->nodes[0], w, sizeof(w));
	/* In the file's order of devices; a path with ':' keeps them. */
	assert_string_equal(w, "/dev/vda rbps=10485760 wbps=524288 wiops=100;"
			       "/dev/vdb wbps=1572864;"
			       "/dev/disk/by-path/pci-0000:00:05.0 riops=1000");
	tbx_topo_io_words(&t->nodes[1], w, sizeof(w));
	assert_string_equal(w, "");
	assert_string_equal(tbx_topo_io_key_name(TBX_IO_WIOPS), "wiops");
	tbx_topo_free(t);
}

/* Each bad form: its text, and what the error must say. */
static const struct {
	const char *text, *error;
} bad[] = {
	{ "", "lab.yaml:1: an empty file" },
	{ "name: [x\n", "lab.yaml:2:" },
	{ "- a\n- b\n", "lab.yaml:1: the file: wants a mapping, not a list" },
	{ "topology:\n  nodes:\n    a:\n", "lab.yaml:1: name: is missing" },
	{ "name: x\n", "lab.yaml:1: topology: is missing" },
	{ "name: x\nname: y\ntopology: {nodes: {a: }}\n", "lab.yaml:2: the file: \"name\" is given twice" },
	{ "name: x/y\ntopology: {nodes: {a: }}\n", "lab.yaml:1: name \"x/y\": only letters" },
	{ "name: .x\ntopology: {nodes: {a: }}\n", "must not begin with '.'" },
	{ "name: abcdefghijabcdefghijabcdefghijabc\ntopology: {nodes: {a: }}\n", "1 to 32 characters" },
	{ "name: x\nversion: 2\ntopology: {nodes: {a: }}\n", "lab.yaml:2: unknown key \"version\" (name, topology)" },
	{ "name: x\ntopology:\n  links: []\n", "lab.yaml:3: topology: nodes: is missing" },
	{ "name: x\ntopology:\n  nodes: [a, b]\n", "lab.yaml:3: nodes: wants a mapping" },
	{ "name: x\ntopology:\n  nodes: {}\n", "nodes: names no node" },
	{ "name: x\ntopology:\n  nodes:\n    a:\n      kind: vm\n", "lab.yaml:5: node a: kind \"vm\" is not linux or bridge" },
	{ "name: x\ntopology:\n  nodes:\n    a:\n      cpus: 1\n", "lab.yaml:5: node a: unknown key \"cpus\"" },
	{ "name: x\ntopology:\n  nodes:\n    a:\n      cpu: 0\n", "cpu: \"0\" is not a number of CPUs" },
	{ "name: x\ntopology:\n  nodes:\n    a:\n      cpu: lots\n", "cpu: \"lots\" is not a number" },
	{ "name: x\ntopology:\n  nodes:\n    a:\n      cpu: 0.001\n", "below the kernel's 1 ms quota" },
	{ "name: x\ntopology:\n  nodes:\n    a:\n      memory: 12 GB\n", "memory: \"12 GB\" is not a size" },
	{ "name: x\ntopology:\n  nodes:\n    a:\n      memory: 100\n", "memory: \"100\" is out of range" },
	{ "name: x\ntopology:\n  nodes:\n    a:\n      exec: ip a\n", "lab.yaml:5: node a: exec: wants a list of commands" },
	{ "name: x\ntopology:\n  nodes:\n    a:\n      device-read-bps: 10mb\n",
	  "lab.yaml:5: node a: device-read-bps: \"10mb\" is not DEVICE:RATE (/dev/vda:10mb)" },
	{ "name: x\ntopology:\n  nodes:\n    a:\n      device-read-iops: sda:10\n",
	  "device-read-iops: \"sda:10\" is not DEVICE:IOPS (/dev/vda:1000)" },
	{ "name: x\ntopology:\n  nodes:\n    a:\n      device-write-bps: /dev/vda:fast\n",
	  "device-write-bps: \"fast\" is not a rate in bytes/s" },
	{ "name: x\ntopology:\n  nodes:\n    a:\n      device-write-bps: /dev/vda:0\n",
	  "device-write-bps: \"0\" is not a rate" },
	{ "name: x\ntopology:\n  nodes:\n    a:\n      device-write-iops: /dev/vda:1.5\n",
	  "device-write-iops: \"1.5\" is not a number of IO/s" },
	{ "name: x\ntopology:\n  nodes:\n    a:\n      device-write-iops: /dev/vda:-1\n",
	  "is not a number of IO/s" },
	{ "name: x\ntopology:\n  nodes:\n    a:\n      device-read-bps: [/dev/vda:1m, /dev/vda:2m]\n",
	  "lab.yaml:5: node a: device-read-bps: /dev/vda is limited twice" },
	{ "name: x\ntopology:\n  nodes:\n    a:\n      device-read-bps: \"/dev/a b:1m\"\n",
	  "device \"/dev/a b\": no spaces" },
	{ "name: x\ntopology:\n  nodes:\n    a:\n      device-read-bps: [/dev/a:1, /dev/b:1, /dev/c:1, /dev/d:1,"
	  " /dev/e:1, /dev/f:1, /dev/g:1, /dev/h:1, /dev/i:1]\n", "io limits on more than 8 devices" },
	{ "name: x\ntopology:\n  nodes:\n    a:\n      device-read-bps: {a: 1}\n",
	  "device-read-bps: wants a value" },
	{ "name: x\ntopology:\n  nodes:\n    a:\n      exec: [\"\"]\n", "exec: an empty command" },
	{ "name: x\ntopology:\n  nodes:\n    a:\n      exec: [[ip]]\n", "exec: wants a value, not a list" },
	{ "name: x\ntopology:\n  nodes:\n    a b:\n", "lab.yaml:4: node \"a b\": only letters" },
	{ "name: x\ntopology:\n  nodes: {a: }\n  links: {}\n", "lab.yaml:4: links: wants a list" },
	{ "name: x\ntopology:\n  nodes: {a: }\n  links:\n    - rate: 1mbit\n", "lab.yaml:5: link: endpoints: is missing" },
	{ "name: x\ntopology:\n  nodes: {a: }\n  links:\n    - endpoints: [\"a:e1\"]\n", "endpoints: wants a list of two" },
	{ "name: x\ntopology:\n  nodes: {a: }\n  links:\n    - endpoints: [\"a\", \"a:e2\"]\n", "lab.yaml:5: endpoint \"a\" is not NODE:INTERFACE" },
	{ "name: x\ntopology:\n  nodes: {a: }\n  links:\n    - endpoints: [\"a:e1\", \"b:e1\"]\n", "endpoint \"b:e1\": no node \"b\"" },
	{ "name: x\ntopology:\n  nodes: {a: , b: }\n  links:\n    - endpoints: [\"a:e1\", \"b:abcdefghijklmnop\"]\n", "1 to 15 characters" },
	{ "name: x\ntopology:\n  nodes: {a: , b: }\n  links:\n    - endpoints: [\"a:lo\", \"b:e1\"]\n", "a name the kernel reserves" },
	{ "name: x\ntopology:\n  nodes: {a: , b: }\n  links:\n    - endpoints: [\"a:e 1\", \"b:e1\"]\n", "no '/', ':', spaces" },
	{ "name: x\ntopology:\n  nodes: {a: , s: {kind: bridge}}\n  links:\n    - endpoints: [\"a:e1\", \"s:br0\"]\n", "br0 is the bridge itself" },
	{ "name: x\ntopology:\n  nodes: {a: , b: }\n  links:\n    - endpoints: [\"a:e1\", \"b:e1\"]\n    - endpoints: [\"a:e1\", \"b:e2\"]\n",
	  "lab.yaml:6: endpoint a:e1 is already used by the link at line 5" },
	{ "name: x\ntopology:\n  nodes: {a: , b: }\n  links:\n    - endpoints: [\"a:e1\", \"b:e1\"]\n      bandwidth: 10\n",
	  "lab.yaml:6: unknown key \"bandwidth\"" },
	{ "name: x\ntopology:\n  nodes: {a: , b: }\n  links:\n    - endpoints: [\"a:e1\", \"b:e1\"]\n      rate: fast\n",
	  "lab.yaml:5: link a:e1 -> b:e1:" },
	{ "name: x\ntopology:\n  nodes: {a: , b: }\n  links:\n    - endpoints: [\"a:e1\", \"b:e1\"]\n      loss: 1%\n      loss: 2%\n",
	  "lab.yaml:7: link: \"loss\" is given twice" },
	{ "name: x\ntopology:\n  nodes: {a: , b: }\n  links:\n    - endpoints: [\"a:e1\", \"b:e1\"]\n      b:\n        speed: 1\n",
	  "lab.yaml:7: unknown impairment \"speed\"" },
	{ "name: x\ntopology:\n  nodes: {a: , b: }\n  links:\n    - endpoints: [\"a:e1\", \"b:e1\"]\n      delay: \"\"\n",
	  "delay: an empty value" },
	{ "name: x\ntopology:\n  nodes: {a: , b: }\n  links:\n    - endpoints: [\"a:e1\", \"b:e1\"]\n      delay: 10ms loss 5%\n",
	  "lab.yaml:6: delay: \"10ms loss 5%\" is more than one value" },
	{ "name: x\ntopology:\n  nodes: {a: }\n  links:\n    - endpoints: [\"a:e1\", \"a:e2\"]\n      a: {loss: 1%}\n",
	  "both endpoints are on that node" },
	{ "name: x\ntopology:\n  nodes: {a: , b: }\n  links:\n    - endpoints: [\"a:e1\", \"b:e1\"]\n      a: {loss: 1%}\n      a:e1: {loss: 2%}\n",
	  "that endpoint's impairments are given twice" },
	{ "name: x\ntopology: {nodes: {a: }}\n---\nname: y\n", "lab.yaml:4: a second YAML document" },
};

static void bad_files(void **state)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tbx_topo *t = NULL;
		int err = parse(bad[i].text, &t);

		if (err != -EINVAL || !strstr(tbx_errmsg(), bad[i].error))
			fail_msg("case %zu: got %d \"%s\", want \"%s\"", i, err, tbx_errmsg(),
				 bad[i].error);
		assert_null(t);
	}
}

static void nul_and_size(void **state)
{
	static const char nul[] = "name: x\0\ntopology: {nodes: {a: }}\n";
	struct tbx_topo *t = NULL;
	char *big;

	assert_int_equal(tbx_topo_parse("f", nul, sizeof(nul) - 1, &t), -EINVAL);
	assert_non_null(strstr(tbx_errmsg(), "f: holds a NUL byte"));
	big = calloc(1, TBX_TOPO_FILE_MAX + 2);
	assert_non_null(big);
	memset(big, ' ', TBX_TOPO_FILE_MAX + 1);
	assert_int_equal(tbx_topo_parse("f", big, TBX_TOPO_FILE_MAX + 1, &t), -EFBIG);
	free(big);
	assert_null(t);
}

static void names(void **state)
{
	assert_true(tbx_topo_name_ok("node", "h-1.a_b"));
	assert_false(tbx_topo_name_ok("node", ""));
	assert_false(tbx_topo_name_ok("node", "-h"));
	assert_true(tbx_topo_ifname_ok("eth1"));
	assert_true(tbx_topo_ifname_ok("abcdefghijklmno"));
	assert_false(tbx_topo_ifname_ok("abcdefghijklmnop"));
	assert_false(tbx_topo_ifname_ok(".."));
	assert_false(tbx_topo_ifname_ok("a/b"));
}

static void graph(void **state)
{
	struct tbx_topo *t;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	assert_int_equal(parse(good, &t), 0);
	f = open_memstream(&buf, &len);
	tbx_topo_dot(t, f);
	fclose(f);
	assert_non_null(strstr(buf, "graph \"lab\" {"));
	assert_non_null(strstr(buf, "\"sw\" [shape=ellipse]"));
	assert_non_null(strstr(buf, "\"h1\" -- \"h2\" [taillabel=\"eth1\", headlabel=\"eth1\", "
				    "label=\"h1->h2: rate 20mbit delay 10ms jitter 1ms\n"
				    "h2->h1: rate 20mbit delay 30ms jitter 1ms loss 1%\"]"));
	free(buf);
	f = open_memstream(&buf, &len);
	tbx_topo_svg(t, f);
	fclose(f);
	assert_non_null(strstr(buf, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(buf, ">h1-&gt;h2: rate 20mbit delay 10ms jitter 1ms</text>"));
	assert_non_null(strstr(buf, "</svg>\n"));
	free(buf);
	tbx_topo_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_file),
		cmocka_unit_test(units),
		cmocka_unit_test(io_limits),
		cmocka_unit_test(bad_files),
		cmocka_unit_test(nul_and_size),
		cmocka_unit_test(names),
		cmocka_unit_test(graph),
	};

	return cmocka_run_group_tests_name("topology file", tests, NULL, NULL);
}
