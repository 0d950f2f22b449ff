// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The emulators: COCOMA's names (lookbusy, lookbusy_pin, stressapptest,
 * iperf, backfuzz) and tbx's (cpu, mem, io, net), each mapped per resource
 * onto the tbx run kind that plays it, with the arguments that reach the
 * run. Also the per-resource load bounds and this host's limits.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/sysinfo.h>
#include <jansson.h>

#include "emu_int.h"
#include "err.h"

#define CPU	EMU_RES_BIT(EMU_RES_CPU)
#define MEM	EMU_RES_BIT(EMU_RES_MEM)
#define IO	EMU_RES_BIT(EMU_RES_IO)
#define NET	EMU_RES_BIT(EMU_RES_NET)

#define NCPUS	{ "ncpus", EMU_ARG_NUM, 0, 4096, 0, false, CPU, "CPUs to keep busy; 0: all" }
#define MEMSLEEP { "memSleep", EMU_ARG_NUM, 0, 999999999, 0, false, MEM, \
		   "us to sleep between passes over the memory" }
#define IOSLEEP	{ "ioSleep", EMU_ARG_NUM, 0, 999999999, 0, false, IO, \
		  "ms to sleep between IO iterations" }
#define IOBLOCK	{ "ioBlockSize", EMU_ARG_NUM, 0, 9999999, 0, false, IO, \
		  "MiB per IO block; 0: tbxd's default" }
#define IODIR	{ "directory", EMU_ARG_TEXT, 0, 0, 0, false, IO, \
		  "directory for the IO files (removed afterwards); absent: tbxd's" }
#define SERVERIP { "serverip", EMU_ARG_TEXT, 0, 0, 0, true, NET, "destination address" }
#define DEV	{ "dev", EMU_ARG_TEXT, 0, 0, 0, false, NET, "device to send on; absent: the route's" }

static const struct emu_emulator_def emus[] = {
	{ "lookbusy", true, { "cpu", "mem", "io", NULL }, false, false,
	  "CPU, MEM or IO load (COCOMA ran lookbusy); played by tbx cpu, mem and io runs",
	  { NCPUS, MEMSLEEP, IOSLEEP, IOBLOCK, IODIR } },
	{ "lookbusy_pin", true, { "cpu", "mem", "io", NULL }, true, false,
	  "as lookbusy, with one worker pinned to each CPU (COCOMA: taskset + lookbusy)",
	  { NCPUS, MEMSLEEP, IOSLEEP, IOBLOCK, IODIR } },
	{ "stressapptest", true, { NULL, "mem", "io", NULL }, false, false,
	  "MEM or IO load (COCOMA ran stressapptest); played by tbx mem and io runs",
	  { { "memThreads", EMU_ARG_NUM, 1, 1024, 1, false, MEM, "threads touching the memory" },
	    { "memSize", EMU_ARG_NUM, 1, 1000000, 64, false, IO, "MiB of the IO buffer" },
	    IODIR } },
	{ "iperf", true, { NULL, NULL, NULL, "net" }, false, false,
	  "UDP traffic at the load in Mbit/s (COCOMA ran an iperf client); played by a tbx net run",
	  { SERVERIP,
	    { "serverport", EMU_ARG_NUM, 1, 65535, 5001, false, NET, "destination port" },
	    DEV } },
	{ "backfuzz", true, { NULL, NULL, NULL, "net" }, false, true,
	  "fuzzing packets to a server, event distributions only (COCOMA ran backfuzz); played by a tbx net run sending fuzz",
	  { SERVERIP,
	    { "serverport", EMU_ARG_NUM, 1, 65535, 80, false, NET, "destination port" },
	    { "protocol", EMU_ARG_TEXT, 0, 0, 0, false, NET, "backfuzz's protocol name (HTTP, FTP, UDP, ...)" },
	    { "min", EMU_ARG_NUM, 0, 65507, 100, false, NET, "bytes of the first payload" },
	    { "fuzzRange", EMU_ARG_NUM, 1, 65507, 900, false, NET, "bytes the payload grows over the pattern" },
	    { "salt", EMU_ARG_NUM, 1, 65507, 100, false, NET, "bytes the payload grows per step" },
	    { "timedelay", EMU_ARG_NUM, 0, 60, 0, false, NET, "s between packets" },
	    DEV } },
	{ "cpu", false, { "cpu", NULL, NULL, NULL }, false, false,
	  "a tbx cpu run: load % of each CPU used",
	  { NCPUS, { "pin", EMU_ARG_NUM, 0, 1, 0, false, CPU, "1: one worker pinned per CPU" } } },
	{ "mem", false, { NULL, "mem", NULL, NULL }, false, false,
	  "a tbx mem run: load MiB held and touched",
	  { MEMSLEEP } },
	{ "io", false, { NULL, NULL, "io", NULL }, false, false,
	  "a tbxd io run: files written and read with O_DIRECT at load MiB/s",
	  { IOSLEEP, IOBLOCK, IODIR } },
	{ "net", false, { NULL, NULL, NULL, "net" }, false, false,
	  "a tbx net run: packets at load Mbit/s",
	  { SERVERIP,
	    { "serverport", EMU_ARG_NUM, 1, 65535, 9, false, NET, "destination port" },
	    { "protocol", EMU_ARG_TEXT, 0, 0, 0, false, NET, "udp (default), tcp, icmp or fuzz" },
	    DEV } },
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

void emu_host_read(struct emu_host *h)
{
	struct sysinfo si;
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	h->ncpus = n > 0 ? (unsigned int)n : 1;
	h->mem_mb = sysinfo(&si) ? 1024 : (uint64_t)si.totalram * si.mem_unit >> 20;
}

/* COCOMA's bounds: CPU 0-100 %, MEM 50 MiB-all memory, IO 0-999999, NET 0-1000000. */
void emu_load_bounds(enum emu_res r, const struct emu_host *h, double *lo, double *hi)
{
	switch (r) {
	case EMU_RES_CPU:
		*lo = 0, *hi = 100;
		break;
	case EMU_RES_MEM:
		*lo = 50, *hi = h->mem_mb;
		break;
	case EMU_RES_IO:
		*lo = 0, *hi = 999999;
		break;
	default:
		*lo = 0, *hi = 1000000;
		break;
	}
}

static json_t *emulator_json(const struct emu_emulator_def *e, const struct emu_host *h)
{
	json_t *kinds = json_object();

	for (int r = EMU_RES_CPU; r < EMU_RES_MIX; r++)
		if (e->kind_for[r])
			json_object_set_new(kinds, emu_res_name(r), json_string(e->kind_for[r]));
	return json_pack("{s:s, s:s, s:o, s:b, s:b, s:s, s:o}", "name", e->name,
			 "origin", e->cocoma ? "cocoma" : "tbx", "runs", kinds,
			 "pinned", e->pin, "event_only", e->event_only,
			 "help", e->help, "arguments", emu_args_json(e->args, h));
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
