// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A topology drawn: Graphviz DOT for those who have dot, and an SVG made
 * here (nodes on a circle, links as lines labelled with their
 * impairments) for those who do not.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "svg_plot.h"
#include "topology/graph.h"

/* Prints @s inside a DOT "..." string. */
static void dot_str(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
}

/* "h1→h2: rate 20mbit delay 10ms", one line per impaired direction. */
static void link_label(const struct tbx_topo *t, const struct tbx_topo_link *l,
		       char *buf, size_t len, const char *sep)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int e = 0; e < 2; e++) {
		char words[512];

		tbx_topo_impair_words(&l->egress[e], words, sizeof(words));
		if (!*words)
			continue;
		n += snprintf(buf + n, n < len ? len - n : 0, "%s%s->%s: %s", n ? sep : "",
			      t->nodes[l->ep[e].node].name, t->nodes[l->ep[!e].node].name, words);
	}
}

void tbx_topo_dot(const struct tbx_topo *t, FILE *f)
{
	char label[1200];

	fputs("graph \"", f);
	dot_str(f, t->name);
	fputs("\" {\n\tnode [fontname=\"sans-serif\"];\n\tedge [fontname=\"sans-serif\", fontsize=10];\n", f);
	for (unsigned int i = 0; i < t->n_nodes; i++) {
		fputs("\t\"", f);
		dot_str(f, t->nodes[i].name);
		fprintf(f, "\" [shape=%s];\n",
			t->nodes[i].kind == TBX_TOPO_BRIDGE ? "ellipse" : "box");
	}
	for (unsigned int i = 0; i < t->n_links; i++) {
		const struct tbx_topo_link *l = &t->links[i];

		fputs("\t\"", f);
		dot_str(f, t->nodes[l->ep[0].node].name);
		fputs("\" -- \"", f);
		dot_str(f, t->nodes[l->ep[1].node].name);
		fputs("\" [taillabel=\"", f);
		dot_str(f, l->ep[0].ifname);
		fputs("\", headlabel=\"", f);
		dot_str(f, l->ep[1].ifname);
		link_label(t, l, label, sizeof(label), "\n");
		fputs("\", label=\"", f);
		dot_str(f, label);
		fputs("\"];\n", f);
	}
	fputs("}\n", f);
}

void tbx_topo_svg(const struct tbx_topo *t, FILE *f)
{
	double r = t->n_nodes > 1 ? fmax(140, t->n_nodes * 28) : 0;
	double cx = r + 220, cy = r + 80, w = 2 * cx, h = 2 * cy;
	char label[1200];

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\""
		" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n"
		"<title>", w, h, w, h);
	tbx_svg_text(f, t->name);
	fputs("</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n", f);
	for (unsigned int i = 0; i < t->n_links; i++) {
		const struct tbx_topo_link *l = &t->links[i];
		double a0 = 2 * M_PI * l->ep[0].node / t->n_nodes;
		double a1 = 2 * M_PI * l->ep[1].node / t->n_nodes;
		double x0 = cx + r * cos(a0), y0 = cy + r * sin(a0);
		double x1 = cx + r * cos(a1), y1 = cy + r * sin(a1);
		char *line, *save = NULL;
		int k = 0;

		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\"/>\n",
			x0, y0, x1, y1);
		for (int e = 0; e < 2; e++) {
			double x = e ? x1 + (x0 - x1) * 0.2 : x0 + (x1 - x0) * 0.2;
			double y = e ? y1 + (y0 - y1) * 0.2 : y0 + (y1 - y0) * 0.2;

			fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" fill=\"#333\">", x, y - 3);
			tbx_svg_text(f, l->ep[e].ifname);
			fputs("</text>\n", f);
		}
		link_label(t, l, label, sizeof(label), "\n");
		for (line = strtok_r(label, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#a33\""
				" text-anchor=\"middle\">", (x0 + x1) / 2, (y0 + y1) / 2 + 12 * k++);
			tbx_svg_text(f, line);
			fputs("</text>\n", f);
		}
	}
	for (unsigned int i = 0; i < t->n_nodes; i++) {
		double a = 2 * M_PI * i / t->n_nodes;
		double x = cx + r * cos(a), y = cy + r * sin(a);
		bool br = t->nodes[i].kind == TBX_TOPO_BRIDGE;

		if (br)
			fprintf(f, "<ellipse cx=\"%.1f\" cy=\"%.1f\" rx=\"40\" ry=\"16\"", x, y);
		else
			fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"80\" height=\"32\" rx=\"4\"",
				x - 40, y - 16);
		fputs(" fill=\"#e8eef8\" stroke=\"#246\"/>\n", f);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\">",
			x, y + 4);
		tbx_svg_text(f, t->nodes[i].name);
		fputs("</text>\n", f);
	}
	fputs("</svg>\n", f);
}
