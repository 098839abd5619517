#include "error.h"

const char *edge_strerror(edge_err code)
{
    switch (code) {
#define EDGE__ERR_MSG(name, c, msg) case EDGE_##name: return msg;
    EDGE_ERRNO_MAP(EDGE__ERR_MSG)
#undef EDGE__ERR_MSG
    }
    return "unknown error";
}

const char *edge_errname(edge_err code)
{
    switch (code) {
#define EDGE__ERR_NAME(name, c, msg) case EDGE_##name: return #name;
    EDGE_ERRNO_MAP(EDGE__ERR_NAME)
#undef EDGE__ERR_NAME
    }
    return "UNKNOWN";
}
