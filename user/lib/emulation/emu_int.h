/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The planner's insides: the safe XML reader, the distribution and
 * emulator tables, one distribution's validated settings, and the growing
 * run list the distributions fill. Not for users of emulation.h.
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

/* --- xml.c: libxml2, with every door to the outside shut -------------- */
/* Parses @buf; errors "what:line: ..." (nothing returned on error). */
int emu_xml_read(const char *buf, size_t len, const char *what, xmlDocPtr *out);
/* The element's name is @tag, ignoring case. */
bool emu_xml_is(xmlNodePtr n, const char *tag);
/* The element's text, blanks trimmed, into @buf (EMU_TEXT_MAX + 1). */
int emu_xml_text(xmlNodePtr n, const char *what, char *buf);
/* An attribute's value ("" when absent), case-insensitive name. */
int emu_xml_attr(xmlNodePtr n, const char *attr, const char *what, char *buf);
unsigned int emu_xml_line(xmlNodePtr n);

/* --- tables ------------------------------------------------------------ */
#define EMU_RES_BIT(r)	(1U << (r))
#define EMU_ARGS_MAX	12

enum emu_arg_kind {
	EMU_ARG_NUM,	/* a number within [lo, hi]; clamped with a note */
	EMU_ARG_LOAD,	/* a load: bounds from the resource (emu_load_bounds) */
	EMU_ARG_TEXT,	/* a string (path, address, name) */
};

struct emu_arg_def {
	const char *name;	/* as the XML spells it (matched ignoring case) */
	enum emu_arg_kind kind;
	double lo, hi;		/* EMU_ARG_NUM */
	double def;		/* when absent and not required */
	bool required;
	unsigned int res_mask;	/* resources it applies to (0: all) */
	const char *help;
};

struct emu_host {
	unsigned int ncpus;
	uint64_t mem_mb;
};

struct emu_dspec;
struct emu_runvec;
struct emu_ctx;

struct emu_dist_def {
	const char *name;
	bool cocoma;		/* COCOMA had it; else tbx's own */
	bool event;		/* an EVENT distribution */
	unsigned int res_mask;
	const char *help;
	struct emu_arg_def args[EMU_ARGS_MAX];
	int (*plan)(const struct emu_dspec *d, struct emu_ctx *c,
		    struct emu_runvec *out);
};

struct emu_emulator_def {
	const char *name;
	bool cocoma;
	const char *kind_for[EMU_RES_MIX];	/* tbx kind per resource, NULL: no */
	bool pin;
	bool event_only;
	const char *help;
	struct emu_arg_def args[EMU_ARGS_MAX];
};

const struct emu_dist_def *emu_dist_find(const char *name);
const struct emu_dist_def *emu_dist_at(size_t i);	/* NULL past the end */
const struct emu_emulator_def *emu_emulator_find(const char *name);
const struct emu_emulator_def *emu_emulator_at(size_t i);
/* The bounds of a load argument for @r on @h (CPU %, MEM MiB, ...). */
void emu_load_bounds(enum emu_res r, const struct emu_host *h, double *lo, double *hi);
void emu_host_read(struct emu_host *h);
json_t *emu_args_json(const struct emu_arg_def *args, const struct emu_host *h);

/* --- one distribution, validated --------------------------------------- */
struct emu_dspec {
	unsigned int index;
	unsigned int line;		/* <distributions> */
	char name[128];
	double start, duration;		/* s, from the emulation's start */
	unsigned int granularity;
	unsigned int granularity_line;	/* 0: not given */
	double min_job_time;
	const struct emu_dist_def *dist;
	const struct emu_emulator_def *emu;
	enum emu_res res;
	double arg[EMU_ARGS_MAX];	/* by the dist's arg index */
	bool has[EMU_ARGS_MAX];
	char text[EMU_ARGS_MAX][256];	/* EMU_ARG_TEXT values */
	unsigned int arg_line[EMU_ARGS_MAX];
	double split_mb;		/* MEM split limit (malloclimit) */
	uint64_t seed;
	struct emu_run tmpl;		/* emulator parameters, kind, res */
};

struct emu_ctx {
	const char *what;
	struct emu_host host;
	bool force;
	uint64_t seed;			/* emu_parse_opts.seed */
	struct emu_plan *plan;		/* notes go here */
};

/* The value of the dist's argument @name (its default when absent). */
double emu_darg(const struct emu_dspec *d, const char *name);
const char *emu_dtext(const struct emu_dspec *d, const char *name);
unsigned int emu_dline(const struct emu_dspec *d, const char *name);

/* --- runs -------------------------------------------------------------- */
struct emu_runvec {
	struct emu_run *v;
	size_t n, cap;
};
/* Appends a run made from d->tmpl with this level and span. */
int emu_runvec_add(struct emu_runvec *rv, const struct emu_dspec *d,
		   double load, double start, double duration);
int emu_runvec_reserve(struct emu_runvec *rv, size_t n);
void emu_runvec_free(struct emu_runvec *rv);

int emu_note(struct emu_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A file an argument names: relative paths are relative to the XML's directory. */
int emu_path(struct emu_ctx *c, const char *name, char *out, size_t len);

/* validate.c */
int emu_spec_read(xmlDocPtr doc, struct emu_ctx *c, struct emu_dspec **out,
		  size_t *n_out);
int emu_check_overload(struct emu_ctx *c, const struct emu_dspec *ds,
		       const struct emu_run *runs, size_t n);
/* postprocess.c: one distribution's runs, in place; then all of them */
int emu_postprocess(const struct emu_dspec *d, struct emu_runvec *rv);
int emu_stagger(struct emu_run *runs, size_t n);
/* numpy.linspace's i-th of n points, as COCOMA got them */
double emu_linspace(double a, double b, unsigned int n, unsigned int i);

/* Distribution planners (dist_*.c). */
int emu_plan_linear(const struct emu_dspec *, struct emu_ctx *, struct emu_runvec *);
int emu_plan_linear_incr(const struct emu_dspec *, struct emu_ctx *, struct emu_runvec *);
int emu_plan_trapezoidal(const struct emu_dspec *, struct emu_ctx *, struct emu_runvec *);
int emu_plan_exp(const struct emu_dspec *, struct emu_ctx *, struct emu_runvec *);
int emu_plan_poisson(const struct emu_dspec *, struct emu_ctx *, struct emu_runvec *);
int emu_plan_event(const struct emu_dspec *, struct emu_ctx *, struct emu_runvec *);
int emu_plan_fuzz(const struct emu_dspec *, struct emu_ctx *, struct emu_runvec *);
int emu_plan_real_trace(const struct emu_dspec *, struct emu_ctx *, struct emu_runvec *);
int emu_plan_step(const struct emu_dspec *, struct emu_ctx *, struct emu_runvec *);
int emu_plan_sine(const struct emu_dspec *, struct emu_ctx *, struct emu_runvec *);
int emu_plan_profile(const struct emu_dspec *, struct emu_ctx *, struct emu_runvec *);

/* Python's random (MT19937, seed(int), random()), which COCOMA's exp used. */
struct emu_mt {
	uint32_t mt[624];
	int i;
};
void emu_mt_seed(struct emu_mt *m, uint64_t seed);
double emu_mt_random(struct emu_mt *m);
/* Python 2.7's random.expovariate(lambd). */
double emu_mt_expovariate(struct emu_mt *m, double lambd);

#endif
