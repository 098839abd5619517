/*
 * jsonget.h — reading values out of a run's summary.json by dotted path
 * ("latency_s.p99", "health.detection_latency_s.mean"), shared by compare,
 * sweep and the plots so they agree on what a path means.
 */
#ifndef SIM_JSONGET_H
#define SIM_JSONGET_H

#include <cJSON.h>

/* The value at dotted path under o (borrowed from o), or NULL when any part
 * is missing, is not an object, or is longer than 127 characters. */
const cJSON *sim_json_get(const cJSON *o, const char *dotted);

/* The finite number at dotted path, or NaN when it is absent or not one. */
double sim_json_number(const cJSON *o, const char *dotted);

#endif
