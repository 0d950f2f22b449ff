/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output file names from a template, as Corsaro makes them: %P the plugin
 * ("global", "log", "flowtuple", "dos"), %N the monitor name, %s the unix
 * time, any other strftime(3) code formatted in UTC; all from the start of
 * the first interval in the file.
 */
#ifndef TBX_CORSARO_TEMPLATE_H
#define TBX_CORSARO_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

/* 0 when @tmpl is usable (holds %P, no dangling %), else an error. */
int cors_template_check(const char *tmpl);
int cors_template_name(const char *tmpl, const char *plugin, const char *monitor,
		       uint32_t time, char *out, size_t size);

#endif
