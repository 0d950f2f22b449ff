// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tbx run: contention loads (cpu, mem, net) in tbx.ko.
 *   add KIND ..., list [owner TAG] [kind K], show ID, set ID level L [force], del ID
 * The command line is checked here (syntax, units); ranges and devices are
 * the kernel's to judge, and its extack message is printed as it comes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include "err.h"
#include "parse.h"
#include "profile.h"
#include "run.h"
#include "tbx.h"

#define NSEC	1000000000ULL

static void run_usage(FILE *f)
{
	fprintf(f,
		"Usage: tbx run add cpu LEVEL%% [cpus LIST | count N] [mode add|total] [COMMON]\n"
		"       tbx run add mem SIZE [retouch DURATION] [force] [COMMON]\n"
		"       tbx run add net dev DEV dst ADDR udp|tcp-syn|icmp-echo|fuzz\n"
		"                   (rate RATE | profile FILE) [size BYTES] [port N]\n"
		"                   [src ADDR[-ADDR]] [dstmac MAC] [COMMON]\n"
		"       tbx run list [owner TAG] [kind cpu|mem|net]\n"
		"       tbx run show ID\n"
		"       tbx run set ID level LEVEL [force]\n"
		"       tbx run del ID\n"
		"COMMON := [for DURATION] [at TIME] [owner TAG]\n"
		"DURATION: 30s, 1.5m, 500ms (ns us ms s m h d; plain = seconds)\n"
		"SIZE: 256MiB, 1G, 4096 (B K KiB M MiB G GiB T TiB = 1024s; KB MB GB TB = 1000s)\n"
		"RATE: 100kpps, 10mbit (pps kpps mpps; bit kbit mbit gbit tbit)\n"
		"TIME: now, +30s, @1763790000.25, 2026-11-22T05:00:00Z\n");
}

/* --- showing a run ------------------------------------------------------- */

/* RFC 3339 in UTC with milliseconds, as tbx monitor stamps events. */
static const char *fmt_time(char *buf, size_t len, uint64_t ns)
{
	time_t secs = ns / NSEC;
	struct tm tm;

	gmtime_r(&secs, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (int)(ns % NSEC / 1000000));
	return buf;
}

static const char *fmt_ipv4(char *buf, size_t len, uint32_t be)
{
	struct in_addr a = { .s_addr = be };

	return inet_ntop(AF_INET, &a, buf, len) ? buf : "?";
}

static const char *fmt_mac(char *buf, size_t len, const uint8_t *m)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

static const char *or_unknown(const char *name)
{
	return name ? name : "unknown";
}

#define HAS(mask, attr)	((mask) & TBX_HAS(attr))

static void print_cpu(const struct tbx_run_cpu *c)
{
	printf(" level %u%%", c->level);
	if (HAS(c->has, TBX_CPU_A_MODE))
		printf(" mode %s", or_unknown(tbx_cpu_mode_name(c->mode)));
	if (HAS(c->has, TBX_CPU_A_CPUS))
		printf(" cpus %s", c->cpus);
	if (HAS(c->has, TBX_CPU_A_COUNT))
		printf(" count %u", c->count);
}

static void print_mem(const struct tbx_run_mem *m)
{
	char b[64];

	printf(" bytes %s", tbx_fmt_size(b, sizeof(b), m->bytes));
	if (HAS(m->has, TBX_MEM_A_RETOUCH))
		printf(" retouch %s", tbx_fmt_duration(b, sizeof(b), m->retouch_us * 1000ULL));
}

static void print_net(const struct tbx_run_net *n)
{
	char b[64], c[64];

	if (HAS(n->has, TBX_NET_A_IFNAME))
		printf(" dev %s", n->ifname);
	else if (HAS(n->has, TBX_NET_A_IFINDEX))
		printf(" ifindex %u", n->ifindex);
	printf(" %s", or_unknown(tbx_net_pattern_name(n->pattern)));
	if (HAS(n->has, TBX_NET_A_DST)) {
		printf(" dst %s", fmt_ipv4(b, sizeof(b), n->dst));
		if (HAS(n->has, TBX_NET_A_DST_PORT))
			printf(":%u", n->port);
	}
	if (HAS(n->has, TBX_NET_A_RATE_PPS))
		printf(" rate %llupps", (unsigned long long)n->rate_pps);
	if (HAS(n->has, TBX_NET_A_RATE_BPS))
		printf(" rate %s", tbx_fmt_bps(b, sizeof(b), n->rate_bps));
	if (HAS(n->has, TBX_NET_A_PROFILE))
		printf(" profile period %s segments %u",
		       tbx_fmt_duration(b, sizeof(b), n->period_ns), n->n_segs);
	if (HAS(n->has, TBX_NET_A_SIZE))
		printf(" size %u", n->size);
	if (HAS(n->has, TBX_NET_A_SRC_MIN)) {
		printf(" src %s", fmt_ipv4(b, sizeof(b), n->src_min));
		if (HAS(n->has, TBX_NET_A_SRC_MAX) && n->src_max != n->src_min)
			printf("-%s", fmt_ipv4(c, sizeof(c), n->src_max));
	}
	if (HAS(n->has, TBX_NET_A_DST_MAC))
		printf(" dstmac %s", fmt_mac(b, sizeof(b), n->dst_mac));
}

/* What the run achieved: printed after the common attributes. */
static void print_figures(const struct tbx_run *r)
{
	char b[64];

	switch (r->kind) {
	case TBX_RUN_KIND_CPU:
		if (HAS(r->cpu.has, TBX_CPU_A_CPU_TIME))
			printf(" cpu-time %.3fs", r->cpu.cpu_time_ns / 1e9);
		break;
	case TBX_RUN_KIND_MEM:
		if (HAS(r->mem.has, TBX_MEM_A_HELD))
			printf(" held %s", tbx_fmt_size(b, sizeof(b), r->mem.held));
		if (HAS(r->mem.has, TBX_MEM_A_PASSES))
			printf(" passes %llu", (unsigned long long)r->mem.passes);
		break;
	case TBX_RUN_KIND_NET:
		if (HAS(r->net.has, TBX_NET_A_PACKETS))
			printf(" sent %llu pkts", (unsigned long long)r->net.packets);
		if (HAS(r->net.has, TBX_NET_A_BYTES))
			printf(" %llu bytes", (unsigned long long)r->net.bytes);
		if (HAS(r->net.has, TBX_NET_A_DROPS))
			printf(" drops %llu", (unsigned long long)r->net.drops);
		break;
	}
}

static void print_quoted(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
	putchar('"');
}

void tbx_run_print_line(const struct tbx_run *r, const char *event)
{
	const char *kind = or_unknown(tbx_run_kind_name(r->kind));
	const char *state = or_unknown(tbx_run_state_name(r->state));
	char b[64];

	if (event)
		printf("%u %s %s %s", r->id, event, state, kind);
	else
		printf("%u %s %s", r->id, kind, state);
	switch (r->kind) {
	case TBX_RUN_KIND_CPU:
		print_cpu(&r->cpu);
		break;
	case TBX_RUN_KIND_MEM:
		print_mem(&r->mem);
		break;
	case TBX_RUN_KIND_NET:
		print_net(&r->net);
		break;
	}
	if (r->duration)
		printf(" for %s", tbx_fmt_duration(b, sizeof(b), r->duration));
	if (r->owner[0])
		printf(" owner %s", r->owner);
	if (HAS(r->has, TBX_RUN_A_START))
		printf(" at %s", fmt_time(b, sizeof(b), r->start));
	if (r->started)
		printf(" started %s", fmt_time(b, sizeof(b), r->started));
	if (r->ended)
		printf(" ended %s", fmt_time(b, sizeof(b), r->ended));
	print_figures(r);
	if (r->message[0]) {
		printf(" message ");
		print_quoted(r->message);
	}
	putchar('\n');
}

static void json_set_u64(json_t *o, const char *key, uint64_t v)
{
	json_object_set_new(o, key, json_integer((json_int_t)v));
}

static json_t *cpu_json(const struct tbx_run_cpu *c)
{
	json_t *o = json_object();

	json_set_u64(o, "level", c->level);
	if (HAS(c->has, TBX_CPU_A_MODE))
		json_object_set_new(o, "mode", json_string(or_unknown(tbx_cpu_mode_name(c->mode))));
	if (HAS(c->has, TBX_CPU_A_CPUS))
		json_object_set_new(o, "cpus", json_string(c->cpus));
	if (HAS(c->has, TBX_CPU_A_COUNT))
		json_set_u64(o, "count", c->count);
	if (HAS(c->has, TBX_CPU_A_CPU_TIME))
		json_set_u64(o, "cpu_time_ns", c->cpu_time_ns);
	return o;
}

static json_t *mem_json(const struct tbx_run_mem *m)
{
	json_t *o = json_object();

	json_set_u64(o, "bytes", m->bytes);
	if (HAS(m->has, TBX_MEM_A_RETOUCH))
		json_set_u64(o, "retouch_us", m->retouch_us);
	if (HAS(m->has, TBX_MEM_A_HELD))
		json_set_u64(o, "held", m->held);
	if (HAS(m->has, TBX_MEM_A_PASSES))
		json_set_u64(o, "passes", m->passes);
	return o;
}

static json_t *profile_json(const struct tbx_run_net *n)
{
	json_t *segs = json_array();

	for (uint32_t i = 0; i < n->n_segs; i++)
		json_array_append_new(segs, json_pack("[I, I]",
			(json_int_t)n->segs[i].offset_ns, (json_int_t)n->segs[i].rate_bps));
	return json_pack("{s:I, s:o}", "period_ns", (json_int_t)n->period_ns,
			 "segments", segs);
}

static json_t *net_json(const struct tbx_run_net *n)
{
	json_t *o = json_object();
	char b[64];

	if (HAS(n->has, TBX_NET_A_IFINDEX))
		json_set_u64(o, "ifindex", n->ifindex);
	if (HAS(n->has, TBX_NET_A_IFNAME))
		json_object_set_new(o, "ifname", json_string(n->ifname));
	json_object_set_new(o, "pattern", json_string(or_unknown(tbx_net_pattern_name(n->pattern))));
	if (HAS(n->has, TBX_NET_A_RATE_PPS))
		json_set_u64(o, "rate_pps", n->rate_pps);
	if (HAS(n->has, TBX_NET_A_RATE_BPS))
		json_set_u64(o, "rate_bps", n->rate_bps);
	if (HAS(n->has, TBX_NET_A_SIZE))
		json_set_u64(o, "size", n->size);
	if (HAS(n->has, TBX_NET_A_DST))
		json_object_set_new(o, "dst", json_string(fmt_ipv4(b, sizeof(b), n->dst)));
	if (HAS(n->has, TBX_NET_A_DST_PORT))
		json_set_u64(o, "port", n->port);
	if (HAS(n->has, TBX_NET_A_SRC_MIN))
		json_object_set_new(o, "src_min", json_string(fmt_ipv4(b, sizeof(b), n->src_min)));
	if (HAS(n->has, TBX_NET_A_SRC_MAX))
		json_object_set_new(o, "src_max", json_string(fmt_ipv4(b, sizeof(b), n->src_max)));
	if (HAS(n->has, TBX_NET_A_DST_MAC))
		json_object_set_new(o, "dst_mac", json_string(fmt_mac(b, sizeof(b), n->dst_mac)));
	if (HAS(n->has, TBX_NET_A_PACKETS))
		json_set_u64(o, "packets", n->packets);
	if (HAS(n->has, TBX_NET_A_BYTES))
		json_set_u64(o, "bytes", n->bytes);
	if (HAS(n->has, TBX_NET_A_DROPS))
		json_set_u64(o, "drops", n->drops);
	if (HAS(n->has, TBX_NET_A_TX_START))
		json_set_u64(o, "tx_start", n->tx_start);
	if (HAS(n->has, TBX_NET_A_PROFILE))
		json_object_set_new(o, "profile", profile_json(n));
	return o;
}

json_t *tbx_run_json(const struct tbx_run *r)
{
	const char *kind = or_unknown(tbx_run_kind_name(r->kind));
	json_t *o = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)r->id,
			      "kind", kind,
			      "state", or_unknown(tbx_run_state_name(r->state)));

	if (r->owner[0])
		json_object_set_new(o, "owner", json_string(r->owner));
	if (HAS(r->has, TBX_RUN_A_START))
		json_set_u64(o, "start", r->start);
	json_set_u64(o, "duration_ns", r->duration);
	if (r->created)
		json_set_u64(o, "created", r->created);
	if (r->started)
		json_set_u64(o, "started", r->started);
	if (r->ended)
		json_set_u64(o, "ended", r->ended);
	if (r->message[0])
		json_object_set_new(o, "message", json_string(r->message));
	switch (r->kind) {
	case TBX_RUN_KIND_CPU:
		json_object_set_new(o, kind, cpu_json(&r->cpu));
		break;
	case TBX_RUN_KIND_MEM:
		json_object_set_new(o, kind, mem_json(&r->mem));
		break;
	case TBX_RUN_KIND_NET:
		json_object_set_new(o, kind, net_json(&r->net));
		break;
	}
	return o;
}

static void show(struct tbx_ctx *ctx, const struct tbx_run *r)
{
	if (ctx->json)
		tbx_print_json(ctx, tbx_run_json(r));
	else
		tbx_run_print_line(r, NULL);
}

/* --- reading the command line ------------------------------------------------ */

struct args {
	int argc;
	char **argv;
	const char *verb;	/* "run add cpu", for messages */
	uint64_t common;	/* TBX_HAS() of the common keywords seen */
};

/* The value after keyword argv[0]; a usage error when there is none. */
static const char *value(struct args *a)
{
	if (a->argc < 2) {
		tbx_usage_error("%s: \"%s\" needs a value", a->verb, a->argv[0]);
		return NULL;
	}
	return a->argv[1];
}

static void shift(struct args *a, int n)
{
	a->argc -= n;
	a->argv += n;
}

/* Marks @attr seen in @mask; a usage error when it was seen already. */
static int once(struct args *a, uint64_t *mask, int attr)
{
	if (*mask & TBX_HAS(attr))
		return tbx_usage_error("%s: \"%s\" given twice", a->verb, a->argv[0]);
	*mask |= TBX_HAS(attr);
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

/*
 * for / at / owner. *used: 2 when argv[0] was one (keyword and value), else
 * 0. Returns 0 or TBX_EXIT_USAGE.
 */
static int parse_common(struct args *a, struct tbx_run *r, int *used)
{
	const char *key = a->argv[0], *val;

	*used = 0;
	if (strcmp(key, "for") && strcmp(key, "at") && strcmp(key, "owner"))
		return 0;
	val = value(a);
	if (!val)
		return TBX_EXIT_USAGE;
	if (!strcmp(key, "for")) {
		if (once(a, &a->common, TBX_RUN_A_DURATION))
			return TBX_EXIT_USAGE;
		r->has |= TBX_HAS(TBX_RUN_A_DURATION);
		if (tbx_parse_duration(val, &r->duration))
			return tbx_usage_error("%s: for: %s", a->verb, tbx_errmsg());
	} else if (!strcmp(key, "at")) {
		if (once(a, &a->common, TBX_RUN_A_START))
			return TBX_EXIT_USAGE;
		r->has |= TBX_HAS(TBX_RUN_A_START);
		if (tbx_parse_time(val, now_ns(), &r->start))
			return tbx_usage_error("%s: at: %s", a->verb, tbx_errmsg());
		if (!r->start)		/* "now": no instant */
			r->has &= ~TBX_HAS(TBX_RUN_A_START);
	} else {
		if (once(a, &a->common, TBX_RUN_A_OWNER))
			return TBX_EXIT_USAGE;
		r->has |= TBX_HAS(TBX_RUN_A_OWNER);
		if (strlen(val) >= sizeof(r->owner))
			return tbx_usage_error("%s: owner \"%s\" is longer than %zu bytes",
					       a->verb, val, sizeof(r->owner) - 1);
		strcpy(r->owner, val);
	}
	*used = 2;
	return 0;
}

/* Whether @word is one of the NULL-terminated keywords that follow. */
static bool is_one_of(const char *word, ...)
{
	const char *k;
	va_list ap;
	bool found = false;

	va_start(ap, word);
	while (!found && (k = va_arg(ap, const char *)))
		found = !strcmp(word, k);
	va_end(ap);
	return found;
}

static int unknown(struct args *a)
{
	return tbx_usage_error("%s: unknown word \"%s\"; see \"tbx run help\"",
			       a->verb, a->argv[0]);
}

static int parse_cpu(struct args *a, struct tbx_run *r)
{
	struct tbx_run_cpu *c = &r->cpu;
	const char *val;
	uint32_t v;
	int used, err;

	if (a->argc < 1)
		return tbx_usage_error("%s: LEVEL%% is missing", a->verb);
	if (tbx_parse_percent(a->argv[0], &c->level))
		return tbx_usage_error("%s: level: %s", a->verb, tbx_errmsg());
	c->has |= TBX_HAS(TBX_CPU_A_LEVEL);
	for (shift(a, 1); a->argc > 0; shift(a, used)) {
		err = parse_common(a, r, &used);
		if (err)
			return err;
		if (used)
			continue;
		if (!is_one_of(a->argv[0], "cpus", "count", "mode", NULL))
			return unknown(a);
		val = value(a);
		if (!val)
			return TBX_EXIT_USAGE;
		used = 2;
		if (!strcmp(a->argv[0], "cpus")) {
			if (once(a, &c->has, TBX_CPU_A_CPUS))
				return TBX_EXIT_USAGE;
			if (strlen(val) >= sizeof(c->cpus))
				return tbx_usage_error("%s: cpus: the list is longer than %zu bytes",
						       a->verb, sizeof(c->cpus) - 1);
			strcpy(c->cpus, val);
		} else if (!strcmp(a->argv[0], "count")) {
			if (once(a, &c->has, TBX_CPU_A_COUNT))
				return TBX_EXIT_USAGE;
			if (tbx_parse_u32(val, NULL, &c->count))
				return tbx_usage_error("%s: count: %s", a->verb, tbx_errmsg());
		} else if (!strcmp(a->argv[0], "mode")) {
			if (once(a, &c->has, TBX_CPU_A_MODE))
				return TBX_EXIT_USAGE;
			c->mode = v = tbx_cpu_mode_of(val);
			if (!v)
				return tbx_usage_error("%s: mode \"%s\" is not add or total",
						       a->verb, val);
		} else {
			return unknown(a);
		}
	}
	if (HAS(c->has, TBX_CPU_A_CPUS) && HAS(c->has, TBX_CPU_A_COUNT))
		return tbx_usage_error("%s: cpus and count exclude each other", a->verb);
	return 0;
}

static int parse_mem(struct args *a, struct tbx_run *r)
{
	struct tbx_run_mem *m = &r->mem;
	const char *val;
	uint64_t ns;
	int used, err;

	if (a->argc < 1)
		return tbx_usage_error("%s: SIZE is missing", a->verb);
	if (tbx_parse_size(a->argv[0], &m->bytes))
		return tbx_usage_error("%s: size: %s", a->verb, tbx_errmsg());
	m->has |= TBX_HAS(TBX_MEM_A_BYTES);
	for (shift(a, 1); a->argc > 0; shift(a, used)) {
		err = parse_common(a, r, &used);
		if (err)
			return err;
		if (used)
			continue;
		if (!strcmp(a->argv[0], "force")) {
			if (once(a, &r->has, TBX_RUN_A_FORCE))
				return TBX_EXIT_USAGE;
			used = 1;
			continue;
		}
		if (strcmp(a->argv[0], "retouch"))
			return unknown(a);
		val = value(a);
		if (!val || once(a, &m->has, TBX_MEM_A_RETOUCH))
			return TBX_EXIT_USAGE;
		if (tbx_parse_duration(val, &ns))
			return tbx_usage_error("%s: retouch: %s", a->verb, tbx_errmsg());
		if (ns % 1000 || ns / 1000 > UINT32_MAX)
			return tbx_usage_error("%s: retouch \"%s\" must be whole microseconds, "
					       "at most %us", a->verb, val, UINT32_MAX / 1000000);
		m->retouch_us = ns / 1000;
		used = 2;
	}
	return 0;
}


/* One "KEY VALUE" of a net run; 0, or TBX_EXIT_USAGE. */
static int parse_net_option(struct args *a, struct tbx_run_net *n, const char *val)
{
	const char *key = a->argv[0];
	uint64_t rate;
	uint32_t v;
	bool pps;

	if (!strcmp(key, "dev")) {
		if (once(a, &n->has, TBX_NET_A_IFNAME))
			return TBX_EXIT_USAGE;
		if (!*val || strlen(val) >= sizeof(n->ifname))
			return tbx_usage_error("%s: dev \"%s\" is not a device name", a->verb, val);
		strcpy(n->ifname, val);
	} else if (!strcmp(key, "dst")) {
		if (once(a, &n->has, TBX_NET_A_DST))
			return TBX_EXIT_USAGE;
		if (tbx_parse_ipv4(val, &n->dst))
			return tbx_usage_error("%s: dst: %s", a->verb, tbx_errmsg());
	} else if (!strcmp(key, "rate")) {
		if (n->has & (TBX_HAS(TBX_NET_A_RATE_PPS) | TBX_HAS(TBX_NET_A_RATE_BPS)))
			return tbx_usage_error("%s: \"rate\" given twice", a->verb);
		if (tbx_parse_rate(val, &rate, &pps))
			return tbx_usage_error("%s: rate: %s", a->verb, tbx_errmsg());
		if (pps)
			n->rate_pps = rate;
		else
			n->rate_bps = rate;
		n->has |= TBX_HAS(pps ? TBX_NET_A_RATE_PPS : TBX_NET_A_RATE_BPS);
	} else if (!strcmp(key, "profile")) {
		if (once(a, &n->has, TBX_NET_A_PROFILE))
			return TBX_EXIT_USAGE;
		if (tbx_run_net_profile(val, n))
			return tbx_usage_error("%s: profile: %s", a->verb, tbx_errmsg());
		return 0;
	} else if (!strcmp(key, "size")) {
		if (once(a, &n->has, TBX_NET_A_SIZE))
			return TBX_EXIT_USAGE;
		if (tbx_parse_u32(val, NULL, &n->size))
			return tbx_usage_error("%s: size: %s", a->verb, tbx_errmsg());
	} else if (!strcmp(key, "port")) {
		if (once(a, &n->has, TBX_NET_A_DST_PORT))
			return TBX_EXIT_USAGE;
		if (tbx_parse_u32(val, NULL, &v) || v > UINT16_MAX)
			return tbx_usage_error("%s: port \"%s\" is not 0..65535", a->verb, val);
		n->port = v;
	} else if (!strcmp(key, "src")) {
		if (once(a, &n->has, TBX_NET_A_SRC_MIN))
			return TBX_EXIT_USAGE;
		if (tbx_parse_ipv4_range(val, &n->src_min, &n->src_max))
			return tbx_usage_error("%s: src: %s", a->verb, tbx_errmsg());
		n->has |= TBX_HAS(TBX_NET_A_SRC_MAX);
	} else if (!strcmp(key, "dstmac")) {
		if (once(a, &n->has, TBX_NET_A_DST_MAC))
			return TBX_EXIT_USAGE;
		if (tbx_parse_mac(val, n->dst_mac))
			return tbx_usage_error("%s: dstmac: %s", a->verb, tbx_errmsg());
	} else {
		return unknown(a);
	}
	return 0;
}

static int parse_net(struct args *a, struct tbx_run *r)
{
	struct tbx_run_net *n = &r->net;
	const char *val;
	uint8_t pattern;
	int used, err;

	for (; a->argc > 0; shift(a, used)) {
		err = parse_common(a, r, &used);
		if (err)
			return err;
		if (used)
			continue;
		pattern = tbx_net_pattern_of(a->argv[0]);
		if (pattern) {
			if (HAS(n->has, TBX_NET_A_PATTERN))
				return tbx_usage_error("%s: one pattern only (\"%s\")",
						       a->verb, a->argv[0]);
			n->has |= TBX_HAS(TBX_NET_A_PATTERN);
			n->pattern = pattern;
			used = 1;
			continue;
		}
		if (!is_one_of(a->argv[0], "dev", "dst", "rate", "profile", "size",
			       "port", "src", "dstmac", NULL))
			return unknown(a);
		val = value(a);
		if (!val)
			return TBX_EXIT_USAGE;
		err = parse_net_option(a, n, val);
		if (err)
			return err;
		used = 2;
	}
	if (!HAS(n->has, TBX_NET_A_IFNAME))
		return tbx_usage_error("%s: \"dev DEV\" is missing", a->verb);
	if (!HAS(n->has, TBX_NET_A_DST))
		return tbx_usage_error("%s: \"dst ADDR\" is missing", a->verb);
	if (!HAS(n->has, TBX_NET_A_PATTERN))
		return tbx_usage_error("%s: the pattern is missing: udp, tcp-syn, "
				       "icmp-echo or fuzz", a->verb);
	if (!(n->has & (TBX_HAS(TBX_NET_A_RATE_PPS) | TBX_HAS(TBX_NET_A_RATE_BPS) |
			TBX_HAS(TBX_NET_A_PROFILE))))
		return tbx_usage_error("%s: \"rate RATE\" or \"profile FILE\" is missing",
				       a->verb);
	if (HAS(n->has, TBX_NET_A_PROFILE) &&
	    (n->has & (TBX_HAS(TBX_NET_A_RATE_PPS) | TBX_HAS(TBX_NET_A_RATE_BPS))))
		return tbx_usage_error("%s: rate and profile exclude each other", a->verb);
	return 0;
}

/* --- the verbs ------------------------------------------------------------- */

static int parse_id(const char *verb, const char *s, uint32_t *id)
{
	if (!s)
		return tbx_usage_error("run %s: the run's ID is missing", verb);
	if (tbx_parse_u32(s, NULL, id) || !*id)
		return tbx_usage_error("run %s: \"%s\" is not a run ID (1, 2, ...)", verb, s);
	return 0;
}

static int run_add(struct tbx_ctx *ctx, int argc, char **argv)
{
	static const struct {
		const char *name;
		int attr;
		int (*parse)(struct args *a, struct tbx_run *r);
	} kinds[] = {
		[TBX_RUN_KIND_CPU] = { "run add cpu", TBX_RUN_A_CPU, parse_cpu },
		[TBX_RUN_KIND_MEM] = { "run add mem", TBX_RUN_A_MEM, parse_mem },
		[TBX_RUN_KIND_NET] = { "run add net", TBX_RUN_A_NET, parse_net },
	};
	struct tbx_run req = { 0 }, out = { 0 };
	struct args a = { argc - 1, argv + 1, NULL, 0 };
	struct tbx_nl nl;
	uint8_t kind;
	int err;

	if (argc < 1)
		return tbx_usage_error("run add: the kind is missing: cpu, mem or net");
	kind = tbx_run_kind_of(argv[0]);
	if (!kind)
		return tbx_usage_error("run add: unknown kind \"%s\": cpu, mem or net", argv[0]);
	a.verb = kinds[kind].name;
	req.kind = kind;
	req.has = TBX_HAS(TBX_RUN_A_KIND) | TBX_HAS(kinds[kind].attr);
	err = kinds[kind].parse(&a, &req);
	if (err)
		goto out;
	err = TBX_EXIT_FAIL;
	if (tbx_nl_open(&nl)) {
		tbx_fail();
		goto out;
	}
	if (tbx_run_new(&nl, &req, &out))
		tbx_fail();
	else {
		show(ctx, &out);
		err = TBX_EXIT_OK;
	}
	tbx_nl_close(&nl);
out:
	tbx_run_clear(&req);
	tbx_run_clear(&out);
	return err;
}

static int run_list(struct tbx_ctx *ctx, int argc, char **argv)
{
	const char *owner = NULL;
	struct tbx_run *runs;
	struct tbx_nl nl;
	uint8_t kind = 0;
	size_t n;
	int err;

	for (int i = 0; i < argc; i += 2) {
		if (strcmp(argv[i], "owner") && strcmp(argv[i], "kind"))
			return tbx_usage_error("run list: unknown word \"%s\"; "
					       "[owner TAG] [kind K]", argv[i]);
		if (i + 1 >= argc)
			return tbx_usage_error("run list: \"%s\" needs a value", argv[i]);
		if (!strcmp(argv[i], "owner")) {
			owner = argv[i + 1];
			if (strlen(owner) >= TBX_RUN_OWNER_MAX)
				return tbx_usage_error("run list: owner \"%s\" is longer than %d bytes",
						       owner, TBX_RUN_OWNER_MAX - 1);
		} else {
			kind = tbx_run_kind_of(argv[i + 1]);
			if (!kind)
				return tbx_usage_error("run list: kind \"%s\" is not cpu, mem or net",
						       argv[i + 1]);
		}
	}
	if (tbx_nl_open(&nl))
		return tbx_fail();
	err = tbx_run_list(&nl, owner, kind, &runs, &n);
	tbx_nl_close(&nl);
	if (err)
		return tbx_fail();
	if (ctx->json) {
		json_t *arr = json_array();

		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, tbx_run_json(&runs[i]));
		tbx_print_json(ctx, arr);
	} else {
		for (size_t i = 0; i < n; i++)
			tbx_run_print_line(&runs[i], NULL);
	}
	tbx_run_list_free(runs, n);
	return TBX_EXIT_OK;
}

/* show and del: one ID, one reply. */
static int run_one(struct tbx_ctx *ctx, const char *verb, int argc, char **argv,
		   int (*op)(struct tbx_nl *nl, uint32_t id, struct tbx_run *out))
{
	struct tbx_run out = { 0 };
	struct tbx_nl nl;
	uint32_t id;
	int err;

	err = parse_id(verb, argc > 0 ? argv[0] : NULL, &id);
	if (err)
		return err;
	if (argc > 1)
		return tbx_usage_error("run %s: unexpected word \"%s\"", verb, argv[1]);
	if (tbx_nl_open(&nl))
		return tbx_fail();
	err = op(&nl, id, &out);
	tbx_nl_close(&nl);
	if (err)
		return tbx_fail();
	show(ctx, &out);
	tbx_run_clear(&out);
	return TBX_EXIT_OK;
}

/* LEVEL means what the run's kind says: percent, bytes, or a rate. */
static int parse_level(const struct tbx_run *cur, const char *s, struct tbx_run *req)
{
	bool pps;

	switch (cur->kind) {
	case TBX_RUN_KIND_CPU:
		if (tbx_parse_percent(s, &req->cpu.level))
			return tbx_usage_error("run set: level of a cpu run: %s", tbx_errmsg());
		req->cpu.has = TBX_HAS(TBX_CPU_A_LEVEL);
		req->has |= TBX_HAS(TBX_RUN_A_CPU);
		return 0;
	case TBX_RUN_KIND_MEM:
		if (tbx_parse_size(s, &req->mem.bytes))
			return tbx_usage_error("run set: level of a mem run: %s", tbx_errmsg());
		req->mem.has = TBX_HAS(TBX_MEM_A_BYTES);
		req->has |= TBX_HAS(TBX_RUN_A_MEM);
		return 0;
	default:
		if (tbx_parse_rate(s, &req->net.rate_pps, &pps))
			return tbx_usage_error("run set: level of a net run: %s", tbx_errmsg());
		if (!pps) {
			req->net.rate_bps = req->net.rate_pps;
			req->net.rate_pps = 0;
		}
		req->net.has = TBX_HAS(pps ? TBX_NET_A_RATE_PPS : TBX_NET_A_RATE_BPS);
		req->has |= TBX_HAS(TBX_RUN_A_NET);
		return 0;
	}
}

static int run_set(struct tbx_ctx *ctx, int argc, char **argv)
{
	struct tbx_run cur = { 0 }, req = { 0 };
	const char *level = NULL;
	struct tbx_nl nl;
	int i, err;

	err = parse_id("set", argc > 0 ? argv[0] : NULL, &req.id);
	if (err)
		return err;
	req.has = TBX_HAS(TBX_RUN_A_ID);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "force")) {
			req.has |= TBX_HAS(TBX_RUN_A_FORCE);
		} else if (!strcmp(argv[i], "level") && !level) {
			if (i + 1 >= argc)
				return tbx_usage_error("run set: \"level\" needs a value");
			level = argv[++i];
		} else {
			return tbx_usage_error("run set: unexpected word \"%s\"", argv[i]);
		}
	}
	if (!level)
		return tbx_usage_error("run set: \"level LEVEL\" is missing");
	if (tbx_nl_open(&nl))
		return tbx_fail();
	err = TBX_EXIT_FAIL;
	if (tbx_run_get(&nl, req.id, &cur)) {
		tbx_fail();
		goto out;
	}
	err = parse_level(&cur, level, &req);
	if (err)
		goto out;
	tbx_run_clear(&cur);
	err = TBX_EXIT_FAIL;
	if (tbx_run_set(&nl, &req, &cur)) {
		tbx_fail();
		goto out;
	}
	show(ctx, &cur);
	err = TBX_EXIT_OK;
out:
	tbx_nl_close(&nl);
	tbx_run_clear(&cur);
	return err;
}

int cmd_run(struct tbx_ctx *ctx, int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : "list";

	if (argc > 1) {
		argc -= 2;
		argv += 2;
	} else {
		argc = 0;
	}
	if (tbx_matches(verb, "help")) {
		run_usage(stdout);
		return TBX_EXIT_OK;
	}
	if (tbx_matches(verb, "add"))
		return run_add(ctx, argc, argv);
	if (tbx_matches(verb, "list"))
		return run_list(ctx, argc, argv);
	if (tbx_matches(verb, "show"))
		return run_one(ctx, "show", argc, argv, tbx_run_get);
	if (tbx_matches(verb, "set"))
		return run_set(ctx, argc, argv);
	if (tbx_matches(verb, "delete"))
		return run_one(ctx, "del", argc, argv, tbx_run_del);
	return tbx_usage_error("run: unknown command \"%s\"; try \"tbx run help\"", verb);
}
