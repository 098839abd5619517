/*
 * ids.h — how core names things: string ids for people, dense indices for
 * machines.
 *
 * Every entity a person writes down (a node, a function, a region, a
 * capability) has a string id: 1 to EDGE_ID_MAX bytes, compared byte for
 * byte (case matters). The tables that hold entities also hand out a dense
 * uint32_t index, so a simulator driving a million invocations a second can
 * keep its own per-node and per-function arrays and call the `_idx` variants
 * of the hot calls without hashing a string each time. EDGE_NONE is "no such
 * index" wherever an index is returned.
 */
#ifndef EDGE_IDS_H
#define EDGE_IDS_H

#include <stdint.h>

/* Longest id, region or capability name, in bytes without the NUL. Ids end up
 * in CSV cells, file names and fixed-size error structs (edge_exec_error
 * keeps a copy), so they are bounded. */
#define EDGE_ID_MAX 255

/* "No index": returned where an index is asked for and there is none. */
#define EDGE_NONE UINT32_MAX

#endif
