/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The planner's insides: the safe XML reader, the tables of distributions
 * and emulators (their arguments per resource, as COCOMA's argNames gave
 * them), one distribution's validated settings, COCOMA's arithmetic, and
 * the run lists the distributions fill. Not for users of emulation.h.
 */
#ifndef TBX_EMU_INT_H
#define TBX_EMU_INT_H

#include <libxml/tree.h>

#include "emulation.h"

#define EMU_DOC_MAX	(4U << 20)	/* bytes of XML */
#define EMU_TEXT_MAX	4096		/* bytes of one name or value */
#define EMU_DISTS_MAX	4096		/* <distributions> blocks */
#define EMU_RUNS_MAX	100000		/* runs of one emulation (~80 MB) */
#define EMU_MALLOC_LIMIT 4095		/* MiB: bigger MEM runs are split */
#define EMU_STAGGER	0.12		/* s between runs that start together */
#define EMU_OVERLOAD	0.9		/* of a resource: refused unless forced */
#define EMU_COCOMA_SEED	100		/* dist_exp's random.seed(100) */
#define EMU_MAX_OTHER	999999		/* COCOMA's limit of IO and NET */

/* --- xml.c: libxml2, with every door to the outside shut -------------- */
/* Parses @buf; errors "what:line: ..." (nothing returned on error).
 * *@lowered: its tag names had to be lower-cased to match. */
int emu_xml_read(const char *buf, size_t len, const char *what, xmlDocPtr *out,
		 bool *lowered);
/* The element's name is @tag, ignoring case. */
bool emu_xml_is(xmlNodePtr n, const char *tag);
/* The element's text, blanks trimmed, into @buf (EMU_TEXT_MAX + 1). */
int emu_xml_text(xmlNodePtr n, const char *what, char *buf);
/* An attribute's value ("" when absent), case-insensitive name. */
int emu_xml_attr(xmlNodePtr n, const char *attr, const char *what, char *buf);
unsigned int emu_xml_line(xmlNodePtr n);

/* --- cocoma_math.c: COCOMA's Python 2 arithmetic ---------------------- */
/*
 * COCOMA planned in seconds since the epoch: its int() of a start time
 * truncates T + x, where T is the emulation's whole-second start, and its
 * == compares such sums. Any T of 2004-2038 rounds alike (one binade), so
 * this one stands for all of them.
 */
#define EMU_EPOCH	1400000000.0
/* int(EMU_EPOCH + x) - EMU_EPOCH, as COCOMA truncated an absolute time. */
double emu_epoch_int(double x);
/* Python's float %: the result takes the divisor's sign. */
double emu_py_mod(double a, double b);
/* Python's int() of a string: blanks, a sign, digits. Out-of-range
 * values saturate (the bounds clamp them). 0, or -EINVAL. */
int emu_py_int(const char *s, long long *v);

/* --- tables ------------------------------------------------------------ */
#define EMU_RES_BIT(r)	(1U << (r))
#define EMU_ARGS_MAX	12

enum emu_arg_kind {
	EMU_ARG_NUM,	/* COCOMA's int(), within [lo, hi]; clamped with a note */
	EMU_ARG_TEXT,	/* a string (path, address, name), never bounded */
	EMU_ARG_PORT,	/* COCOMA's text serverport: tbx needs 1-65535 */
};

/* Upper bounds that are this host's facts. */
#define EMU_HI_MEM	(-1LL)		/* its memory, MiB */
#define EMU_HI_CPUS	(-2LL)		/* its CPUs */

struct emu_arg_def {
	const char *name;	/* as the XML spells it (matched ignoring case) */
	enum emu_arg_kind kind;
	long long lo, hi;	/* EMU_ARG_NUM; hi may be EMU_HI_* */
	bool required;
	double def;		/* when absent and not required */
	bool tbx;		/* tbx's own, not in COCOMA's argNames */
	const char *help;
};

/* A module's arguments for one resource; NULL name ends the list. */
struct emu_argset {
	struct emu_arg_def a[EMU_ARGS_MAX];
};

struct emu_host {
	unsigned int ncpus;
	uint64_t mem_mb;
	uint64_t mem_used_mb;
};

struct emu_dspec;
struct emu_rawvec;
struct emu_ctx;

/* Where a distribution's run times come from. */
enum emu_timing {
	EMU_TIME_COCOMA,	/* COCOMA's: computed from an epoch time too */
	EMU_TIME_TBX,		/* tbx's own distributions */
};

struct emu_dist_def {
	const char *name;
	bool cocoma;		/* COCOMA had it; else tbx's own */
	bool event;		/* an EVENT distribution */
	const char *help;
	const struct emu_argset *args[EMU_RES_MIX];	/* NULL: not for it */
	enum emu_timing timing;
	/*
	 * The runs, in COCOMA's order, for a distribution starting at @base:
	 * s from the emulation's start, or (@epoch) on EMU_EPOCH as COCOMA
	 * held it. Notes only when !@epoch (it is called more than once).
	 */
	int (*plan)(const struct emu_dspec *d, struct emu_ctx *c, double base, bool epoch,
		    struct emu_rawvec *out);
};

struct emu_emulator_def {
	const char *name;
	bool cocoma;
	const char *kind_for[EMU_RES_MIX];	/* tbx kind per resource, NULL: no */
	bool pin;
	bool event_only;
	const char *help;
	const struct emu_argset *args[EMU_RES_MIX];
};

const struct emu_dist_def *emu_dist_find(const char *name);
const struct emu_dist_def *emu_dist_at(size_t i);	/* NULL past the end */
const struct emu_emulator_def *emu_emulator_find(const char *name);
const struct emu_emulator_def *emu_emulator_at(size_t i);
void emu_host_read(struct emu_host *h);
/* An argument's upper bound on @h. */
long long emu_arg_hi(const struct emu_arg_def *a, const struct emu_host *h);
/* {"CPU": [{name, kind, min, max, ...}], ...}: one table per resource. */
json_t *emu_argsets_json(const struct emu_argset *const *sets, const struct emu_host *h);

/* --- one distribution, validated --------------------------------------- */
struct emu_dspec {
	unsigned int index;
	unsigned int line;		/* <distributions> */
	char name[128];
	double start;			/* startTime, s */
	unsigned int start_line;
	const struct emu_dist_def *dist;
	const struct emu_emulator_def *emu;
	enum emu_res res;
	const struct emu_argset *dargs, *eargs;	/* for res */
	double arg[EMU_ARGS_MAX];	/* by dargs' index */
	bool has[EMU_ARGS_MAX];
	char text[EMU_ARGS_MAX][256];	/* EMU_ARG_TEXT values */
	unsigned int arg_line[EMU_ARGS_MAX];
	uint64_t seed;
	double event_s;			/* event: how long its pattern plays */
	struct emu_run tmpl;		/* emulator parameters, kind, res */
};

struct emu_ctx {
	const char *what;
	struct emu_host host;
	bool force;
	uint64_t seed;
	unsigned int stop_line;		/* <emustopTime>'s */
	struct emu_plan *plan;		/* notes go here */
};

/* xml.c: refuses element @n with "what:line: <tag>: message" (-EINVAL). */
int emu_bad(struct emu_ctx *c, xmlNodePtr n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The dist's argument @name: its value (its default when absent), whether
 * COCOMA's module reads it, its line.
 */
double emu_darg(const struct emu_dspec *d, const char *name);
bool emu_dhas_arg(const struct emu_dspec *d, const char *name);
const char *emu_dtext(const struct emu_dspec *d, const char *name);
unsigned int emu_dline(const struct emu_dspec *d, const char *name);

/* --- runs -------------------------------------------------------------- */
/* A run as a distribution computes it, before it gets its emulator. */
struct emu_raw {
	double load, start, duration;
};

struct emu_rawvec {
	struct emu_raw *v;
	size_t n, cap;
};
int emu_raw_add(struct emu_rawvec *rv, double load, double start, double duration);
/* COCOMA's insertLoad: a MEM load above 4095 MiB as parallel parts of
 * 4095 and the rest; any other load as it is. */
int emu_raw_add_split(struct emu_rawvec *rv, const struct emu_dspec *d, double load,
		      double start, double duration);
void emu_rawvec_free(struct emu_rawvec *rv);

/* A run on its way through COCOMA's post-processing: its start both as
 * tbx shows it (from the emulation's start) and as COCOMA held it (on
 * EMU_EPOCH), for COCOMA's truncations and comparisons. */
struct emu_work {
	double load, start, start_epoch, duration;
};

int emu_note(struct emu_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A file an argument names: relative paths are relative to the XML's directory. */
int emu_path(struct emu_ctx *c, const char *name, char *out, size_t len);

/* validate.c: the XML into validated distributions */
int emu_spec_read(xmlDocPtr doc, struct emu_ctx *c, struct emu_dspec **out,
		  size_t *n_out);
/* read_dist.c: one <distributions> block, as COCOMA's getArgs read it */
int emu_dist_read(struct emu_ctx *c, xmlNodePtr blk, struct emu_dspec *d);
/* force_rules.c: COCOMA's two checks that force (-f) skips */
int emu_force_rules(struct emu_ctx *c, const struct emu_dspec *ds, size_t nd);
/* overload.c: COCOMA's check of overlapping CPU and MEM runs (never
 * skipped); @raw: each distribution's runs computed from EMU_EPOCH */
int emu_check_overload(struct emu_ctx *c, const struct emu_dspec *ds,
		       const struct emu_rawvec *raw, size_t nd);
/* postprocess.c: minJobTime, then the stagger, then zero-load removal */
int emu_postprocess(const struct emu_dspec *d, struct emu_work *w, size_t *n);
/* numpy.linspace's i-th of n points, as COCOMA got them */
double emu_linspace(double a, double b, unsigned int n, unsigned int i);

/* Distribution planners (dist_*.c). */
int emu_plan_linear(const struct emu_dspec *, struct emu_ctx *, double, bool, struct emu_rawvec *);
int emu_plan_linear_incr(const struct emu_dspec *, struct emu_ctx *, double, bool, struct emu_rawvec *);
int emu_plan_trapezoidal(const struct emu_dspec *, struct emu_ctx *, double, bool, struct emu_rawvec *);
int emu_plan_exp(const struct emu_dspec *, struct emu_ctx *, double, bool, struct emu_rawvec *);
int emu_plan_poisson(const struct emu_dspec *, struct emu_ctx *, double, bool, struct emu_rawvec *);
int emu_plan_event(const struct emu_dspec *, struct emu_ctx *, double, bool, struct emu_rawvec *);
int emu_plan_fuzz(const struct emu_dspec *, struct emu_ctx *, double, bool, struct emu_rawvec *);
int emu_plan_real_trace(const struct emu_dspec *, struct emu_ctx *, double, bool, struct emu_rawvec *);
int emu_plan_step(const struct emu_dspec *, struct emu_ctx *, double, bool, struct emu_rawvec *);
int emu_plan_sine(const struct emu_dspec *, struct emu_ctx *, double, bool, struct emu_rawvec *);
int emu_plan_profile(const struct emu_dspec *, struct emu_ctx *, double, bool, struct emu_rawvec *);

/* Python's random (MT19937, seed(int), random()), which COCOMA's exp used. */
struct emu_mt {
	uint32_t mt[624];
	int i;
};
void emu_mt_seed(struct emu_mt *m, uint64_t seed);
double emu_mt_random(struct emu_mt *m);
/* Python 2.7's random.expovariate(lambd): -log(1 - random()) / lambd. */
double emu_mt_expovariate(struct emu_mt *m, double lambd);

#endif
