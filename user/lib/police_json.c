// SPDX-License-Identifier: GPL-2.0-or-later
/* A sender as `tbx -j enforce show` and tbxd's GET /enforce show it. */
#include "police.h"

const char *tbx_police_kind_name(__u32 kind)
{
	return kind == TBX_POLICE_CGROUP ? "cgroup" : kind == TBX_POLICE_DEV ? "dev" : "?";
}

/* The bits the profile allowed from its phase 0 until @now. */
uint64_t tbx_police_curve_bits(const struct tbx_police_sender *s, uint64_t now)
{
	const struct tbx_curve *c = &s->curve;
	uint64_t t;

	if (!c->period_ns || now <= s->cfg.start_ns)
		return 0;
	t = now - s->cfg.start_ns;
	return t / c->period_ns * c->period_bits + tbx_curve_bits_at(c, t % c->period_ns);
}

static json_t *count_json(const struct tbx_police_count *c)
{
	return json_pack("{s:I,s:I}", "packets", (json_int_t)c->packets,
			 "bits", (json_int_t)c->bits);
}

json_t *tbx_police_sender_json(const struct tbx_police_sender *s, uint64_t now)
{
	json_t *o = json_pack("{s:s,s:s,s:b,s:I,s:I,s:I,s:o,s:o,s:o}",
		"name", s->cfg.name, "kind", tbx_police_kind_name(s->cfg.kind), "off", s->cfg.off != 0,
		"period_ns", (json_int_t)s->curve.period_ns,
		"period_bits", (json_int_t)s->curve.period_bits,
		"curve_bits", (json_int_t)tbx_police_curve_bits(s, now),
		"sent", count_json(&s->st.sent), "exceeded", count_json(&s->st.exceeded),
		"refused_off", count_json(&s->st.refused_off));

	if (s->cfg.kind == TBX_POLICE_CGROUP)
		json_object_set_new(o, "cgroup_id", json_integer((json_int_t)s->cfg.cgroup_id));
	else
		json_object_set_new(o, "ifindex", json_integer(s->cfg.ifindex));
	if (s->cfg.uuid)
		json_object_set_new(o, "uuid", json_integer((json_int_t)s->cfg.uuid));
	json_object_set_new(o, "next_send_in_ns", json_integer(
		s->st.next_send_ns == TBX_CURVE_NEVER ? -1 :
		s->st.next_send_ns > now ? (json_int_t)(s->st.next_send_ns - now) : 0));
	json_object_set_new(o, "prog_id", json_integer(s->cfg.prog_id));
	return o;
}
