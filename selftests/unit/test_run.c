// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libtbx's runs: replies built here the way kernel/run.c builds them, then
 * broken one way at a time; requests checked attribute by attribute.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <arpa/inet.h>

#include <linux/tbx.h>

#include "err.h"
#include "run.h"

static char buf[256 * 1024];

static struct nlmsghdr *msg(uint8_t cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = 0x20;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	return nlh;
}

/* What to leave out of or break in a cpu run reply. */
enum {
	NO_ID = 1 << 0, NO_KIND = 1 << 1, NO_STATE = 1 << 2, NO_NEST = 1 << 3,
	ID_U16 = 1 << 4, DURATION_U32 = 1 << 5, OWNER_NO_NUL = 1 << 6,
	MESSAGE_NO_NUL = 1 << 7, CPUS_NO_NUL = 1 << 8, OWNER_LONG = 1 << 9,
	MEM_NEST_TOO = 1 << 10, WITH_EVENT = 1 << 11, NO_LEVEL = 1 << 12,
	UNKNOWN_ATTRS = 1 << 13, STATE_U32 = 1 << 14, CPU_TIME_U32 = 1 << 15,
	TWO_NESTS = 1 << 16,
};

static struct nlmsghdr *cpu_reply(uint8_t cmd, unsigned int flags)
{
	struct nlmsghdr *nlh = msg(cmd);
	struct nlattr *run, *cpu;
	char longer[TBX_RUN_OWNER_MAX + 8];

	run = mnl_attr_nest_start(nlh, TBX_A_RUN);
	if (flags & ID_U16)
		mnl_attr_put_u16(nlh, TBX_RUN_A_ID, 3);
	else if (!(flags & NO_ID))
		mnl_attr_put_u32(nlh, TBX_RUN_A_ID, 3);
	if (!(flags & NO_KIND))
		mnl_attr_put_u8(nlh, TBX_RUN_A_KIND, TBX_RUN_KIND_CPU);
	if (flags & STATE_U32)
		mnl_attr_put_u32(nlh, TBX_RUN_A_STATE, TBX_RUN_STATE_RUNNING);
	else if (!(flags & NO_STATE))
		mnl_attr_put_u8(nlh, TBX_RUN_A_STATE, TBX_RUN_STATE_RUNNING);
	if (flags & WITH_EVENT)
		mnl_attr_put_u8(nlh, TBX_RUN_A_EVENT, TBX_RUN_EVENT_STARTED);
	if (flags & OWNER_NO_NUL) {
		mnl_attr_put(nlh, TBX_RUN_A_OWNER, 4, "emu1");
	} else if (flags & OWNER_LONG) {
		memset(longer, 'o', sizeof(longer) - 1);
		longer[sizeof(longer) - 1] = '\0';
		mnl_attr_put_strz(nlh, TBX_RUN_A_OWNER, longer);
	} else {
		mnl_attr_put_strz(nlh, TBX_RUN_A_OWNER, "emu1");
	}
	if (flags & DURATION_U32)
		mnl_attr_put_u32(nlh, TBX_RUN_A_DURATION, 30);
	else
		mnl_attr_put_u64(nlh, TBX_RUN_A_DURATION, 30000000000ULL);
	mnl_attr_put_u64(nlh, TBX_RUN_A_CREATED, 1795323662000000000ULL);
	mnl_attr_put_u64(nlh, TBX_RUN_A_STARTED, 1795323662345000000ULL);
	if (flags & MESSAGE_NO_NUL)
		mnl_attr_put(nlh, TBX_RUN_A_MESSAGE, 3, "bad");
	if (flags & UNKNOWN_ATTRS)
		mnl_attr_put_u32(nlh, TBX_RUN_A_MAX + 5, 1);
	if (!(flags & NO_NEST)) {
		cpu = mnl_attr_nest_start(nlh, TBX_RUN_A_CPU);
		if (!(flags & NO_LEVEL))
			mnl_attr_put_u32(nlh, TBX_CPU_A_LEVEL, 50);
		mnl_attr_put_u8(nlh, TBX_CPU_A_MODE, TBX_CPU_MODE_ADD);
		if (flags & CPUS_NO_NUL)
			mnl_attr_put(nlh, TBX_CPU_A_CPUS, 3, "0-1");
		else
			mnl_attr_put_strz(nlh, TBX_CPU_A_CPUS, "0-1");
		if (flags & CPU_TIME_U32)
			mnl_attr_put_u32(nlh, TBX_CPU_A_CPU_TIME, 1);
		else
			mnl_attr_put_u64(nlh, TBX_CPU_A_CPU_TIME, 1234000000ULL);
		if (flags & UNKNOWN_ATTRS)
			mnl_attr_put_u64(nlh, TBX_CPU_A_MAX + 3, 1);
		mnl_attr_nest_end(nlh, cpu);
	}
	if (flags & TWO_NESTS) {
		cpu = mnl_attr_nest_start(nlh, TBX_RUN_A_CPU);
		mnl_attr_put_u32(nlh, TBX_CPU_A_LEVEL, 60);
		mnl_attr_nest_end(nlh, cpu);
	}
	if (flags & MEM_NEST_TOO) {
		cpu = mnl_attr_nest_start(nlh, TBX_RUN_A_MEM);
		mnl_attr_put_u64(nlh, TBX_MEM_A_BYTES, 1);
		mnl_attr_nest_end(nlh, cpu);
	}
	mnl_attr_nest_end(nlh, run);
	return nlh;
}

static void cpu_reply_good(void **state)
{
	struct tbx_run r = { 0 };

	assert_int_equal(0, tbx_run_parse(cpu_reply(TBX_CMD_RUN_GET, 0), &r));
	assert_int_equal(3, r.id);
	assert_int_equal(TBX_RUN_KIND_CPU, r.kind);
	assert_int_equal(TBX_RUN_STATE_RUNNING, r.state);
	assert_string_equal("emu1", r.owner);
	assert_true(r.duration == 30000000000ULL);
	assert_true(r.started == 1795323662345000000ULL);
	assert_false(r.has & TBX_HAS(TBX_RUN_A_START));
	assert_true(r.has & TBX_HAS(TBX_RUN_A_CPU));
	assert_int_equal(50, r.cpu.level);
	assert_int_equal(TBX_CPU_MODE_ADD, r.cpu.mode);
	assert_string_equal("0-1", r.cpu.cpus);
	assert_true(r.cpu.cpu_time_ns == 1234000000ULL);
	assert_false(r.cpu.has & TBX_HAS(TBX_CPU_A_COUNT));
	tbx_run_clear(&r);
}

static void unknown_attrs_skipped(void **state)
{
	struct tbx_run r = { 0 };

	assert_int_equal(0, tbx_run_parse(cpu_reply(TBX_CMD_RUN_GET, UNKNOWN_ATTRS), &r));
	assert_int_equal(50, r.cpu.level);
}

/* Each break is refused with -EBADMSG and a message naming the attribute. */
static void cpu_reply_broken(void **state)
{
	static const struct { unsigned int flags; const char *says; } cases[] = {
		{ NO_ID, "run/id missing" },
		{ NO_KIND, "run/kind missing" },
		{ NO_STATE, "run/state missing" },
		{ NO_NEST, "run/cpu missing" },
		{ NO_LEVEL, "run/cpu/level missing" },
		{ ID_U16, "run/id is not a u32" },
		{ STATE_U32, "run/state is not a u8" },
		{ DURATION_U32, "run/duration is not a u64" },
		{ CPU_TIME_U32, "run/cpu/cpu-time is not a u64" },
		{ OWNER_NO_NUL, "run/owner is not a string" },
		{ OWNER_LONG, "run/owner is longer than 63" },
		{ MESSAGE_NO_NUL, "run/message is not a string" },
		{ CPUS_NO_NUL, "run/cpu/cpus is not a string" },
		{ MEM_NEST_TOO, "another kind's nest" },
		{ TWO_NESTS, "run/cpu given twice" },
	};
	struct tbx_run r = { 0 };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tbx_err_clear();
		assert_int_equal(-EBADMSG,
				 tbx_run_parse(cpu_reply(TBX_CMD_RUN_GET, cases[i].flags), &r));
		if (!strstr(tbx_errmsg(), cases[i].says))
			fail_msg("case %zu: \"%s\", wanted \"%s\"", i, tbx_errmsg(),
				 cases[i].says);
		assert_int_equal(0, r.id);	/* nothing half-parsed is left */
	}
}

static void event_needs_event(void **state)
{
	struct tbx_run r = { 0 };

	assert_int_equal(-EBADMSG, tbx_run_parse(cpu_reply(TBX_CMD_RUN_NTF, 0), &r));
	assert_non_null(strstr(tbx_errmsg(), "run/event missing"));
	assert_int_equal(0, tbx_run_parse(cpu_reply(TBX_CMD_RUN_NTF, WITH_EVENT), &r));
	assert_int_equal(TBX_RUN_EVENT_STARTED, r.event);
	assert_string_equal("started", tbx_run_event_name(r.event));
}

static void top_level_broken(void **state)
{
	struct nlmsghdr *nlh;
	struct nlattr *run;
	struct tbx_run r = { 0 };

	assert_int_equal(-EBADMSG, tbx_run_parse(msg(TBX_CMD_RUN_GET), &r));
	assert_non_null(strstr(tbx_errmsg(), "run missing"));

	nlh = msg(TBX_CMD_RUN_GET);
	mnl_attr_put(nlh, TBX_A_RUN, 2, "xx");	/* too short to hold attributes */
	assert_int_equal(-EBADMSG, tbx_run_parse(nlh, &r));

	/* kind 0 and kind 9 name no kind. */
	for (int kind = 0; kind <= 9; kind += 9) {
		nlh = msg(TBX_CMD_RUN_GET);
		run = mnl_attr_nest_start(nlh, TBX_A_RUN);
		mnl_attr_put_u32(nlh, TBX_RUN_A_ID, 1);
		mnl_attr_put_u8(nlh, TBX_RUN_A_KIND, kind);
		mnl_attr_put_u8(nlh, TBX_RUN_A_STATE, TBX_RUN_STATE_PENDING);
		mnl_attr_nest_end(nlh, run);
		assert_int_equal(-EBADMSG, tbx_run_parse(nlh, &r));
		assert_non_null(strstr(tbx_errmsg(), "run/kind"));
	}
}

/* A net run with every parameter and a profile of @nseg segments. */
static struct nlmsghdr *net_reply(int nseg, int mac_len, int seg_without_offset)
{
	static const uint8_t mac[7] = { 2, 0, 0x5e, 0, 0, 1, 9 };
	struct nlmsghdr *nlh = msg(TBX_CMD_RUN_DEL);
	struct nlattr *run, *net, *prof, *seg;

	run = mnl_attr_nest_start(nlh, TBX_A_RUN);
	mnl_attr_put_u32(nlh, TBX_RUN_A_ID, 7);
	mnl_attr_put_u8(nlh, TBX_RUN_A_KIND, TBX_RUN_KIND_NET);
	mnl_attr_put_u8(nlh, TBX_RUN_A_STATE, TBX_RUN_STATE_STOPPED);
	mnl_attr_put_strz(nlh, TBX_RUN_A_MESSAGE, "deleted");
	net = mnl_attr_nest_start(nlh, TBX_RUN_A_NET);
	mnl_attr_put_u32(nlh, TBX_NET_A_IFINDEX, 4);
	mnl_attr_put_strz(nlh, TBX_NET_A_IFNAME, "veth0");
	mnl_attr_put_u8(nlh, TBX_NET_A_PATTERN, TBX_NET_PATTERN_UDP);
	mnl_attr_put_u32(nlh, TBX_NET_A_SIZE, 60);
	mnl_attr_put_u32(nlh, TBX_NET_A_DST, htonl(0xc6120002));
	mnl_attr_put_u16(nlh, TBX_NET_A_DST_PORT, 9);
	mnl_attr_put_u32(nlh, TBX_NET_A_SRC_MIN, htonl(0xc612000a));
	mnl_attr_put_u32(nlh, TBX_NET_A_SRC_MAX, htonl(0xc6120014));
	mnl_attr_put(nlh, TBX_NET_A_DST_MAC, mac_len, mac);
	prof = mnl_attr_nest_start(nlh, TBX_NET_A_PROFILE);
	mnl_attr_put_u64(nlh, TBX_PROFILE_A_PERIOD, 10000000000ULL);
	for (int i = 0; i < nseg; i++) {
		seg = mnl_attr_nest_start(nlh, TBX_PROFILE_A_SEGMENT);
		if (!(seg_without_offset && i == nseg - 1))
			mnl_attr_put_u64(nlh, TBX_SEGMENT_A_OFFSET, i * 1000000ULL);
		mnl_attr_put_u64(nlh, TBX_SEGMENT_A_RATE_BPS, 1000 * (i + 1));
		mnl_attr_nest_end(nlh, seg);
	}
	mnl_attr_nest_end(nlh, prof);
	mnl_attr_put_u64(nlh, TBX_NET_A_PACKETS, 1234);
	mnl_attr_put_u64(nlh, TBX_NET_A_BYTES, 74040);
	mnl_attr_put_u64(nlh, TBX_NET_A_DROPS, 0);
	mnl_attr_nest_end(nlh, net);
	mnl_attr_nest_end(nlh, run);
	return nlh;
}

static void net_reply_good(void **state)
{
	static const uint8_t mac[6] = { 2, 0, 0x5e, 0, 0, 1 };
	struct tbx_run r = { 0 };

	assert_int_equal(0, tbx_run_parse(net_reply(3, 6, 0), &r));
	assert_string_equal("veth0", r.net.ifname);
	assert_int_equal(4, r.net.ifindex);
	assert_int_equal(TBX_NET_PATTERN_UDP, r.net.pattern);
	assert_true(r.net.dst == htonl(0xc6120002));
	assert_int_equal(9, r.net.port);
	assert_true(r.net.src_max == htonl(0xc6120014));
	assert_memory_equal(mac, r.net.dst_mac, 6);
	assert_true(r.net.period_ns == 10000000000ULL);
	assert_int_equal(3, r.net.n_segs);
	assert_true(r.net.segs[2].offset_ns == 2000000 && r.net.segs[2].rate_bps == 3000);
	assert_true(r.net.packets == 1234 && r.net.bytes == 74040);
	assert_true(r.net.has & TBX_HAS(TBX_NET_A_DROPS));
	assert_false(r.net.has & TBX_HAS(TBX_NET_A_RATE_PPS));
	assert_string_equal("deleted", r.message);
	tbx_run_clear(&r);
	assert_null(r.net.segs);

	/* As many segments as one message can hold (a nest's length is 16 bits). */
	assert_int_equal(0, tbx_run_parse(net_reply(TBX_RUN_PROFILE_SEGS_MAX, 6, 0), &r));
	assert_int_equal(TBX_RUN_PROFILE_SEGS_MAX, r.net.n_segs);
	tbx_run_clear(&r);
}

static void net_reply_broken(void **state)
{
	struct tbx_run r = { 0 };

	assert_int_equal(-EBADMSG, tbx_run_parse(net_reply(1, 5, 0), &r));
	assert_non_null(strstr(tbx_errmsg(), "run/net/dst-mac is not 6 bytes"));
	assert_int_equal(-EBADMSG, tbx_run_parse(net_reply(1, 7, 0), &r));
	assert_int_equal(-EBADMSG, tbx_run_parse(net_reply(2, 6, 1), &r));
	assert_non_null(strstr(tbx_errmsg(), "run/net/profile/segment/offset missing"));
	assert_null(r.net.segs);
}

static void mem_reply(void **state)
{
	struct nlmsghdr *nlh = msg(TBX_CMD_RUN_NEW);
	struct nlattr *run, *mem;
	struct tbx_run r = { 0 };

	run = mnl_attr_nest_start(nlh, TBX_A_RUN);
	mnl_attr_put_u32(nlh, TBX_RUN_A_ID, 2);
	mnl_attr_put_u8(nlh, TBX_RUN_A_KIND, TBX_RUN_KIND_MEM);
	mnl_attr_put_u8(nlh, TBX_RUN_A_STATE, TBX_RUN_STATE_PENDING);
	mnl_attr_put_u64(nlh, TBX_RUN_A_START, 1795323600000000000ULL);
	mem = mnl_attr_nest_start(nlh, TBX_RUN_A_MEM);
	mnl_attr_put_u64(nlh, TBX_MEM_A_BYTES, 256ULL << 20);
	mnl_attr_put_u32(nlh, TBX_MEM_A_RETOUCH, 10000);
	mnl_attr_put_u64(nlh, TBX_MEM_A_HELD, 0);
	mnl_attr_nest_end(nlh, mem);
	mnl_attr_nest_end(nlh, run);
	assert_int_equal(0, tbx_run_parse(nlh, &r));
	assert_true(r.mem.bytes == 256ULL << 20);
	assert_int_equal(10000, r.mem.retouch_us);
	assert_true(r.has & TBX_HAS(TBX_RUN_A_START));
	assert_true(r.start == 1795323600000000000ULL);
	assert_false(r.mem.has & TBX_HAS(TBX_MEM_A_PASSES));
}

/* --- requests ---------------------------------------------------------------- */

/* The types inside @nest as a bit mask, with each attribute's payload length checked. */
static uint64_t types_in(const struct nlattr *nest)
{
	const struct nlattr *a;
	uint64_t mask = 0;

	mnl_attr_for_each_nested(a, nest) {
		assert_false(mask & TBX_HAS(mnl_attr_get_type(a)));	/* once each */
		mask |= TBX_HAS(mnl_attr_get_type(a));
	}
	return mask;
}

static const struct nlattr *find(const struct nlattr *nest, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == type)
			return a;
	fail_msg("attribute %u missing", type);
	return NULL;
}

static const struct nlattr *only_top(const struct nlmsghdr *nlh)
{
	const struct nlattr *a, *run = NULL;
	int n = 0;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		assert_int_equal(TBX_A_RUN, mnl_attr_get_type(a));
		run = a;
		n++;
	}
	assert_int_equal(1, n);
	return run;
}

/* tbx run add cpu 50% mode total for 30s owner emu1: exactly these attributes. */
static void cpu_add_request(void **state)
{
	struct nlmsghdr *nlh = msg(TBX_CMD_RUN_NEW);
	struct tbx_run r = {
		.has = TBX_HAS(TBX_RUN_A_KIND) | TBX_HAS(TBX_RUN_A_CPU) |
		       TBX_HAS(TBX_RUN_A_DURATION) | TBX_HAS(TBX_RUN_A_OWNER) |
		       /* reply-only: never sent */
		       TBX_HAS(TBX_RUN_A_STATE) | TBX_HAS(TBX_RUN_A_CREATED),
		.kind = TBX_RUN_KIND_CPU, .duration = 30000000000ULL, .owner = "emu1",
		.state = 2, .created = 5,
		.cpu = { .has = TBX_HAS(TBX_CPU_A_LEVEL) | TBX_HAS(TBX_CPU_A_MODE) |
				TBX_HAS(TBX_CPU_A_CPU_TIME),
			 .level = 50, .mode = TBX_CPU_MODE_TOTAL },
	};
	const struct nlattr *run, *cpu;

	assert_int_equal(0, tbx_run_put_check(&r));
	tbx_run_put(nlh, &r);
	assert_true(nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN <= tbx_run_put_size(&r));
	run = only_top(nlh);
	assert_true(types_in(run) == (TBX_HAS(TBX_RUN_A_KIND) | TBX_HAS(TBX_RUN_A_CPU) |
				      TBX_HAS(TBX_RUN_A_DURATION) | TBX_HAS(TBX_RUN_A_OWNER)));
	assert_int_equal(1, mnl_attr_get_payload_len(find(run, TBX_RUN_A_KIND)));
	assert_int_equal(TBX_RUN_KIND_CPU, mnl_attr_get_u8(find(run, TBX_RUN_A_KIND)));
	assert_int_equal(8, mnl_attr_get_payload_len(find(run, TBX_RUN_A_DURATION)));
	assert_true(mnl_attr_get_u64(find(run, TBX_RUN_A_DURATION)) == 30000000000ULL);
	assert_string_equal("emu1", mnl_attr_get_str(find(run, TBX_RUN_A_OWNER)));
	assert_int_equal(5, mnl_attr_get_payload_len(find(run, TBX_RUN_A_OWNER)));
	cpu = find(run, TBX_RUN_A_CPU);
	assert_true(types_in(cpu) == (TBX_HAS(TBX_CPU_A_LEVEL) | TBX_HAS(TBX_CPU_A_MODE)));
	assert_int_equal(4, mnl_attr_get_payload_len(find(cpu, TBX_CPU_A_LEVEL)));
	assert_int_equal(50, mnl_attr_get_u32(find(cpu, TBX_CPU_A_LEVEL)));
	assert_int_equal(TBX_CPU_MODE_TOTAL, mnl_attr_get_u8(find(cpu, TBX_CPU_A_MODE)));
}

/* set: ID, FORCE (a flag, no payload) and the kind's nest with the level. */
static void set_and_filter_requests(void **state)
{
	struct nlmsghdr *nlh = msg(TBX_CMD_RUN_SET);
	struct tbx_run r = {
		.has = TBX_HAS(TBX_RUN_A_ID) | TBX_HAS(TBX_RUN_A_FORCE) | TBX_HAS(TBX_RUN_A_MEM),
		.id = 9, .mem = { .has = TBX_HAS(TBX_MEM_A_BYTES), .bytes = 1ULL << 30 },
	};
	struct tbx_run f = { .has = TBX_HAS(TBX_RUN_A_KIND), .kind = TBX_RUN_KIND_NET };
	const struct nlattr *run, *mem;

	tbx_run_put(nlh, &r);
	run = only_top(nlh);
	assert_true(types_in(run) == (TBX_HAS(TBX_RUN_A_ID) | TBX_HAS(TBX_RUN_A_FORCE) |
				      TBX_HAS(TBX_RUN_A_MEM)));
	assert_int_equal(0, mnl_attr_get_payload_len(find(run, TBX_RUN_A_FORCE)));
	assert_int_equal(9, mnl_attr_get_u32(find(run, TBX_RUN_A_ID)));
	mem = find(run, TBX_RUN_A_MEM);
	assert_true(types_in(mem) == TBX_HAS(TBX_MEM_A_BYTES));
	assert_true(mnl_attr_get_u64(find(mem, TBX_MEM_A_BYTES)) == 1ULL << 30);

	nlh = msg(TBX_CMD_RUN_GET);
	tbx_run_put(nlh, &f);
	assert_true(types_in(only_top(nlh)) == TBX_HAS(TBX_RUN_A_KIND));
}

static struct tbx_run net_request(uint32_t nseg)
{
	struct tbx_run r = {
		.has = TBX_HAS(TBX_RUN_A_KIND) | TBX_HAS(TBX_RUN_A_NET) |
		       TBX_HAS(TBX_RUN_A_OWNER),
		.kind = TBX_RUN_KIND_NET,
		.net = { .has = TBX_HAS(TBX_NET_A_IFNAME) | TBX_HAS(TBX_NET_A_PATTERN) |
				TBX_HAS(TBX_NET_A_DST) | TBX_HAS(TBX_NET_A_DST_PORT) |
				TBX_HAS(TBX_NET_A_SRC_MIN) | TBX_HAS(TBX_NET_A_SRC_MAX) |
				TBX_HAS(TBX_NET_A_DST_MAC) | TBX_HAS(TBX_NET_A_SIZE) |
				TBX_HAS(TBX_NET_A_PROFILE),
			 .ifname = "veth-longest15", .pattern = TBX_NET_PATTERN_FUZZ,
			 .dst = htonl(0xc6120002), .port = 9, .size = 1500,
			 .period_ns = 10000000000ULL, .n_segs = nseg },
	};

	memset(r.owner, 'o', sizeof(r.owner) - 1);	/* the longest owner */
	r.net.segs = calloc(nseg ? nseg : 1, sizeof(*r.net.segs));
	assert_non_null(r.net.segs);
	for (uint32_t i = 0; i < nseg; i++) {
		r.net.segs[i].offset_ns = i * 1000000ULL;
		r.net.segs[i].rate_bps = i * 8;
	}
	return r;
}

/* The biggest profile a request may carry fits the u16 nest lengths and the size bound. */
static void net_profile_request(void **state)
{
	struct tbx_run r = net_request(TBX_RUN_PROFILE_SEGS_MAX);
	struct nlmsghdr *nlh = msg(TBX_CMD_RUN_NEW);
	const struct nlattr *run, *net, *prof, *a;
	uint32_t segs = 0;
	size_t used;

	assert_int_equal(0, tbx_run_put_check(&r));
	tbx_run_put(nlh, &r);
	used = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	assert_true(used <= tbx_run_put_size(&r));
	run = only_top(nlh);
	assert_int_equal(used, mnl_attr_get_len(run));	/* no 16-bit wrap */
	net = find(run, TBX_RUN_A_NET);
	assert_int_equal(6, mnl_attr_get_payload_len(find(net, TBX_NET_A_DST_MAC)));
	assert_int_equal(2, mnl_attr_get_payload_len(find(net, TBX_NET_A_DST_PORT)));
	assert_false(types_in(net) & TBX_HAS(TBX_NET_A_RATE_PPS));
	prof = find(net, TBX_NET_A_PROFILE);
	assert_true(mnl_attr_get_u64(find(prof, TBX_PROFILE_A_PERIOD)) == 10000000000ULL);
	mnl_attr_for_each_nested(a, prof) {
		if (mnl_attr_get_type(a) != TBX_PROFILE_A_SEGMENT)
			continue;
		assert_true(mnl_attr_get_u64(find(a, TBX_SEGMENT_A_OFFSET)) == segs * 1000000ULL);
		assert_true(mnl_attr_get_u64(find(a, TBX_SEGMENT_A_RATE_BPS)) == segs * 8ULL);
		segs++;
	}
	assert_int_equal(TBX_RUN_PROFILE_SEGS_MAX, segs);
	tbx_run_clear(&r);
}

static void net_profile_limits(void **state)
{
	struct tbx_run r = net_request(TBX_RUN_PROFILE_SEGS_MAX + 1);

	assert_int_equal(-E2BIG, tbx_run_put_check(&r));
	assert_non_null(strstr(tbx_errmsg(), "segments"));
	tbx_run_clear(&r);
	r = net_request(0);
	assert_int_equal(-EINVAL, tbx_run_put_check(&r));
	tbx_run_clear(&r);
}

static void names(void **state)
{
	assert_int_equal(TBX_RUN_KIND_MEM, tbx_run_kind_of("mem"));
	assert_int_equal(0, tbx_run_kind_of("disk"));
	assert_int_equal(0, tbx_run_kind_of(NULL));
	assert_int_equal(TBX_NET_PATTERN_TCP_SYN, tbx_net_pattern_of("tcp-syn"));
	assert_int_equal(TBX_CPU_MODE_TOTAL, tbx_cpu_mode_of("total"));
	assert_string_equal("failed", tbx_run_state_name(TBX_RUN_STATE_FAILED));
	assert_null(tbx_run_state_name(0));
	assert_null(tbx_run_state_name(200));
	assert_string_equal("icmp-echo", tbx_net_pattern_name(TBX_NET_PATTERN_ICMP_ECHO));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cpu_reply_good),
		cmocka_unit_test(unknown_attrs_skipped),
		cmocka_unit_test(cpu_reply_broken),
		cmocka_unit_test(event_needs_event),
		cmocka_unit_test(top_level_broken),
		cmocka_unit_test(net_reply_good),
		cmocka_unit_test(net_reply_broken),
		cmocka_unit_test(mem_reply),
		cmocka_unit_test(cpu_add_request),
		cmocka_unit_test(set_and_filter_requests),
		cmocka_unit_test(net_profile_request),
		cmocka_unit_test(net_profile_limits),
		cmocka_unit_test(names),
	};

	return cmocka_run_group_tests_name("libtbx runs", tests, NULL, NULL);
}
