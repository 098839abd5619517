#include "deployment.h"

edge_err edge_deployment_to_dict(const edge_deployment *d, cJSON **out)
{
    if (!d || !out || !d->function_id || !d->node_id)
        return EDGE_INVAL;
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "function_id", d->function_id) ||
        !cJSON_AddStringToObject(o, "node_id", d->node_id) ||
        !cJSON_AddNumberToObject(o, "deployed_at_ns", (double)d->deployed_at) ||
        !cJSON_AddNumberToObject(o, "deployed_at_s", edge_time_to_s(d->deployed_at)) ||
        !cJSON_AddNumberToObject(o, "invocations", (double)d->invocations)) {
        cJSON_Delete(o);
        return EDGE_NOMEM;
    }
    *out = o;
    return EDGE_OK;
}
