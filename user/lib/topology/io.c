// SPDX-License-Identifier: GPL-2.0-or-later
/* A node's io limits as the words tbxd records and io.max takes. */
#include <inttypes.h>
#include <stdio.h>

#include "topology/topology.h"

static const char *const io_key_names[TBX_IO_N] = {
	[TBX_IO_RBPS]	= "rbps",
	[TBX_IO_WBPS]	= "wbps",
	[TBX_IO_RIOPS]	= "riops",
	[TBX_IO_WIOPS]	= "wiops",
};

const char *tbx_topo_io_key_name(enum tbx_topo_io_key k)
{
	return (unsigned int)k < TBX_IO_N ? io_key_names[k] : NULL;
}

void tbx_topo_io_words(const struct tbx_topo_node *n, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < n->n_io && off < len; i++) {
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ";" : "",
					n->io[i].path);
		for (int k = 0; k < TBX_IO_N && off < len; k++)
			if (n->io[i].limit[k])
				off += (size_t)snprintf(buf + off, len - off, " %s=%" PRIu64,
							io_key_names[k], n->io[i].limit[k]);
	}
}
