// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdlib.h>
#include <string.h>

#include "latency_json.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

json_t *tbxd_latency_json(const uint64_t *ns, unsigned int n)
{
	uint64_t *v;
	json_t *o;

	if (!n || !(v = malloc(n * sizeof(*v))))
		return json_pack("{s:i}", "n", 0);
	memcpy(v, ns, n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmp_u64);
	o = json_pack("{s:i,s:f,s:f,s:f}", "n", n, "p50_ms", v[(n - 1) / 2] / 1e6,
		      "p99_ms", v[(n * 99 + 99) / 100 - 1] / 1e6, "max_ms", v[n - 1] / 1e6);
	free(v);
	return o;
}
