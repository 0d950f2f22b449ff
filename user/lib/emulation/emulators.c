// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The emulators: COCOMA's names (lookbusy, lookbusy_pin, stressapptest,
 * iperf, backfuzz), with the arguments each wrapper's
 * emulatorArgNames(resourceType) declared, and tbx's (cpu, mem, io, net);
 * each mapped per resource onto the tbx run kind that plays it. Also this
 * host's facts, which some bounds are.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/sysinfo.h>
#include <jansson.h>

#include "emu_int.h"
#include "err.h"

#define NCPUS	{ "ncpus", EMU_ARG_NUM, 0, EMU_HI_CPUS, false, 0, false, "CPUs to keep busy; 0: all" }
#define MEMSLEEP { "memSleep", EMU_ARG_NUM, 0, 999999999, false, 0, false, \
		   "us to sleep between passes over the memory" }
#define IOSLEEP	{ "ioSleep", EMU_ARG_NUM, 0, 999999999, false, 0, false, \
		  "ms to sleep between IO iterations" }
#define IOBLOCK(tbx) { "ioBlockSize", EMU_ARG_NUM, 0, 9999999, false, 0, tbx, \
		       "MiB per IO block; 0: tbxd's default" }
#define IODIR	{ "directory", EMU_ARG_TEXT, 0, 0, false, 0, true, \
		  "directory for the IO files (removed afterwards); absent: tbxd's" }
#define SERVERIP { "serverip", EMU_ARG_TEXT, 0, 0, true, 0, false, "destination address" }
#define PORT(def) { "serverport", EMU_ARG_PORT, 1, 65535, false, def, false, "destination port" }
#define DEV	{ "dev", EMU_ARG_TEXT, 0, 0, false, 0, true, "device to send on; absent: the route's" }

static const struct emu_argset lb_cpu = { { NCPUS } };
static const struct emu_argset lb_mem = { { MEMSLEEP } };
static const struct emu_argset lb_io = { { IOSLEEP, IOBLOCK(true), IODIR } };
static const struct emu_argset lbp_io = { { IOBLOCK(false), IOSLEEP, IODIR } };
static const struct emu_argset sat_mem = { {
	{ "memThreads", EMU_ARG_NUM, 0, 10, false, 1, false, "threads touching the memory" } } };
static const struct emu_argset sat_io = { {
	{ "memSize", EMU_ARG_NUM, 1, EMU_HI_MEM, false, 64, false, "MiB of the IO buffer" }, IODIR } };
static const struct emu_argset iperf_net = { { SERVERIP, PORT(5001), DEV } };
static const struct emu_argset backfuzz_net = { {
	SERVERIP, PORT(80),
	{ "protocol", EMU_ARG_TEXT, 0, 0, false, 0, false, "backfuzz's plugin (HTTP, FTP, UDP, ...)" },
	{ "min", EMU_ARG_NUM, 1, 100000000, false, 100, false, "bytes of the first payload" },
	{ "fuzzRange", EMU_ARG_NUM, 1, 100000000, false, 900, false,
	  "bytes the payload grows over the pattern" },
	{ "salt", EMU_ARG_NUM, 1, 100000, false, 100, false, "bytes the payload grows per step" },
	/* COCOMA's lower bound 0.8 became int(0.8) = 0; 0 means 0.8 s */
	{ "timedelay", EMU_ARG_NUM, 0, 100, false, 0, false, "s between payloads; 0: 0.8" },
	DEV } };
static const struct emu_argset cpu_cpu = { {
	NCPUS, { "pin", EMU_ARG_NUM, 0, 1, false, 0, true, "1: one worker pinned per CPU" } } };
static const struct emu_argset io_io = { { IOSLEEP, IOBLOCK(true), IODIR } };
static const struct emu_argset net_net = { {
	SERVERIP, PORT(9),
	{ "protocol", EMU_ARG_TEXT, 0, 0, false, 0, true, "udp (default), tcp, icmp or fuzz" },
	DEV } };

static const struct emu_emulator_def emus[] = {
	{ "lookbusy", true, { "cpu", "mem", "io", NULL }, false, false,
	  "CPU, MEM or IO load (COCOMA ran lookbusy); played by tbx cpu, mem and io runs",
	  { &lb_cpu, &lb_mem, &lb_io, NULL } },
	{ "lookbusy_pin", true, { "cpu", "mem", "io", NULL }, true, false,
	  "as lookbusy, with one worker pinned to each CPU (COCOMA: taskset + lookbusy)",
	  { &lb_cpu, &lb_mem, &lbp_io, NULL } },
	{ "stressapptest", true, { NULL, "mem", "io", NULL }, false, false,
	  "MEM or IO load (COCOMA ran stressapptest); played by tbx mem and io runs",
	  { NULL, &sat_mem, &sat_io, NULL } },
	{ "iperf", true, { NULL, NULL, NULL, "net" }, false, false,
	  "UDP traffic at the load in Mbit/s (COCOMA ran an iperf client); played by a tbx net run",
	  { NULL, NULL, NULL, &iperf_net } },
	{ "backfuzz", true, { NULL, NULL, NULL, "net" }, false, true,
	  "fuzzing payloads to a server, event distributions only (COCOMA ran backfuzz); played by a tbx net run sending fuzz",
	  { NULL, NULL, NULL, &backfuzz_net } },
	{ "cpu", false, { "cpu", NULL, NULL, NULL }, false, false,
	  "a tbx cpu run: load % of each CPU used", { &cpu_cpu, NULL, NULL, NULL } },
	{ "mem", false, { NULL, "mem", NULL, NULL }, false, false,
	  "a tbx mem run: load MiB held and touched", { NULL, &lb_mem, NULL, NULL } },
	{ "io", false, { NULL, NULL, "io", NULL }, false, false,
	  "a tbxd io run: files written and read with O_DIRECT at load MiB/s",
	  { NULL, NULL, &io_io, NULL } },
	{ "net", false, { NULL, NULL, NULL, "net" }, false, false,
	  "a tbx net run: packets at load Mbit/s", { NULL, NULL, NULL, &net_net } },
};

const struct emu_emulator_def *emu_emulator_at(size_t i)
{
	return i < sizeof(emus) / sizeof(emus[0]) ? &emus[i] : NULL;
}

const struct emu_emulator_def *emu_emulator_find(const char *name)
{
	for (size_t i = 0; i < sizeof(emus) / sizeof(emus[0]); i++)
		if (!strcasecmp(emus[i].name, name))
			return &emus[i];
	return NULL;
}

/* COCOMA's psutil: total RAM, and in use = total - free (buffers and
 * cache count as used). */
void emu_host_read(struct emu_host *h)
{
	struct sysinfo si;
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	h->ncpus = n > 0 ? (unsigned int)n : 1;
	if (sysinfo(&si)) {
		h->mem_mb = 1024;
		h->mem_used_mb = 0;
		return;
	}
	h->mem_mb = (uint64_t)si.totalram * si.mem_unit >> 20;
	h->mem_used_mb = (uint64_t)(si.totalram - si.freeram) * si.mem_unit >> 20;
}

static json_t *emulator_json(const struct emu_emulator_def *e, const struct emu_host *h)
{
	json_t *kinds = json_object(), *res = json_array();

	for (int r = EMU_RES_CPU; r < EMU_RES_MIX; r++)
		if (e->kind_for[r]) {
			json_object_set_new(kinds, emu_res_name(r), json_string(e->kind_for[r]));
			json_array_append_new(res, json_string(emu_res_name(r)));
		}
	return json_pack("{s:s, s:s, s:o, s:o, s:b, s:b, s:s, s:o}", "name", e->name,
			 "origin", e->cocoma ? "cocoma" : "tbx", "runs", kinds,
			 "resources", res, "pinned", e->pin, "event_only", e->event_only,
			 "help", e->help, "arguments", emu_argsets_json(e->args, h));
}

json_t *emu_emulators_json(const char *name)
{
	struct emu_host h;
	json_t *a;

	emu_host_read(&h);
	if (name) {
		const struct emu_emulator_def *e = emu_emulator_find(name);

		if (!e) {
			tbx_err(ENOENT, "no emulator \"%s\"; try \"tbx emulator\"", name);
			return NULL;
		}
		return emulator_json(e, &h);
	}
	a = json_array();
	for (size_t i = 0; i < sizeof(emus) / sizeof(emus[0]); i++)
		json_array_append_new(a, emulator_json(&emus[i], &h));
	return a;
}
