#include "common/jsonget.h"

#include <math.h>
#include <string.h>

const cJSON *sim_json_get(const cJSON *o, const char *dotted)
{
    char key[128];
    while (o && *dotted) {
        const char *dot = strchr(dotted, '.');
        size_t n = dot ? (size_t)(dot - dotted) : strlen(dotted);
        if (n >= sizeof key)
            return NULL;
        memcpy(key, dotted, n);
        key[n] = '\0';
        o = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
        dotted += n + (dot ? 1 : 0);
    }
    return o;
}

double sim_json_number(const cJSON *o, const char *dotted)
{
    const cJSON *v = sim_json_get(o, dotted);
    return cJSON_IsNumber(v) && isfinite(v->valuedouble) ? v->valuedouble : NAN;
}
