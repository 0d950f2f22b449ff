/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tbxd's receivers: a buffer in the datapath (user/lib/detect.c) and
 * CBSAT's decisions on it. Every 10 ms, and at once when the datapath
 * reports the buffer above its high watermark, the buffer's occupancy is
 * worked out at now: above high, every sender whose arrivals over the
 * last second exceed what its profile allowed over the same time is an
 * offender and is told to stop on the push-back channel; below low, every
 * sender stopped is told to resume. The buffer's series is kept per
 * 100 ms interval; senders may carry a label ("attack", "good") so that
 * the detector scores itself against the ground truth.
 *
 * Detectors live as long as tbxd (not in its database): a stop takes
 * them away with their pins and filters.
 */
#ifndef TBXD_DETECTOR_H
#define TBXD_DETECTOR_H

#include <jansson.h>

struct tbxd;
struct tbxd_detectors;

int tbxd_detectors_start(struct tbxd *d, struct tbxd_detectors **out);
void tbxd_detectors_stop(struct tbxd_detectors *ds);

/*
 * Creates a detector from the API's JSON (api_detect.c documents it);
 * 0 and its JSON in *reply, or a negative errno with tbx_errmsg() set
 * and nothing left behind.
 */
int tbxd_detector_add(struct tbxd_detectors *ds, json_t *spec, json_t **reply);
int tbxd_detector_del(struct tbxd_detectors *ds, const char *name);
/* NULL when there is no such detector. @series adds the intervals. */
json_t *tbxd_detector_json(struct tbxd_detectors *ds, const char *name, bool series);
json_t *tbxd_detectors_json(struct tbxd_detectors *ds);

#endif
