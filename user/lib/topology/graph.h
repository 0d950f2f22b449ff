/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A topology as a Graphviz DOT graph or an SVG drawing (`tbx topology graph`). */
#ifndef TBX_TOPOLOGY_GRAPH_H
#define TBX_TOPOLOGY_GRAPH_H

#include <stdio.h>

#include "topology/topology.h"

void tbx_topo_dot(const struct tbx_topo *t, FILE *f);
void tbx_topo_svg(const struct tbx_topo *t, FILE *f);

#endif
