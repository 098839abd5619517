/*
 * jsonfile.c — a small JSON file read whole, for the commands that look at
 * a file's shape before (or instead of) reading it as a scenario: `run`
 * telling a sweep file apart, `validate --list-paths`.
 */
#include <cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

cJSON *sim_cli_load_json(const char *path, size_t max, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = malloc(max + 1);
    if (!buf) {
        fclose(f);
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    size_t n = fread(buf, 1, max + 1, f);
    int bad = ferror(f);
    fclose(f);
    cJSON *j = NULL;
    if (bad)
        snprintf(err, errlen, "%s: cannot read it", path);
    else if (n > max)
        snprintf(err, errlen, "%s: expected at most %zu bytes, found more", path, max);
    else if (!(j = cJSON_ParseWithLength(buf, n)))
        snprintf(err, errlen, "%s: expected JSON (see 'edgesim validate %s')", path, path);
    free(buf);
    return j;
}
