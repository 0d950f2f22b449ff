/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An emulation: COCOMA's XML, parsed and validated, and the runs its
 * distributions compute (reference/cocoma.md). The boundary between the
 * planner (parse + distributions, pure: no kernel, no clock but the one
 * the caller passes) and tbxd's scheduler, which starts each run at its
 * time as a kernel run (cpu, mem, net) or an io run of its own.
 * Errors follow err.h; parse errors name the file, line and element.
 */
#ifndef TBX_EMULATION_H
#define TBX_EMULATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

enum emu_type { EMU_TIME, EMU_EVENT, EMU_MIX };
enum emu_res { EMU_RES_CPU, EMU_RES_MEM, EMU_RES_IO, EMU_RES_NET, EMU_RES_MIX };

/* One run: one load level of one resource for one time span. */
struct emu_run {
	unsigned int dist;	/* index of the distribution it came from */
	double start;		/* seconds after the emulation's start */
	double duration;	/* seconds */
	enum emu_res res;	/* never EMU_RES_MIX */
	char emulator[32];	/* tbx kind name: cpu, mem, io, net */
	char cocoma_emulator[32]; /* as the XML named it (lookbusy, ...) */
	/* The level, in the resource's unit: CPU %, MEM MiB, IO MiB/s,
	 * NET Mbit/s (event runs: packets/s of the fuzz pattern).
	 */
	double load;
	/* Emulator parameters that reach the run (0/"" when absent). */
	unsigned int ncpus;	/* 0: all */
	bool pin;		/* lookbusy_pin */
	unsigned int mem_sleep_us;
	unsigned int io_sleep_ms;
	char server_ip[64];
	unsigned int server_port;
	char protocol[16];	/* net: udp, tcp, icmp; fuzz for events */
	char profile[256];	/* net, distribution "profile": its file */
	/* Added by the planner (reference/cocoma.md's emulator arguments). */
	char dev[32];		/* net: device to send on, "" for the route's */
	char io_dir[256];	/* io: directory for the files, "" for tbxd's */
	unsigned int io_block_mb;	/* io: lookbusy's ioBlockSize, 0: default */
	unsigned int mem_threads;	/* stressapptest MEM: memThreads */
	unsigned int mem_size_mb;	/* stressapptest IO: memSize */
	/* backfuzz: its protocol name and payload pattern */
	char fuzz_protocol[16];
	unsigned int fuzz_min, fuzz_range, fuzz_salt;
	double fuzz_delay;	/* s between packets */
	unsigned int line;	/* the <distributions> block it came from */
	/* An event (COCOMA's event distribution): the distributions after it
	 * in the file start from its end (Documentation/emulations.md). */
	bool event;
};

struct emu_note {
	char text[256];		/* "file:line: <element>: clamped to ..." */
};

struct emu_plan {
	char name[128];
	enum emu_type type;
	enum emu_res res;
	bool start_now;
	time_t start;		/* when !start_now: UTC instant */
	double duration;	/* emustopTime, seconds */
	bool log_enable;
	double log_frequency;	/* seconds */
	char log_level[16];
	size_t n_dists;
	size_t n_runs;
	struct emu_run *runs;	/* sorted by start */
	size_t n_notes;
	struct emu_note *notes;	/* clamps and other non-fatal findings */
	/* The machine facts and seed it was planned with (emu_parse_opts). */
	unsigned int ncpus;
	uint64_t mem_mb, mem_used_mb, seed;
};

/*
 * How to plan. The machine facts change COCOMA's results (its bounds, MEM
 * "N%", the 90 % rule, real_trace's MEM values), so a plan made elsewhere
 * gives them: ncpus 0, mem_bytes 0 and !mem_used_set read this host's
 * (CPUs online; total RAM; RAM in use = total - free, as COCOMA's psutil
 * counted it).
 */
struct emu_parse_opts {
	bool force;		/* COCOMA's -f: skip its two force rules */
	unsigned int ncpus;
	uint64_t mem_bytes;
	bool mem_used_set;
	uint64_t mem_used_bytes;
	bool seed_set;		/* else COCOMA's seed, 100 (exp, poisson) */
	uint64_t seed;
};

/* One of them by name: "cpus", "mem" and "mem_used" (MiB; also
 * "mem-used"), "seed"; a whole decimal @value. -EINVAL with a message. */
int emu_opts_set(struct emu_parse_opts *o, const char *name, const char *value);

/* Parse and plan. @what names the source in messages (a path). */
int emu_plan_file(const char *path, const struct emu_parse_opts *o,
		  struct emu_plan **out);
int emu_plan_buf(const char *buf, size_t len, const char *what,
		 const struct emu_parse_opts *o, struct emu_plan **out);
void emu_plan_free(struct emu_plan *p);

const char *emu_res_name(enum emu_res r);
/* The tbx run kind that loads a resource ("cpu", "mem", "io", "net"),
 * NULL for EMU_RES_MIX; and back (EMU_RES_MIX for any other word).
 */
const char *emu_res_kind(enum emu_res r);
enum emu_res emu_res_of_kind(const char *kind);
/* The unit of a run's load for a resource: "%", "MiB", "MiB/s", "Mbit/s". */
const char *emu_res_unit(enum emu_res r);
const char *emu_type_name(enum emu_type t);

/*
 * JSON (jansson) of a plan: name, type, resource, start, duration, log,
 * distributions, runs and notes (Documentation/emulations.md). Used by
 * `tbx emulation runs --dry-run` and tbxd. NULL on allocation failure.
 */
typedef struct json_t json_t;
json_t *emu_plan_json(const struct emu_plan *p);
/*
 * The distributions and emulators tbx knows, with their arguments, bounds
 * (for this host: MEM bounds use its memory) and help. @name NULL: an
 * array of all; else that one's object, or NULL with tbx_err() set when
 * unknown.
 */
json_t *emu_distributions_json(const char *name);
json_t *emu_emulators_json(const char *name);

/*
 * Traces for real_trace (reference/cocoma.md), as `tbx record` writes them.
 */
struct emu_trace {
	unsigned int ncpus;
	uint64_t memtotal_kb;
	uint64_t timestamp_ms;
	double pollfr;		/* seconds between samples, > 0 */
	bool mem_percent;	/* MEMUSED% column; else bytes */
	size_t n;
	double *cpu;		/* CPU %, per sample */
	double *mem;		/* MEM % or bytes, per sample */
};
#define EMU_TRACE_SAMPLES_MAX	(1U << 22)
/* Reads a trace; errors name @name and the line. Nothing allocated on error. */
int emu_trace_read(FILE *f, const char *name, struct emu_trace *t);
int emu_trace_load(const char *path, struct emu_trace *t);
void emu_trace_free(struct emu_trace *t);

/*
 * Records this host's CPU % (/proc/stat) and memory use % (/proc/meminfo)
 * into @f as a trace: @samples samples @interval_s apart (the first one
 * after the first interval). @proc is the /proc to read ("/proc").
 */
int emu_record(FILE *f, const char *proc, double interval_s,
	       unsigned int samples);

#endif
