// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tbx topology: topology files (Documentation/topology.md) built by tbxd.
 * up, down and show go through tbxd's API; up then runs each new node's
 * exec: commands here, inside the node, as exec does; graph reads a file
 * (or a topology tbxd holds) and draws it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "cgroup.h"
#include "daemon_client.h"
#include "err.h"
#include "netns.h"
#include "tbx.h"
#include "textfile.h"
#include "topology/graph.h"
#include "topology/topology.h"

/* up and down do a netlink call or two per node and link: 1000 nodes
 * fit well inside this.
 */
#define TOPO_TIMEOUT_MS	(10 * 60 * 1000)

static void topology_usage(FILE *f)
{
	fprintf(f,
		"Usage: tbx topology up FILE\n"
		"       tbx topology down NAME|FILE\n"
		"       tbx topology show [NAME]\n"
		"       tbx topology exec NAME NODE CMD [ARG...]\n"
		"       tbx topology graph FILE|NAME [--svg]\n"
		"  up     build the topology FILE names, or change a running one to match\n"
		"         FILE (only what differs); runs new nodes' exec: commands\n"
		"  down   remove every namespace, link, qdisc and cgroup it made\n"
		"  show   every topology, or one's nodes and links\n"
		"  exec   run CMD inside NODE (its network namespace and cgroup)\n"
		"  graph  the topology as Graphviz DOT, or with --svg as an SVG drawing\n");
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key)) ?: "";
}

/* Reads and parses FILE here, so a bad one is refused before tbxd. */
static int load(const char *path, char **text, struct tbx_topo **t)
{
	size_t len = 0;

	if (tbx_read_text(path, TBX_TOPO_FILE_MAX, text, &len))
		return -1;
	if (tbx_topo_parse(path, *text, len, t)) {
		free(*text);
		return -1;
	}
	return 0;
}

/*
 * Runs argv inside the node: its cgroup first (so everything it starts
 * is accounted and killed with the node), then its network namespace.
 * Only returns on failure.
 */
static void exec_in_node(const char *netns, const char *cgroup, char **argv)
{
	int back;

	if (tbx_cgroup_enter(cgroup, 0) && tbx_cgroup_exists(cgroup)) {
		fprintf(stderr, "Error: %s\n", tbx_errmsg());
		return;
	}
	if (tbx_netns_enter(netns, &back)) {
		fprintf(stderr, "Error: %s\n", tbx_errmsg());
		return;
	}
	close(back);
	execvp(argv[0], argv);
	fprintf(stderr, "Error: %s: %s\n", argv[0], strerror(errno));
}

/* One command through /bin/sh -c in a child; its exit status. */
static int run_in_node(const char *netns, const char *cgroup, const char *cmd)
{
	char *argv[] = { "/bin/sh", "-c", (char *)cmd, NULL };
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return tbx_err(errno, "fork: %m");
	if (!pid) {
		exec_in_node(netns, cgroup, argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return tbx_err(errno, "waitpid: %m");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The new nodes' exec: commands, in order; stops at the first failure. */
static int run_exec(json_t *exec)
{
	json_t *n, *c;
	size_t i, j;

	json_array_foreach(exec, i, n)
		json_array_foreach(json_object_get(n, "commands"), j, c) {
			int st;

			printf("%s$ %s\n", str(n, "node"), json_string_value(c));
			st = run_in_node(str(n, "netns"), str(n, "cgroup"), json_string_value(c));
			if (st < 0)
				return tbx_fail();
			if (st) {
				fprintf(stderr, "Error: node %s: exec \"%s\" exited %d\n",
					str(n, "node"), json_string_value(c), st);
				return TBX_EXIT_FAIL;
			}
		}
	return TBX_EXIT_OK;
}

static void print_changes(const char *what, json_t *list)
{
	json_t *v;
	size_t i;

	json_array_foreach(list, i, v)
		printf("%s %s\n", what, json_string_value(v));
}

static int topo_up(struct tbx_ctx *ctx, int argc, char **argv)
{
	char *text, *abs, query[PATH_MAX * 3 + 32], enc[PATH_MAX * 3];
	struct tbx_topo *t;
	json_t *r, *topo;
	int err, rc;

	if (argc != 2)
		return tbx_usage_error("topology up FILE");
	if (load(argv[1], &text, &t))
		return tbx_fail();
	abs = realpath(argv[1], NULL);
	tbxd_url_encode(abs ?: argv[1], enc, sizeof(enc));
	free(abs);
	snprintf(query, sizeof(query), "/topologies?file=%s", enc);
	err = tbxd_call_within(ctx->sock, "POST", query, text, TOPO_TIMEOUT_MS, &r);
	free(text);
	tbx_topo_free(t);
	if (err)
		return tbx_fail();
	if (!ctx->json) {
		print_changes("created", json_object_get(r, "created"));
		print_changes("changed", json_object_get(r, "changed"));
		print_changes("removed", json_object_get(r, "removed"));
	}
	rc = run_exec(json_object_get(r, "exec"));
	topo = json_object_get(r, "topology");
	if (ctx->json) {
		tbx_print_json(ctx, json_incref(r));
	} else if (!rc) {
		printf("topology %s up: %zu nodes, %zu links", str(topo, "name"),
		       json_array_size(json_object_get(topo, "nodes")),
		       json_array_size(json_object_get(topo, "links")));
		if (!json_array_size(json_object_get(r, "created")) &&
		    !json_array_size(json_object_get(r, "changed")) &&
		    !json_array_size(json_object_get(r, "removed")))
			printf(" (nothing changed)");
		printf("\n");
	}
	json_decref(r);
	return rc;
}

/* NAME, or the name: of the file NAME names. */
static int name_of(const char *arg, char *name, size_t len)
{
	struct tbx_topo *t;
	char *text;

	if (access(arg, F_OK)) {
		if (!tbx_topo_name_ok("topology", arg))
			return tbx_usage_error("%s (and no such file)", tbx_errmsg());
		snprintf(name, len, "%s", arg);
		return 0;
	}
	if (load(arg, &text, &t))
		return tbx_fail();
	snprintf(name, len, "%s", t->name);
	free(text);
	tbx_topo_free(t);
	return 0;
}

static int topo_down(struct tbx_ctx *ctx, int argc, char **argv)
{
	char name[TBX_TOPO_NAME_MAX + 1], path[64];
	json_t *r;
	int rc;

	if (argc != 2)
		return tbx_usage_error("topology down NAME|FILE");
	if ((rc = name_of(argv[1], name, sizeof(name))))
		return rc;
	snprintf(path, sizeof(path), "/topologies/%s", name);
	if (tbxd_call_within(ctx->sock, "DELETE", path, NULL, TOPO_TIMEOUT_MS, &r))
		return tbx_fail();
	if (ctx->json) {
		tbx_print_json(ctx, r);
		return TBX_EXIT_OK;
	}
	print_changes("removed", json_object_get(r, "removed"));
	printf("topology %s down\n", name);
	json_decref(r);
	return TBX_EXIT_OK;
}

static int get_one(struct tbx_ctx *ctx, const char *name, json_t **r)
{
	char path[64];

	if (!tbx_topo_name_ok("topology", name))
		return tbx_usage_error("%s", tbx_errmsg());
	snprintf(path, sizeof(path), "/topologies/%s", name);
	return tbxd_call(ctx->sock, "GET", path, NULL, r) ? tbx_fail() : 0;
}

static void show_one(json_t *t)
{
	json_t *v;
	size_t i;

	printf("topology %s: %s, from %s, updated %s\n", str(t, "name"), str(t, "state"),
	       str(t, "file"), str(t, "updated"));
	if (*str(t, "message"))
		printf("  message: %s\n", str(t, "message"));
	json_array_foreach(json_object_get(t, "nodes"), i, v) {
		long long cpu = json_integer_value(json_object_get(v, "cpu_max_us"));
		long long mem = json_integer_value(json_object_get(v, "memory_max"));

		printf("  node %-12s %-6s %-8s netns %s%s", str(v, "name"), str(v, "kind"),
		       str(v, "state"), str(v, "netns"),
		       json_is_true(json_object_get(v, "netns_present")) ? "" : " (missing)");
		if (cpu)
			printf(" cpu %g", cpu / 100000.0);
		if (mem)
			printf(" memory %lldB", mem);
		if (*str(v, "io_max"))
			printf(" io %s", str(v, "io_max"));
		printf("\n");
	}
	json_array_foreach(json_object_get(t, "links"), i, v) {
		json_t *a = json_array_get(json_object_get(v, "endpoints"), 0);
		json_t *b = json_array_get(json_object_get(v, "endpoints"), 1);

		printf("  link %s:%s -- %s:%s %s\n", str(a, "node"), str(a, "interface"),
		       str(b, "node"), str(b, "interface"), str(v, "state"));
		if (*str(a, "egress"))
			printf("    %s -> %s: %s\n", str(a, "node"), str(b, "node"), str(a, "egress"));
		if (*str(b, "egress"))
			printf("    %s -> %s: %s\n", str(b, "node"), str(a, "node"), str(b, "egress"));
	}
}

static int topo_show(struct tbx_ctx *ctx, int argc, char **argv)
{
	json_t *r, *v;
	size_t i;
	int rc;

	if (argc > 2)
		return tbx_usage_error("topology show [NAME]");
	if (argc == 2) {
		if ((rc = get_one(ctx, argv[1], &r)))
			return rc;
		if (ctx->json) {
			tbx_print_json(ctx, json_incref(json_object_get(r, "topology")));
		} else {
			show_one(json_object_get(r, "topology"));
		}
		json_decref(r);
		return TBX_EXIT_OK;
	}
	if (tbxd_call(ctx->sock, "GET", "/topologies", NULL, &r))
		return tbx_fail();
	if (ctx->json) {
		tbx_print_json(ctx, r);
		return TBX_EXIT_OK;
	}
	json_array_foreach(json_object_get(r, "topologies"), i, v)
		printf("%-16s %-9s %3lld nodes %3lld links  %s\n", str(v, "name"), str(v, "state"),
		       json_integer_value(json_object_get(v, "nodes")),
		       json_integer_value(json_object_get(v, "links")), str(v, "file"));
	json_decref(r);
	return TBX_EXIT_OK;
}

static int topo_exec(struct tbx_ctx *ctx, int argc, char **argv)
{
	json_t *r, *n, *found = NULL;
	size_t i;
	int rc;

	if (argc < 4)
		return tbx_usage_error("topology exec NAME NODE CMD [ARG...]");
	if ((rc = get_one(ctx, argv[1], &r)))
		return rc;
	json_array_foreach(json_object_get(json_object_get(r, "topology"), "nodes"), i, n)
		if (!strcmp(str(n, "name"), argv[2]))
			found = n;
	if (!found) {
		json_decref(r);
		tbx_err(ENOENT, "topology %s has no node \"%s\"", argv[1], argv[2]);
		return tbx_fail();
	}
	exec_in_node(str(found, "netns"), str(found, "cgroup"), argv + 3);
	json_decref(r);
	return 127;
}

static int topo_graph(struct tbx_ctx *ctx, int argc, char **argv)
{
	struct tbx_topo *t;
	bool svg = false;
	const char *what = NULL;
	char *text;
	int rc;

	for (int a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--svg"))
			svg = true;
		else if (argv[a][0] == '-' || what)
			return tbx_usage_error("topology graph: unexpected \"%s\"", argv[a]);
		else
			what = argv[a];
	}
	if (!what)
		return tbx_usage_error("topology graph FILE|NAME [--svg]");
	if (!access(what, F_OK)) {
		if (load(what, &text, &t))
			return tbx_fail();
	} else {
		json_t *r, *top;
		int err;

		/* A topology tbxd holds: the file it was last brought up from. */
		if ((rc = get_one(ctx, what, &r)))
			return rc;
		top = json_object_get(r, "topology");
		text = strdup(str(top, "yaml"));
		err = !text ? tbx_err(ENOMEM, "out of memory")
			    : tbx_topo_parse(str(top, "file"), text, strlen(text), &t);
		json_decref(r);
		if (err) {
			free(text);
			return tbx_fail();
		}
	}
	if (svg)
		tbx_topo_svg(t, stdout);
	else
		tbx_topo_dot(t, stdout);
	free(text);
	tbx_topo_free(t);
	return TBX_EXIT_OK;
}

int cmd_topology(struct tbx_ctx *ctx, int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "-h")) {
		topology_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? TBX_EXIT_USAGE : TBX_EXIT_OK;
	}
	if (tbx_matches(argv[1], "up"))
		return topo_up(ctx, argc - 1, argv + 1);
	if (tbx_matches(argv[1], "down"))
		return topo_down(ctx, argc - 1, argv + 1);
	if (tbx_matches(argv[1], "show") || tbx_matches(argv[1], "list"))
		return topo_show(ctx, argc - 1, argv + 1);
	if (tbx_matches(argv[1], "exec"))
		return topo_exec(ctx, argc - 1, argv + 1);
	if (tbx_matches(argv[1], "graph"))
		return topo_graph(ctx, argc - 1, argv + 1);
	topology_usage(stderr);
	return tbx_usage_error("topology: unknown command \"%s\"", argv[1]);
}
