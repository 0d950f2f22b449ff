// SPDX-License-Identifier: GPL-2.0-or-later
/* What GET /detect[/NAME] shows of a detector: user/tbxd/api_detect.c. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "detector_state.h"
#include "latency_json.h"

static json_t *count_json(const struct tbx_detect_count *c)
{
	return json_pack("{s:I,s:I}", "packets", (json_int_t)c->packets,
			 "bits", (json_int_t)c->bits);
}

/* The detector against the labels: what a run's ground truth says of it. */
static json_t *scores_json(const struct detector *t, const struct tbx_detect_sender *bs)
{
	json_t *ttd = json_object(), *missed = json_array(), *fp = json_array();
	unsigned int attackers = 0, caught = 0;
	uint64_t good_dropped = 0;

	for (unsigned int i = 0; i < t->n; i++) {
		const struct sender *s = &t->s[i];

		if (!strcmp(s->label, "attack")) {
			attackers++;
			if (s->stops) {
				caught++;
				json_object_set_new(ttd, s->name, json_real(
					bs[i].first_ns && s->first_stop_ns > bs[i].first_ns ?
					(s->first_stop_ns - bs[i].first_ns) / 1e6 : 0));
			} else {
				json_array_append_new(missed, json_string(s->name));
			}
		} else if (!strcmp(s->label, "good")) {
			if (s->stops)
				json_array_append_new(fp, json_string(s->name));
			good_dropped += bs[i].dropped.packets;
		}
	}
	return json_pack("{s:i,s:i,s:o,s:o,s:o,s:I}", "attackers", attackers, "caught", caught,
			 "missed", missed, "false_positives", fp, "time_to_detect_ms", ttd,
			 "good_dropped_packets", (json_int_t)good_dropped);
}

static json_t *series_json(const struct detector *t)
{
	json_t *a = json_array();

	for (size_t i = 0; i < t->n_series; i++) {
		const struct point *p = &t->series[i];
		uint64_t at = p->epoch * TBX_DETECT_BUCKET_NS;

		json_array_append_new(a, json_pack("[f,I,I,I,I]",
			at > t->created_ns ? (at - t->created_ns) / 1e9 : 0.0,
			(json_int_t)p->peak_bits, (json_int_t)p->need_peak_bits,
			(json_int_t)p->arrived_bits, (json_int_t)p->dropped_bits));
	}
	return json_pack("{s:i,s:[s,s,s,s,s],s:o}", "interval_ms",
			 (int)(TBX_DETECT_BUCKET_NS / 1000000),
			 "columns", "t_s", "peak_bits", "need_peak_bits", "arrived_bits",
			 "dropped_bits", "intervals", a);
}

json_t *tbxd_detector_state_json(struct detector *t, bool series)
{
	const struct tbx_detect_config *cfg = tbx_detect_config_of(t->bpf);
	struct tbx_detect_sender bs[TBX_DETECT_SENDERS_MAX];
	struct tbx_detect_state st = { 0 };
	json_t *o, *senders = json_array();
	uint64_t now = now_ns();

	tbx_detect_read_state(t->bpf, &st);
	tbx_detect_drain_to(t->bpf, &st, now);
	for (unsigned int i = 0; i < t->n; i++) {
		const struct sender *s = &t->s[i];
		json_t *j;

		memset(&bs[i], 0, sizeof(bs[i]));
		tbx_detect_read_sender(t->bpf, s->slot, &bs[i]);
		j = json_pack("{s:s,s:s,s:s,s:b,s:I,s:I,s:o,s:o,s:I,s:I}",
			"name", s->name, "addr", s->addr, "profile", s->profile, "off", s->off,
			"stops", (json_int_t)s->stops, "resumes", (json_int_t)s->resumes,
			"arrived", count_json(&bs[i].arrived), "dropped", count_json(&bs[i].dropped),
			"window_bits", (json_int_t)s->window_bits,
			"window_allowed_bits", (json_int_t)s->window_allowed_bits);
		if (s->stops)
			json_object_set_new(j, "last_stop", json_pack("{s:I,s:I}",
				"window_bits", (json_int_t)s->stop_window_bits,
				"allowed_bits", (json_int_t)s->stop_allowed_bits));
		if (s->has_uuid)
			json_object_set_new(j, "uuid", json_integer((json_int_t)s->uuid));
		if (s->label[0])
			json_object_set_new(j, "label", json_string(s->label));
		json_array_append_new(senders, j);
	}
	o = json_pack("{s:s,s:s,s:s,s:i,s:I,s:f,s:f,s:o,s:{s:I,s:I,s:I,s:I,s:b,s:o,s:o},"
		      "s:I,s:I,s:I,s:I,s:o,s:o,s:o}",
		"name", t->name, "dev", t->dev, "profile", t->profile, "port", cfg->port,
		"capacity_bits", (json_int_t)cfg->capacity_bits, "high", t->high, "low", t->low,
		"pushback", t->pushback_dev[0] ? json_string(t->pushback_dev) : json_false(),
		"buffer",
		"occupancy_bits", (json_int_t)st.occupancy_bits,
		"peak_bits", (json_int_t)st.peak_bits,
		"need_bits", (json_int_t)st.need_bits,
		"need_peak_bits", (json_int_t)st.need_peak_bits,
		"high", st.high != 0,
		"arrived", count_json(&st.arrived), "dropped", count_json(&st.dropped),
		"checks", (json_int_t)t->checks, "high_events", (json_int_t)t->high_events,
		"messages", (json_int_t)t->messages, "send_errors", (json_int_t)t->send_errors,
		"latency", tbxd_latency_json(t->latency_ns, t->n_latency), "senders", senders, "scores", scores_json(t, bs));
	if (series)
		json_object_set_new(o, "series", series_json(t));
	return o;
}
