// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "svg_plot.h"

#define W	800.0
#define H	420.0
#define LEFT	90.0
#define RIGHT	90.0
#define TOP	50.0
#define BOTTOM	60.0
#define TICKS	5

/* A tick step of 1, 2 or 5 times a power of ten giving about TICKS ticks. */
static double tick_step(double span)
{
	double raw = span / TICKS, mag = pow(10, floor(log10(raw))), f = raw / mag;

	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/* The axis' top: a whole number of ticks at or above @max (1 for an empty axis). */
static double axis_top(double max, double *step)
{
	if (!(max > 0))
		max = 1;
	*step = tick_step(max);
	return ceil(max / *step - 1e-9) * *step;
}

void tbx_svg_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* Tick labels short enough for the margin: 1.5e+06 becomes 1.5M. */
static void tick_label(char *buf, size_t len, double v)
{
	static const struct { double mult; const char *suffix; } si[] = {
		{ 1e12, "T" }, { 1e9, "G" }, { 1e6, "M" }, { 1e3, "k" },
	};

	for (size_t i = 0; i < sizeof(si) / sizeof(si[0]); i++)
		if (fabs(v) >= si[i].mult) {
			snprintf(buf, len, "%.4g%s", v / si[i].mult, si[i].suffix);
			return;
		}
	snprintf(buf, len, "%.4g", v);
}

struct frame {
	double x0, x1, ytop[2];
};

static double px(const struct frame *fr, double x)
{
	return LEFT + (x - fr->x0) / (fr->x1 - fr->x0) * (W - LEFT - RIGHT);
}

static double py(const struct frame *fr, int axis, double y)
{
	return H - BOTTOM - y / fr->ytop[axis] * (H - TOP - BOTTOM);
}

static void y_axis(FILE *f, const struct frame *fr, int axis, double step, const char *label)
{
	double x = axis ? W - RIGHT : LEFT;
	char buf[32];

	for (double v = 0; v <= fr->ytop[axis] * (1 + 1e-9); v += step) {
		tick_label(buf, sizeof(buf), v);
		if (!axis)
			fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
				"stroke=\"#ddd\"/>\n", LEFT, py(fr, 0, v), W - RIGHT, py(fr, 0, v));
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"12\">%s</text>\n",
			axis ? x + 6 : x - 6, py(fr, axis, v) + 4, axis ? "start" : "end", buf);
	}
	fprintf(f, "<text transform=\"translate(%.1f %.1f) rotate(-90)\" text-anchor=\"middle\" "
		"font-size=\"13\">", axis ? W - 20 : 20, (H - BOTTOM + TOP) / 2);
	tbx_svg_text(f, label);
	fputs("</text>\n", f);
}

static void x_axis(FILE *f, const struct frame *fr, const char *label)
{
	double step = tick_step(fr->x1 - fr->x0), first = ceil(fr->x0 / step - 1e-9) * step;
	char buf[32];

	for (double v = first; v <= fr->x1 * (1 + 1e-9) + 1e-12; v += step) {
		tick_label(buf, sizeof(buf), fabs(v) < step * 1e-9 ? 0 : v);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\">%s</text>\n",
			px(fr, v), H - BOTTOM + 18, buf);
	}
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"13\">",
		(LEFT + W - RIGHT) / 2, H - 15);
	tbx_svg_text(f, label);
	fputs("</text>\n", f);
}

static void series(FILE *f, const struct frame *fr, const struct tbx_plot_series *s, size_t k)
{
	int axis = s->right ? 1 : 0;

	fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"",
		s->colour ? s->colour : "#000", s->dashed ? " stroke-dasharray=\"6 4\"" : "");
	for (size_t i = 0; i < s->n; i++) {
		if (s->step && i)
			fprintf(f, "%.2f,%.2f ", px(fr, s->x[i]), py(fr, axis, s->y[i - 1]));
		fprintf(f, "%.2f,%.2f ", px(fr, s->x[i]), py(fr, axis, s->y[i]));
	}
	fputs("\"/>\n", f);
	/* The legend, one line per series along the top. */
	fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
		"stroke-width=\"3\"/>\n", LEFT + 10 + 230.0 * k, TOP - 12, LEFT + 34 + 230.0 * k,
		TOP - 12, s->colour ? s->colour : "#000");
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\">", LEFT + 40 + 230.0 * k, TOP - 8);
	tbx_svg_text(f, s->label);
	fputs(s->right ? " (right)" : "", f);
	fputs("</text>\n", f);
}

int tbx_plot_svg(FILE *f, const struct tbx_plot *p)
{
	struct frame fr = { .x0 = p->x0, .x1 = p->x1 };
	double max[2] = { 0, 0 }, step[2];
	size_t k, i;

	if (!(p->x1 > p->x0) || !p->n_series)
		return tbx_err(EINVAL, "plot: nothing to draw (an empty x range or no series)");
	for (k = 0; k < p->n_series; k++)
		for (i = 0; i < p->series[k].n; i++)
			if (p->series[k].y[i] > max[p->series[k].right])
				max[p->series[k].right] = p->series[k].y[i];
	fr.ytop[0] = axis_top(max[0], &step[0]);
	fr.ytop[1] = axis_top(max[1], &step[1]);

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		"viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n", W, H, W, H);
	fprintf(f, "<text x=\"%.1f\" y=\"20\" text-anchor=\"middle\" font-size=\"15\">", W / 2);
	tbx_svg_text(f, p->title);
	fputs("</text>\n", f);
	y_axis(f, &fr, 0, step[0], p->ylabel);
	if (p->y2label)
		y_axis(f, &fr, 1, step[1], p->y2label);
	x_axis(f, &fr, p->xlabel);
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
		"stroke=\"#444\"/>\n", LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
	for (k = 0; k < p->n_series; k++)
		series(f, &fr, &p->series[k], k);
	fputs("</svg>\n", f);
	return ferror(f) ? tbx_err(EIO, "plot: write error") : 0;
}

int tbx_plot_svg_file(const char *path, const struct tbx_plot *p)
{
	FILE *f = fopen(path, "w");
	int err;

	if (!f)
		return tbx_err(errno, "%s: %s", path, strerror(errno));
	err = tbx_plot_svg(f, p);
	if (fclose(f) && !err)
		err = tbx_err(EIO, "%s: %s", path, strerror(errno));
	if (err) {
		unlink(path);
		/* tbx_err() formats through a copy: its own message may be an argument. */
		return tbx_err(err, "%s: %s", path, tbx_errmsg());
	}
	return 0;
}
