/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Line charts as standalone SVG files: what `tbx profile show --plot` and
 * the push-back experiment draw. One x axis, a left and an optional right
 * y axis, each scaled from 0 to its series' largest value; series drawn as
 * straight segments or as steps (a rate that holds until the next point).
 * No library: the output is small enough to write by hand and opens in any
 * browser.
 */
#ifndef TBX_SVG_PLOT_H
#define TBX_SVG_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct tbx_plot_series {
	const char *label;
	const char *colour;	/* an SVG colour: "#1f77b4" */
	bool step;		/* y holds from x[i] to x[i + 1] */
	bool right;		/* on the right axis */
	bool dashed;
	size_t n;
	const double *x, *y;
};

struct tbx_plot {
	const char *title;
	const char *xlabel, *ylabel, *y2label;	/* y2label: NULL for none */
	double x0, x1;		/* the x range shown */
	size_t n_series;
	const struct tbx_plot_series *series;
};

/* XML text: the few characters that would break an SVG document escaped. */
void tbx_svg_text(FILE *f, const char *s);

/* Writes @p to @f; -EINVAL (with a message) for an empty x range or series. */
int tbx_plot_svg(FILE *f, const struct tbx_plot *p);
/* tbx_plot_svg() to the file at @path; errors name it. */
int tbx_plot_svg_file(const char *path, const struct tbx_plot *p);

#endif
