/*
 * autoscaler.h — the decision rules of replica autoscalers, per function.
 *
 * Two control loops of the platforms edge and serverless researchers study:
 *
 *   concurrency (Knative's KPA): every tick the caller reports the mean
 *     concurrency (requests in flight) of the last tick. The desired count
 *     is ceil(average / target) over the stable window (default 60 s), or
 *     over the panic window (default 6 s) in panic mode, which starts when
 *     the panic window's desired count reaches panic_threshold x the ready
 *     replicas and ends after a stable window without that; in panic the
 *     count never goes down. Zero replicas only after scale_to_zero_grace
 *     without any concurrency. Clamped to [min_scale, max_scale].
 *
 *   utilization (Kubernetes' HPA): every sync period the caller reports the
 *     mean busy slots of the function over the period; utilisation is that
 *     over ready x cpu_request, and the recommendation is
 *     ceil(ready x utilisation / target) unless the ratio utilisation /
 *     target is within 1 +- tolerance (then ready). A scale-down takes the
 *     highest recommendation of the stabilisation window (default 5 min); a
 *     scale-up applies at once. Clamped to [min_scale, max_scale].
 *
 * Platform logic only: no clock ("now" is an argument), no randomness, no
 * I/O; the simulator (sim/model/autoscaler.c) measures, deploys and
 * undeploys. Memory per function: one observation per tick of the longest
 * window, allocated at creation. Each decision is O(window / tick).
 */
#ifndef EDGE_AUTOSCALER_H
#define EDGE_AUTOSCALER_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "time.h"

typedef enum {
    EDGE_AUTOSCALER_NONE,        /* instances per request and keep-alive only */
    EDGE_AUTOSCALER_CONCURRENCY, /* Knative-like */
    EDGE_AUTOSCALER_UTILIZATION, /* HPA-like */
} edge_autoscaler_type;

/* Observations a window may hold: window / tick, at most this (a 1 h window
 * at a 1 s tick); a larger ratio is a configuration error. */
#define EDGE_AUTOSCALER_MAX_TICKS 3600

typedef struct edge_autoscaler_config {
    edge_autoscaler_type type;
    double target;            /* concurrency per replica, > 0 (default 10); or the
                                 utilisation fraction in (0, 1] (default 0.7) */
    edge_time tick;           /* decision period: 2 s (concurrency); sync period 15 s */
    edge_time stable_window;  /* concurrency: 60 s; utilization: scale-down stabilisation 5 min */
    edge_time panic_window;   /* concurrency: 6 s */
    double panic_threshold;   /* concurrency: 2 */
    edge_time scale_to_zero_grace; /* concurrency: 30 s */
    double tolerance;         /* utilization: 0.1 */
    double cpu_request;       /* utilization: slots one replica stands for; 1 */
    uint32_t min_scale;       /* concurrency: 0; utilization: 1 */
    uint32_t max_scale;       /* default 100 */
} edge_autoscaler_config;

/* The documented defaults of a type. */
edge_autoscaler_config edge_autoscaler_config_default(edge_autoscaler_type type);

/* "none", "concurrency", "utilization" (static). */
const char *edge_autoscaler_type_name(edge_autoscaler_type type);

/* Checks cfg: EDGE_OK, or EDGE_INVAL with a one-line reason in why (may be
 * NULL) naming the field. */
edge_err edge_autoscaler_config_check(const edge_autoscaler_config *cfg, char *why,
                                      size_t whylen);

typedef struct edge_autoscaler edge_autoscaler;

/* A function's autoscaler, created at time now. Errors: EDGE_INVAL (a bad
 * config, as edge_autoscaler_config_check), EDGE_NOMEM. Caller frees with
 * edge_autoscaler_free. */
edge_err edge_autoscaler_new(const edge_autoscaler_config *cfg, edge_time now,
                             edge_autoscaler **out);

/* Frees a. NULL is fine. */
void edge_autoscaler_free(edge_autoscaler *a);

/* One decision at the end of a tick: observed is the tick's mean
 * concurrency (concurrency) or mean busy slots (utilization), >= 0; ready
 * the replicas serving now. Returns the desired replica count; *panic (may
 * be NULL) says whether the concurrency autoscaler is in panic mode. */
uint32_t edge_autoscaler_decide(edge_autoscaler *a, edge_time now, double observed,
                                uint32_t ready, int *panic);

#endif
