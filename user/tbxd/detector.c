// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "detect.h"
#include "detector.h"
#include "err.h"
#include "log.h"
#include "loop.h"
#include "profile.h"
#include "pushback.h"
#include "detector_state.h"
#include "tbxd.h"

/* --- push-back ------------------------------------------------------------- */

/* One message for @n senders; false when push-back is off or it failed. */
static bool tell(struct detector *t, struct sender **who, unsigned int n, bool stop)
{
	struct tbxd_detectors *ds = t->ds;
	struct tbx_pushback m = { 0 };
	uint8_t buf[TBX_PUSHBACK_MAX];
	int len;

	if (!n || !t->pushback_dev[0])
		return false;
	for (unsigned int i = 0; i < n && m.n < TBX_PUSHBACK_ENTRIES; i++) {
		if (!who[i]->has_uuid)
			continue;
		m.e[m.n].uuid = who[i]->uuid;
		m.e[m.n++].stop = stop;
	}
	if (!m.n)
		return false;
	if (ds->k.len) {
		snprintf(m.from, sizeof(m.from), "%s", t->name);
		m.seq = t->seq = tbx_pushback_next_seq(t->seq);
	}
	len = tbx_pushback_format(&m, &ds->k, buf, sizeof(buf));
	if (len < 0 || tbx_pushback_send(t->pb_fd, buf, len)) {
		t->send_errors++;
		tbxd_log("detect %s: %s", t->name, tbx_errmsg());
		return false;
	}
	t->messages++;
	return true;
}

/* --- CBSAT's check ---------------------------------------------------------- */

/*
 * Above high: who sent more over the last second than its profile allowed
 * over the same time. As CBSAT's receiver: the time runs from the sender's
 * first message in the window (a sender that began 100 ms ago is judged
 * on 100 ms), and that first message is not held against it (CBSAT
 * subtracts the data recorded at it), one datagram of slack.
 */
static void limit(struct detector *t, uint64_t now)
{
	uint64_t e = now / TBX_DETECT_BUCKET_NS, from = e - (TBX_DETECT_WINDOW - 1);
	uint64_t w0 = from * TBX_DETECT_BUCKET_NS;
	struct sender *tell_now[TBX_DETECT_SENDERS_MAX];
	unsigned int n = 0;
	bool fresh = false;

	for (unsigned int i = 0; i < t->n; i++) {
		struct sender *s = &t->s[i];
		struct tbx_detect_sender ds;

		if (tbx_detect_read_sender(t->bpf, s->slot, &ds))
			continue;
		uint64_t t1 = ds.first_ns > w0 ? ds.first_ns : w0;

		s->window_bits = tbx_detect_bits_between(&ds, from, e);
		s->window_allowed_bits = ds.max_bits + (now > t1 ? tbx_curve_bits_over(&s->curve,
			tbx_curve_phase(&s->curve, t1, s->start_ns), now - t1) : 0);
		if (s->window_bits <= s->window_allowed_bits)
			continue;
		if (!s->off) {
			s->off = true;
			s->stops++;
			s->stop_window_bits = s->window_bits;
			s->stop_allowed_bits = s->window_allowed_bits;
			if (!s->first_stop_ns)
				s->first_stop_ns = now;
			fresh = true;
			tbxd_log("detect %s: %s sent %llu bits in the last second, its profile "
				 "allows %llu: %s", t->name, s->name,
				 (unsigned long long)s->window_bits,
				 (unsigned long long)s->window_allowed_bits,
				 t->pushback_dev[0] ? (s->has_uuid ? "stopped" : "no uuid to stop it by")
						    : "flagged (push-back off)");
		} else if (now - s->last_told_ns < RESEND_NS) {
			continue;
		}
		s->last_told_ns = now;
		tell_now[n++] = s;
	}
	/* The latency counts stops that left: with push-back off there are none. */
	if (tell(t, tell_now, n, true) && fresh && t->pending_high_ns) {
		if (t->n_latency < LATENCIES_MAX)
			t->latency_ns[t->n_latency++] = now_ns() - t->pending_high_ns;
		t->pending_high_ns = 0;
	}
}

/* Below low: every stopped sender resumes. */
static void unlimit(struct detector *t)
{
	struct sender *who[TBX_DETECT_SENDERS_MAX];
	unsigned int n = 0;

	t->pending_high_ns = 0;
	for (unsigned int i = 0; i < t->n; i++) {
		if (!t->s[i].off)
			continue;
		t->s[i].off = false;
		t->s[i].resumes++;
		who[n++] = &t->s[i];
	}
	if (n)
		tbxd_log("detect %s: buffer below its low watermark: %u sender%s resumed",
			 t->name, n, n == 1 ? "" : "s");
	tell(t, who, n, false);
}

/* --- the series ------------------------------------------------------------ */

static void series_add(struct detector *t, uint64_t epoch, uint64_t peak, uint64_t need_peak)
{
	struct tbx_detect_interval iv;
	struct point p = { epoch, peak, need_peak, 0, 0 };

	if (!tbx_detect_read_interval(t->bpf, epoch, &iv)) {
		p.peak_bits = iv.peak_bits > peak ? iv.peak_bits : peak;
		p.need_peak_bits = iv.need_peak_bits > need_peak ? iv.need_peak_bits : need_peak;
		p.arrived_bits = iv.arrived_bits;
		p.dropped_bits = iv.dropped_bits;
	}
	if (t->n_series == SERIES_MAX) {	/* keep the latest half hour and go on */
		memmove(t->series, t->series + SERIES_MAX / 2,
			(SERIES_MAX - SERIES_MAX / 2) * sizeof(*t->series));
		t->n_series -= SERIES_MAX / 2;
	}
	t->series[t->n_series++] = p;
}

static void sample(struct detector *t, const struct tbx_detect_state *st, uint64_t now)
{
	uint64_t e = now / TBX_DETECT_BUCKET_NS;

	if (e != t->cur_epoch) {
		if (t->cur_epoch) {
			series_add(t, t->cur_epoch, t->cur_peak, t->cur_need_peak);
			/* Intervals tbxd slept through: what the map kept of them. */
			for (uint64_t x = t->cur_epoch + 1; x < e && x - t->cur_epoch < TBX_DETECT_SERIES; x++)
				series_add(t, x, st->occupancy_bits, st->need_bits);
		}
		t->cur_epoch = e;
		t->cur_peak = t->cur_need_peak = 0;
	}
	if (st->occupancy_bits > t->cur_peak)
		t->cur_peak = st->occupancy_bits;
	if (st->need_bits > t->cur_need_peak)
		t->cur_need_peak = st->need_bits;
}

/*
 * @crossed: the datapath saw the buffer above high since the last check.
 * The level may have drained back under it by now (a packet's worth drains
 * in milliseconds), but CBSAT's receiver checks on the level a message
 * found, so a crossing is checked whatever the level is now.
 */
static void check(struct detector *t, bool crossed)
{
	const struct tbx_detect_config *cfg = tbx_detect_config_of(t->bpf);
	struct tbx_detect_state st;
	uint64_t now = now_ns();

	if (tbx_detect_read_state(t->bpf, &st))
		return;
	tbx_detect_drain_to(t->bpf, &st, now);
	sample(t, &st, now);
	t->checks++;
	if (crossed || st.occupancy_bits > cfg->high_bits)
		limit(t, now);
	else if (st.occupancy_bits < cfg->low_bits)
		unlimit(t);
}

static void on_event(const struct tbx_detect_event *ev, void *arg)
{
	struct detector *t = arg;

	if (ev->kind == TBX_DETECT_HIGH) {
		t->high_events++;
		t->crossed = true;
		if (!t->pending_high_ns)
			t->pending_high_ns = ev->ns;
	}
}

static void events_and_check(struct detector *t)
{
	t->crossed = false;
	tbx_detect_events_consume(t->bpf, on_event, t);
	check(t, t->crossed);
}

static void on_events(struct tbxd_loop *loop, int fd, short revents, void *arg)
{
	events_and_check(arg);
}

static void on_tick(struct tbxd_timer *tm, uint64_t expirations, void *arg)
{
	events_and_check(arg);
}

/* --- create, remove -------------------------------------------------------- */

static void detector_free(struct detector *t)
{
	struct tbxd_loop *loop = t->ds->d->loop;

	if (t->events_fd >= 0)
		tbxd_loop_del_fd(loop, t->events_fd);
	tbxd_timer_free(t->tick);
	tbx_detect_close(t->bpf);
	if (t->pb_fd >= 0)
		close(t->pb_fd);
	free(t->series);
	free(t);
}

static int check_keys(json_t *o, const char *what, const char *const *keys, size_t n)
{
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v) {
		size_t i;

		for (i = 0; i < n && strcmp(k, keys[i]); i++)
			;
		if (i == n)
			return tbx_err(EINVAL, "detect: %s: unknown key \"%s\"", what, k);
	}
	return 0;
}

static int get_string(json_t *o, const char *what, const char *key, bool need,
		      char *out, size_t len)
{
	json_t *v = json_object_get(o, key);

	if (!v) {
		if (need)
			return tbx_err(EINVAL, "detect: %s: \"%s\" is missing", what, key);
		return 0;
	}
	if (!json_is_string(v) || !json_string_length(v))
		return tbx_err(EINVAL, "detect: %s: \"%s\" must be a non-empty string", what, key);
	if (json_string_length(v) >= len)
		return tbx_err(ENAMETOOLONG, "detect: %s: \"%s\" is longer than %zu", what, key,
			       len - 1);
	snprintf(out, len, "%s", json_string_value(v));
	return 0;
}

static int get_fraction(json_t *o, const char *key, double dflt, double *out)
{
	json_t *v = json_object_get(o, key);

	*out = dflt;
	if (!v)
		return 0;
	if (!json_is_number(v) || !isfinite(json_number_value(v)))
		return tbx_err(EINVAL, "detect: \"%s\" must be a number", key);
	*out = json_number_value(v);
	return 0;
}

static int load_curve(const char *file, struct tbx_curve *c, uint64_t *start,
		      bool *has_uuid, uint64_t *uuid)
{
	struct tbx_profile p;
	int err = tbx_profile_load(file, &p);

	if (err)
		return err;
	err = tbx_profile_curve(&p, file, c);
	*start = tbx_profile_phase0_mono(&p);
	*has_uuid = p.has_uuid;
	*uuid = p.uuid;
	tbx_profile_free(&p);
	return err;
}

static int add_sender(struct detector *t, json_t *o, unsigned int i)
{
	static const char *const keys[] = { "name", "addr", "profile", "label" };
	struct sender *s = &t->s[t->n];
	struct tbx_detect_addr a;
	char what[48];
	int err;

	snprintf(what, sizeof(what), "senders[%u]", i);
	if (!json_is_object(o))
		return tbx_err(EINVAL, "detect: %s must be an object", what);
	err = check_keys(o, what, keys, 4) ?:
	      get_string(o, what, "name", true, s->name, sizeof(s->name)) ?:
	      get_string(o, what, "addr", true, s->addr, sizeof(s->addr)) ?:
	      get_string(o, what, "profile", true, s->profile, sizeof(s->profile)) ?:
	      get_string(o, what, "label", false, s->label, sizeof(s->label));
	if (err)
		return err;
	if (s->label[0] && strcmp(s->label, "attack") && strcmp(s->label, "good"))
		return tbx_err(EINVAL, "detect: %s: label \"%s\" is not attack or good", what,
			       s->label);
	for (unsigned int j = 0; j < t->n; j++)
		if (!strcmp(t->s[j].name, s->name))
			return tbx_err(EINVAL, "detect: sender \"%s\" is named twice", s->name);
	if (tbx_detect_addr_parse(s->addr, &a))
		return tbx_err(EINVAL, "detect: %s: \"%s\" is not an IPv4 or IPv6 address",
			       what, s->addr);
	err = load_curve(s->profile, &s->curve, &s->start_ns, &s->has_uuid, &s->uuid);
	if (err)
		return err;
	if (t->pushback_dev[0] && !s->has_uuid)
		return tbx_err(EINVAL, "detect: sender \"%s\": %s has no \"# uuid\", the name "
			       "push-back stops it by", s->name, s->profile);
	for (unsigned int j = 0; j < t->n; j++)
		if (!memcmp(&t->s[j].a, &a, sizeof(a)))
			return tbx_err(EINVAL, "detect: sender \"%s\": address %s is another "
				       "sender's", s->name, s->addr);
	s->a = a;
	s->slot = t->n + 1;
	t->n++;
	return 0;
}

/* Everything but the senders, which need the loaded program. */
static int parse_receiver(json_t *spec, struct detector *t, struct tbx_detect_spec *ds,
			  struct tbx_profile *p)
{
	static const char *const keys[] = { "name", "dev", "capacity", "profile", "high",
					    "low", "port", "pushback", "senders" };
	json_t *v;
	int err;

	if (!json_is_object(spec))
		return tbx_err(EINVAL, "detect: a JSON object is expected");
	err = check_keys(spec, "detector", keys, 9) ?:
	      get_string(spec, "detector", "name", true, t->name, sizeof(t->name)) ?:
	      get_string(spec, "detector", "dev", true, t->dev, sizeof(t->dev)) ?:
	      get_string(spec, "detector", "profile", true, t->profile, sizeof(t->profile)) ?:
	      get_fraction(spec, "high", 0.90, &t->high) ?:
	      get_fraction(spec, "low", 0.75, &t->low);
	if (err)
		return err;
	v = json_object_get(spec, "capacity");
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return tbx_err(EINVAL, "detect: \"capacity\" (bits) must be a positive integer");
	ds->capacity_bits = json_integer_value(v);
	v = json_object_get(spec, "port");
	if (v && (!json_is_integer(v) || json_integer_value(v) < 0 ||
		  json_integer_value(v) > 65535))
		return tbx_err(EINVAL, "detect: \"port\" must be an integer in 0..65535");
	ds->port = v ? json_integer_value(v) : 0;
	v = json_object_get(spec, "pushback");
	if (!v || json_is_true(v))
		snprintf(t->pushback_dev, sizeof(t->pushback_dev), "%s", t->dev);
	else if (json_is_string(v))
		err = get_string(spec, "detector", "pushback", true, t->pushback_dev,
				 sizeof(t->pushback_dev));
	else if (!json_is_false(v))
		err = tbx_err(EINVAL, "detect: \"pushback\" must be a device or false");
	if (err)
		return err;
	v = json_object_get(spec, "senders");
	if (!json_is_array(v) || !json_array_size(v) ||
	    json_array_size(v) > TBX_DETECT_SENDERS_MAX - 1)
		return tbx_err(EINVAL, "detect: \"senders\" must be an array of 1 to %d senders",
			       TBX_DETECT_SENDERS_MAX - 1);
	err = tbx_profile_load(t->profile, p);
	if (err)
		return err;
	ds->name = t->name;
	ds->dev = t->dev;
	ds->high = t->high;
	ds->low = t->low;
	ds->profile = p;
	ds->profile_name = t->profile;
	return 0;
}

int tbxd_detector_add(struct tbxd_detectors *ds, json_t *spec, json_t **reply)
{
	struct tbx_detect_spec bs = { 0 };
	struct tbx_profile p = { 0 };
	struct detector *t;
	char why[512];
	size_t i;
	json_t *v;
	int err;

	t = calloc(1, sizeof(*t));
	if (!t)
		return tbx_err(ENOMEM, "out of memory");
	t->ds = ds;
	t->pb_fd = t->events_fd = -1;
	err = parse_receiver(spec, t, &bs, &p);
	if (err)
		goto fail;
	for (struct detector *o = ds->list; o; o = o->next)
		if (!strcmp(o->name, t->name)) {
			err = tbx_err(EEXIST, "detect: \"%s\" exists", t->name);
			goto fail;
		}
	if (t->pushback_dev[0] && (err = tbx_pushback_socket(t->pushback_dev, &t->pb_fd)))
		goto fail;
	t->series = calloc(SERIES_MAX, sizeof(*t->series));
	if (!t->series) {
		err = tbx_err(ENOMEM, "out of memory");
		goto fail;
	}
	/* Everything checked before the program is loaded (slow on a debug
	 * kernel) and anything attached.
	 */
	json_array_foreach(json_object_get(spec, "senders"), i, v)
		if ((err = add_sender(t, v, i)))
			goto fail;
	err = tbx_detect_open(&bs, &t->bpf);
	if (err)
		goto fail;
	for (unsigned int j = 0; j < t->n; j++)
		if ((err = tbx_detect_set_sender(t->bpf, t->s[j].slot, &t->s[j].a)))
			goto fail;
	t->events_fd = tbx_detect_events_fd(t->bpf);
	err = tbxd_loop_add_fd(ds->d->loop, t->events_fd, POLLIN, on_events, t);
	if (err) {
		t->events_fd = -1;
		goto fail;
	}
	err = tbxd_timer_new(ds->d->loop, on_tick, t, &t->tick) ?:
	      tbxd_timer_arm(t->tick, TICK_NS, TICK_NS, 0);
	if (err)
		goto fail;
	t->created_ns = now_ns();
	tbx_profile_free(&p);
	t->next = ds->list;
	ds->list = t;
	tbxd_log("detect %s: on %s, capacity %llu bits, watermarks %.2f/%.2f, %u senders, "
		 "push-back %s", t->name, t->dev, (unsigned long long)bs.capacity_bits,
		 t->high, t->low, t->n, t->pushback_dev[0] ? t->pushback_dev : "off");
	*reply = tbxd_detector_json(ds, t->name, false);
	return 0;
fail:
	/* Taking it apart may say things of its own: keep what went wrong. */
	snprintf(why, sizeof(why), "%s", tbx_errmsg());
	tbx_profile_free(&p);
	detector_free(t);
	return tbx_err(err, "%s", why);
}

int tbxd_detector_del(struct tbxd_detectors *ds, const char *name)
{
	for (struct detector **pp = &ds->list; *pp; pp = &(*pp)->next) {
		struct detector *t = *pp;

		if (strcmp(t->name, name))
			continue;
		unlimit(t);	/* nobody stays stopped by a detector that is gone */
		*pp = t->next;
		detector_free(t);
		tbxd_log("detect %s: removed", name);
		return 0;
	}
	return tbx_err(ENOENT, "detect: no detector \"%s\"", name);
}

/* --- JSON (detector_json.c) ------------------------------------------------ */

json_t *tbxd_detector_json(struct tbxd_detectors *ds, const char *name, bool series)
{
	for (struct detector *t = ds->list; t; t = t->next)
		if (!strcmp(t->name, name))
			return tbxd_detector_state_json(t, series);
	return NULL;
}

json_t *tbxd_detectors_json(struct tbxd_detectors *ds)
{
	json_t *a = json_array();

	for (struct detector *t = ds->list; t; t = t->next)
		json_array_append_new(a, tbxd_detector_state_json(t, false));
	return json_pack("{s:o}", "detectors", a);
}

/* --- tbxd ------------------------------------------------------------------ */

int tbxd_detectors_start(struct tbxd *d, struct tbxd_detectors **out)
{
	struct tbxd_detectors *ds = calloc(1, sizeof(*ds));
	int err;

	if (!ds)
		return tbx_err(ENOMEM, "out of memory");
	ds->d = d;
	ds->k.key = ds->key;
	/* Outgoing messages are signed with the key incoming ones need. */
	if (d->cfg->pushback_key) {
		err = tbx_pushback_key_load(d->cfg->pushback_key, ds->key, sizeof(ds->key),
					    &ds->k.len);
		if (err) {
			free(ds);
			return err;
		}
	}
	*out = ds;
	return 0;
}

void tbxd_detectors_stop(struct tbxd_detectors *ds)
{
	if (!ds)
		return;
	while (ds->list)
		tbxd_detector_del(ds, ds->list->name);
	free(ds);
}
