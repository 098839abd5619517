"""The C side: libedgesim.so loaded with ctypes, and its structs.

Mirrors sim/api/edgesim.h (EDGESIM_API_VERSION 3) and the request of
core/edge_policy_plugin.h. The library is found, in order, at $EDGESIM_LIB,
beside this file (an installed package), or at build/libedgesim.so of the
source tree this package sits in.
"""
import ctypes
import os

API_VERSION = 3
ALLOW_PLUGINS = 0x1  # EDGESIM_ALLOW_PLUGINS
SANDBOX_PATHS = 0x2  # EDGESIM_SANDBOX_PATHS


class Candidate_(ctypes.Structure):
    _fields_ = [("node", ctypes.c_uint32), ("in_flight", ctypes.c_uint32),
                ("idle_warm", ctypes.c_uint32), ("region", ctypes.c_uint32),
                ("latency_ns", ctypes.c_int64)]


class Request_(ctypes.Structure):
    _fields_ = [("function", ctypes.c_uint32), ("client_region", ctypes.c_uint32),
                ("now", ctypes.c_int64), ("candidates", ctypes.POINTER(Candidate_)),
                ("ncandidates", ctypes.c_size_t),
                ("uniform", ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_void_p)),
                ("rng", ctypes.c_void_p)]


ROUTER = ctypes.CFUNCTYPE(ctypes.c_long, ctypes.c_void_p, ctypes.POINTER(Request_))


class Error_(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("file", ctypes.c_char * 512),
                ("line", ctypes.c_int), ("col", ctypes.c_int),
                ("path", ctypes.c_char * 256), ("message", ctypes.c_char * 512),
                ("count", ctypes.c_uint), ("text", ctypes.c_char * 4096)]


class Options_(ctypes.Structure):
    _fields_ = [("outdir", ctypes.c_char_p), ("sets", ctypes.POINTER(ctypes.c_char_p)),
                ("nsets", ctypes.c_size_t), ("has_seed", ctypes.c_int),
                ("seed", ctypes.c_uint64), ("write_invocations", ctypes.c_int),
                ("router", ROUTER), ("router_ctx", ctypes.c_void_p),
                ("router_name", ctypes.c_char_p)]


class Limits_(ctypes.Structure):
    _fields_ = [("max_events", ctypes.c_uint64), ("max_memory", ctypes.c_uint64),
                ("max_output", ctypes.c_uint64)]


DEFAULT_MAX_EVENTS = 2000000000  # EDGESIM_DEFAULT_MAX_EVENTS
DEFAULT_MAX_MEMORY = 8 << 30     # EDGESIM_DEFAULT_MAX_MEMORY
DEFAULT_MAX_OUTPUT = 4 << 30     # EDGESIM_DEFAULT_MAX_OUTPUT


class Node_(ctypes.Structure):
    _fields_ = [("id", ctypes.c_char_p), ("region", ctypes.c_char_p),
                ("status", ctypes.c_char_p), ("up", ctypes.c_int),
                ("registered", ctypes.c_int), ("healthy", ctypes.c_int),
                ("busy", ctypes.c_uint32), ("queued", ctypes.c_uint32),
                ("warm_instances", ctypes.c_uint32), ("memory_used_mb", ctypes.c_double),
                ("invocations", ctypes.c_uint64), ("ok", ctypes.c_uint64),
                ("latency_sum_ms", ctypes.c_double)]


class Function_(ctypes.Structure):
    _fields_ = [("id", ctypes.c_char_p), ("deployed", ctypes.c_uint32),
                ("ok", ctypes.c_uint64), ("failed", ctypes.c_uint64),
                ("rejected", ctypes.c_uint64), ("cold_starts", ctypes.c_uint64),
                ("p50_ms", ctypes.c_double), ("p99_ms", ctypes.c_double),
                ("latency_sum_ms", ctypes.c_double)]


CODES = {0: "ok", 1: "scenario", 2: "run", 3: "usage", 4: "nomem"}
SCENARIO, RUN, USAGE, NOMEM = 1, 2, 3, 4


def _candidates():
    env = os.environ.get("EDGESIM_LIB")
    if env:
        yield env
        return
    here = os.path.dirname(os.path.abspath(__file__))
    yield os.path.join(here, "libedgesim.so")
    yield os.path.join(os.path.dirname(os.path.dirname(here)), "build", "libedgesim.so")


_lib = None


def lib():
    """The loaded library (loaded on first use: `import edgesim` never fails
    for a missing library; the first call says where it looked)."""
    global _lib
    if _lib is not None:
        return _lib
    tried = []
    for path in _candidates():
        tried.append(path)
        if os.path.exists(path):
            break
    else:
        raise ImportError("edgesim: libedgesim.so not found (looked at %s); run `make python` "
                          "in the source tree or set EDGESIM_LIB" % ", ".join(tried))
    L = ctypes.CDLL(path)
    L.edgesim_api_version.restype = ctypes.c_int
    if L.edgesim_api_version() != API_VERSION:
        raise ImportError("edgesim: %s has API version %d, this package speaks %d"
                          % (path, L.edgesim_api_version(), API_VERSION))
    P, E = ctypes.c_void_p, ctypes.POINTER(Error_)
    sig = {
        "edgesim_version": (ctypes.c_char_p, []),
        "edgesim_open": (P, [ctypes.c_char_p, ctypes.POINTER(Options_), E]),
        "edgesim_open_text": (P, [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p,
                                  ctypes.POINTER(Options_), E]),
        "edgesim_open2": (P, [ctypes.c_char_p, ctypes.POINTER(Options_), ctypes.c_uint, E]),
        "edgesim_open_text2": (P, [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p,
                                   ctypes.POINTER(Options_), ctypes.c_uint, E]),
        "edgesim_open3": (P, [ctypes.c_char_p, ctypes.POINTER(Options_), ctypes.c_uint,
                              ctypes.POINTER(Limits_), E]),
        "edgesim_open_text3": (P, [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p,
                                   ctypes.POINTER(Options_), ctypes.c_uint,
                                   ctypes.POINTER(Limits_), E]),
        "edgesim_now_ns": (ctypes.c_int64, [P]),
        "edgesim_end_ns": (ctypes.c_int64, [P]),
        "edgesim_run_until": (ctypes.c_int, [P, ctypes.c_int64, E]),
        "edgesim_step": (ctypes.c_int, [P, E]),
        "edgesim_node_count": (ctypes.c_size_t, [P]),
        "edgesim_function_count": (ctypes.c_size_t, [P]),
        "edgesim_get_node": (ctypes.c_int, [P, ctypes.c_size_t, ctypes.POINTER(Node_), E]),
        "edgesim_get_function": (ctypes.c_int, [P, ctypes.c_size_t,
                                                ctypes.POINTER(Function_), E]),
        "edgesim_inject": (ctypes.c_int, [P, ctypes.c_char_p, E]),
        "edgesim_finish": (ctypes.c_int, [P, E]),
        "edgesim_finished": (ctypes.c_int, [P]),
        "edgesim_fingerprint": (None, [P, ctypes.c_char_p]),
        "edgesim_events": (ctypes.c_uint64, [P]),
        "edgesim_invocations": (ctypes.c_uint64, [P]),
        "edgesim_outdir": (ctypes.c_char_p, [P]),
        "edgesim_plot": (ctypes.c_int, [ctypes.c_char_p, E]),
        "edgesim_free": (None, [P]),
    }
    for name, (res, args) in sig.items():
        f = getattr(L, name)
        f.restype = res
        f.argtypes = args
    _lib = L
    return L
