/*
 * jsonfile.c — a small JSON file read whole, for the commands that look at
 * a file's shape before (or instead of) reading it as a scenario: `run`
 * telling a sweep file apart, `validate --list-paths`. The load is bounded
 * before a byte is read (common/loadfile.h): a directory, a device or a file
 * past the cap is refused in one line.
 */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "common/loadfile.h"

cJSON *sim_cli_load_json(const char *path, size_t max, char *err, size_t errlen)
{
    char *buf = NULL;
    size_t n = 0;
    if (sim_load_file(path, max, &buf, &n, err, errlen) != SIM_LOAD_OK)
        return NULL;
    cJSON *j = cJSON_ParseWithLength(buf, n);
    if (!j)
        snprintf(err, errlen, "%s: expected JSON (see 'edgesim validate %s')", path, path);
    free(buf);
    return j;
}
