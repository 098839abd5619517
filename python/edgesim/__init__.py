"""edgesim from Python: run, observe, steer and extend the simulator.

The simulation runs in C (libedgesim.so, sim/api/edgesim.h) through ctypes;
Python drives it, reads it and, where asked, routes its invocations.

    import edgesim
    r = edgesim.run("scenarios/quickstart.json", seed=7, set={"duration": "5m"})
    r.summary["latency"]["p99_ms"], r.fingerprint, r.table("functions")

docs/python.md is the manual: run(), Result, Simulation (run_until, step,
nodes, functions, inject, finish), Python routing policies (scheduler=) and
the reinforcement-learning environment RoutingEnv.
"""
import collections
import collections.abc
import csv
import ctypes
import json
import math
import os
import re
import shutil
import tempfile
import weakref

from . import _lib
from ._lib import lib

__all__ = ["run", "Simulation", "Result", "Candidate", "ScenarioError", "SchedulerError",
           "RunError", "RoutingEnv", "version", "parse_duration"]

#: Tables come back as pandas DataFrames when this is true and pandas is
#: importable, as lists of dicts otherwise. pandas (and numpy) are imported on
#: first use, never by `import edgesim`: numpy loads libquadmath, whose
#: printf extension sends every printf of the process through glibc's slow
#: path, and a run writes its CSV outputs with printf (docs/python.md, "Speed").
use_pandas = True
_pd_module = None


def _pd():
    """pandas, or None when it is off or missing."""
    global _pd_module
    if not use_pandas:
        return None
    if _pd_module is None:
        try:
            import pandas
            _pd_module = pandas
        except ImportError:  # pragma: no cover - depends on the machine
            _pd_module = False
    return _pd_module or None


class EdgesimError(Exception):
    """Base of edgesim's errors."""


class ScenarioError(EdgesimError, ValueError):
    """A scenario (or an injected fault, or an override) is invalid.

    str() is the CLI's report (one line per problem: FILE:LINE:COL: PATH:
    expected X, found Y); the first problem's parts are attributes: file,
    line, column (0 when unknown), path (the JSON path), message; count is
    the number of problems and lines the report's lines."""

    def __init__(self, text, file="", line=0, column=0, path="", message="", count=1):
        super().__init__(text)
        self.file, self.line, self.column = file, line, column
        self.path, self.message, self.count = path, message, count
        self.lines = text.splitlines()


class RunError(EdgesimError, RuntimeError):
    """The run failed (e.g. out of memory, an unreadable trace) or the call
    does not fit the simulation's state (finished, a time in the past)."""


class SchedulerError(RunError):
    """A Python routing policy raised or answered something other than a
    candidate index or None; the run is over. Names the function and the
    answer; the callback's own exception, if any, is __cause__."""


Candidate = collections.namedtuple(
    "Candidate", "node region in_flight idle_warm latency node_index")
Candidate.__doc__ = """One node a routing decision may pick (the plugin ABI's candidate):
node id, region id, invocations in flight there (running or queued), idle warm
instances of the function there, network latency from the client's region
(seconds), and the node's index in the scenario."""


def version():
    """The library's version string."""
    return lib().edgesim_version().decode()


_UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(t):
    """Seconds from a number (seconds) or a duration string as the scenario
    format writes them ("250ms", "10m", "1h30m")."""
    if isinstance(t, bool):
        raise TypeError("expected a time in seconds or a duration such as '10m', found %r" % t)
    if isinstance(t, (int, float)):
        return float(t)
    hint = ""
    if isinstance(t, str):
        parts = re.findall(r"(\d+(?:\.\d+)?)(ns|us|ms|s|m|h|d)", t.replace(" ", ""))
        if parts and "".join(a + b for a, b in parts) == t.replace(" ", ""):
            return sum(float(a) * _UNITS[b] for a, b in parts)
        # a unit as people write it ("1 min", "30sec", "2 hours"): the form meant
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z\u00b5]+)\s*", t)
        unit = m and _UNIT_WORDS.get(m.group(2).lower())
        if unit:
            hint = " (did you mean '%s%s'?)" % (m.group(1), unit)
    raise ValueError("expected a time in seconds or a duration such as '10m', found %r%s"
                     % (t, hint))


# Unit words and the duration unit they mean, as the scenario reader's hints
# (sim/common/unithint.c).
_UNIT_WORDS = {w: u for u, ws in (
    ("ns", ("nsec", "nsecs", "nanosecond", "nanoseconds")),
    ("us", ("usec", "usecs", "\u00b5s", "microsecond", "microseconds")),
    ("ms", ("msec", "msecs", "millisecond", "milliseconds")),
    ("s", ("sec", "secs", "second", "seconds")),
    ("m", ("min", "mins", "minute", "minutes")),
    ("h", ("hr", "hrs", "hour", "hours")),
    ("d", ("day", "days"))) for w in ws}


_INT64_MAX = 2**63 - 1
_SEED_MAX = 2**53 - 1  # as `edgesim run --seed`: every seed is exact in JSON


def _ns(t):
    """Nanoseconds of t (see parse_duration) for the C side's int64 clock: a
    time past its range is clamped to it (the run stops at its end anyway),
    NaN is refused."""
    s = parse_duration(t)
    if math.isnan(s):
        raise ValueError("expected a time in seconds or a duration such as '10m', found nan")
    ns = s * 1e9
    if ns >= _INT64_MAX:
        return _INT64_MAX
    if ns <= -_INT64_MAX:
        return -_INT64_MAX
    return int(round(ns))


def _cstr(value, what):
    """value (str or os.PathLike, or bytes) as the bytes of a C string;
    ValueError when it holds a NUL, which C would silently cut at."""
    if not isinstance(value, (str, bytes, os.PathLike)):
        raise TypeError("%s: expected %s, found %s %r"
                        % (what, "a path or a dict" if what == "scenario" else "text or a path",
                           type(value).__name__, value))
    b = os.fsencode(value) if not isinstance(value, bytes) else value
    if b"\0" in b:
        raise ValueError("%s: expected text without NUL characters, found %r" % (what, value))
    return b


# A long run_until or finish runs in this many pieces of virtual time (see
# Simulation._run_to).
_PIECES = 64


def _raise(err, callback_error=None):
    """The exception of a filled edgesim_error."""
    text = err.text.decode(errors="replace")
    if callback_error is not None:
        raise callback_error
    if err.code == _lib.SCENARIO:
        file, line, col = err.file.decode(errors="replace"), err.line, err.col
        if file == "<dict>":
            # a line and column of the text json.dumps made, which the caller
            # never saw: the JSON path says where
            text = re.sub(r"(?m)^<dict>:\d+:\d+: ", "<dict>: ", text)
            line = col = 0
        raise ScenarioError(text, file, line, col, err.path.decode(errors="replace"),
                            err.message.decode(errors="replace"), err.count)
    if err.code == _lib.USAGE:
        raise RunError(text)
    raise RunError(text)


def _unjsonable(value, path):
    """The first part of value that JSON cannot hold, as (its JSON path under
    `path`, the part, why: "number", "key" or "type"); None when none is."""
    if isinstance(value, float) and not math.isfinite(value):
        return path, value, "number"
    if value is None or isinstance(value, (str, int, float, bool)):
        return None
    if isinstance(value, collections.abc.Mapping):
        for k, v in value.items():
            if not isinstance(k, str):
                return path, k, "key"
            found = _unjsonable(v, "%s.%s" % (path, k) if path else k)
            if found:
                return found
        return None
    if isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            found = _unjsonable(v, "%s[%d]" % (path, i))
            if found:
                return found
        return None
    return path, value, "type"


def _json_text(value, what):
    """value (a dict, list, number, ...) as JSON text. NaN, infinity, a key
    that is not a string and a value of another type (a set, an object) are
    refused, naming where they are: json.dumps would write NaN (not JSON),
    turn a key 1 into "1", or say only which type it could not write."""
    found = _unjsonable(value, "")
    if not found:
        return json.dumps(value)
    path, bad, why = found
    where = "%s: %s" % (what, path) if path else what
    if why == "number":
        raise ValueError("%s: expected a number JSON can hold, found %r (JSON has no NaN or "
                         "infinity)" % (where, bad))
    if why == "key":
        raise TypeError("%s: expected keys that are strings, found the key %r" % (where, bad))
    raise TypeError("%s: expected a JSON value (a dict, list, str, number, bool or None), "
                    "found %s %r" % (where, type(bad).__name__, bad))


def _set_items(set, seed, warmup):
    """--set strings from a dict PATH -> value: a str is passed as the CLI
    takes it (JSON text, else a bare string), anything else as JSON."""
    items = []
    if set is not None and not isinstance(set, collections.abc.Mapping):
        raise TypeError("set: expected a dict of PATH -> value, found %r" % (set,))
    for path, value in (set or {}).items():
        text = value if isinstance(value, str) else _json_text(value, "set: %s" % (path,))
        items.append("%s=%s" % (path, text))
    if warmup is not None:
        items.append("warmup=%s" % (warmup if isinstance(warmup, str)
                                    else _json_text(warmup, "warmup")))
    return items


#: The columns of the CSV outputs (docs/outputs.md) whose values are ids or
#: words, kept as the text they are: a node "01" is not the number 1, a region
#: "NA" (pandas' default reading) or a function "null" not a missing value, a
#: fingerprint "12345678e0123456" not a float.
TEXT_COLUMNS = frozenset({
    "function", "node", "region", "app", "link", "class", "status", "from", "to", "reason",
    "kind", "target", "strategy", "result", "outcome", "scope", "workflow", "step",
    "fingerprint"})


def _convert(v):
    if v == "":
        return None
    try:
        return int(v)
    except ValueError:
        pass
    try:
        return float(v)
    except ValueError:
        return v


def _read_table(path):
    """A CSV output: empty cells are missing values (NaN, or None without
    pandas), TEXT_COLUMNS stay text, the other cells are numbers."""
    pd = _pd()
    if pd is not None:
        return pd.read_csv(path, dtype={c: str for c in TEXT_COLUMNS}, keep_default_na=False,
                           na_values=[""])
    with open(path, newline="") as f:
        return [{k: (v if k in TEXT_COLUMNS and v != "" else _convert(v)) for k, v in row.items()}
                for row in csv.DictReader(f)]


class Result:
    """A finished run: its outputs folder (docs/outputs.md) read on demand.

    summary      the dict of summary.json
    fingerprint  the trajectory fingerprint (16 hex digits, as the CLI's)
    outdir       the folder; a temporary one (when run() had no outdir) is
                 removed when the Result is garbage-collected
    table(name)  a CSV output by name: "timeseries", "node_series", "nodes",
                 "functions", "health", "placements", "latency", "faults",
                 "invocations" (with invocations=True): a pandas DataFrame
                 when pandas is importable, else a list of dicts
    tables()     the names present
    """

    def __init__(self, outdir, fingerprint, events=0, invocations=0, tmp=None):
        self.outdir = outdir
        self.fingerprint = fingerprint
        self.events = events
        self.invocations = invocations
        self._summary = None
        if tmp:
            self._cleanup = weakref.finalize(self, shutil.rmtree, tmp, True)

    @property
    def summary(self):
        if self._summary is None:
            with open(os.path.join(self.outdir, "summary.json")) as f:
                self._summary = json.load(f)
        return self._summary

    def tables(self):
        return sorted(n[:-4] for n in os.listdir(self.outdir) if n.endswith(".csv"))

    def table(self, name):
        path = os.path.join(self.outdir, name + ".csv")
        if not os.path.exists(path):
            raise KeyError("no table %r in %s (there are: %s)"
                           % (name, self.outdir, ", ".join(self.tables())))
        return _read_table(path)

    def plot(self):
        """Draws plots/ and report.html into outdir (needs gnuplot), as
        `edgesim plot DIR`."""
        err = _lib.Error_()
        if lib().edgesim_plot(_cstr(self.outdir, "outdir"), err) != 0:
            _raise(err)

    def __repr__(self):
        return "Result(outdir=%r, fingerprint=%r)" % (self.outdir, self.fingerprint)


def _records(rows):
    pd = _pd()
    return pd.DataFrame(rows) if pd is not None else rows


class Simulation:
    """One simulation, driven step by step.

    Simulation(scenario, seed=None, set=None, scheduler=None, outdir=None,
               invocations=False, allow_plugins=False, sandbox_paths=False,
               max_events=None, max_memory=None, max_output=None)

    scenario   a path, or a dict (the scenario as JSON; relative paths in it
               are taken from the current folder)
    seed       replaces the scenario's seed (as --seed)
    set        {PATH: value} overrides, as --set PATH=VALUE
    scheduler  a routing policy in Python: scheduler(function_id, candidates,
               now) -> an index into candidates, or None (the invocation is
               refused: no_eligible_node); candidates is a list of Candidate,
               now the virtual time in seconds. Replaces the scenario's policy.
               Or a built-in policy's name ("round_robin"): policies.scheduler,
               applied after set.
    outdir     where finish() writes the outputs; None: a temporary folder
    allow_plugins  load a plugin (.so) the scenario names: native code that
               runs inside this process with its privileges (docs/plugins.md,
               "Trust"); without it such a scenario raises ScenarioError
    sandbox_paths  refuse absolute data paths and ".." in them (for scenarios
               written by others; docs/scenario.md, "Paths")
    max_events, max_memory, max_output
               what the run may cost, estimated from the scenario before it
               is built (docs/scenario.md, "Limits"; as `edgesim run
               --max-events N --max-memory SIZE --max-output SIZE`): events,
               bytes, bytes. None: the default (2e9 events, 8 GiB, 4 GiB);
               0: no limit. A scenario past one raises ScenarioError naming
               the field that costs most.

    The clock starts at 0 with nothing run. run_until(t) and step() advance
    it; nodes() and functions() read the state; inject(fault) applies a
    fault or operation at now; finish() runs the rest and returns a Result.
    However it was advanced, a finished simulation has the fingerprint and
    outputs of one run() of the same scenario and seed.
    """

    def __init__(self, scenario, seed=None, set=None, scheduler=None, outdir=None,
                 invocations=False, warmup=None, allow_plugins=False, sandbox_paths=False,
                 max_events=None, max_memory=None, max_output=None):
        L = lib()
        # the dict as JSON first: nothing is made yet when it cannot be
        text = _json_text(scenario, "scenario").encode() if isinstance(scenario, dict) else None
        limits = _lib.Limits_()
        for name, value, default in (("max_events", max_events, _lib.DEFAULT_MAX_EVENTS),
                                     ("max_memory", max_memory, _lib.DEFAULT_MAX_MEMORY),
                                     ("max_output", max_output, _lib.DEFAULT_MAX_OUTPUT)):
            if value is None:
                value = default
            elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**64:
                raise ValueError("%s: expected a non-negative integer (0: no limit) or None, "
                                 "found %r" % (name, value))
            setattr(limits, name, value)
        self._h = None
        self._tmp = None
        builtin = None
        if isinstance(scheduler, str):  # a built-in policy by name, as policies.scheduler
            builtin, scheduler = scheduler, None
        self._scheduler = scheduler
        self._cb_error = None
        self._in_callback = False
        if outdir is None:
            self._tmp = tempfile.mkdtemp(prefix="edgesim-")
            outdir = self._tmp
        elif not isinstance(outdir, (str, bytes, os.PathLike)):
            raise TypeError("outdir: expected a folder (or None: a temporary one), found %s %r"
                            % (type(outdir).__name__, outdir))
        elif not os.fspath(outdir):
            raise ValueError("outdir: expected a folder (or None: a temporary one), found %r"
                             % (outdir,))
        self._cleanup = weakref.finalize(self, Simulation._release, L, [None], self._tmp)
        items = _set_items(set, None, warmup)
        if builtin is not None:  # after set: the argument names the policy
            items.append("policies.scheduler=%s" % json.dumps(builtin))
        sets = [_cstr(s, "set") for s in items]
        opt = _lib.Options_()
        opt.outdir = _cstr(outdir, "outdir")
        self._sets = (ctypes.c_char_p * max(len(sets), 1))(*sets)
        opt.sets = self._sets
        opt.nsets = len(sets)
        if seed is not None:
            if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= _SEED_MAX:
                raise ValueError("seed: expected a whole number from 0 to %d, found %r"
                                 % (_SEED_MAX, seed))
            opt.has_seed, opt.seed = 1, seed
        opt.write_invocations = 1 if invocations else 0
        if scheduler is not None:
            if not callable(scheduler):
                raise TypeError("scheduler: expected a callable (a routing policy in Python) or "
                                "the name of a built-in policy such as \"round_robin\", found %r"
                                % (scheduler,))
            self._router = _lib.ROUTER(self._route)  # kept alive as long as self
            opt.router = self._router
            name = getattr(scheduler, "__name__", None) or type(scheduler).__name__
            self._scheduler_name = name
            opt.router_name = _cstr("python:" + str(name), "scheduler name")
        flags = ((_lib.ALLOW_PLUGINS if allow_plugins else 0)
                 | (_lib.SANDBOX_PATHS if sandbox_paths else 0))
        err = _lib.Error_()
        if text is not None:
            h = L.edgesim_open_text3(text, len(text), b"<dict>", opt, flags, limits, err)
        else:
            h = L.edgesim_open3(_cstr(scenario, "scenario"), opt, flags, limits, err)
        if not h:
            self._cleanup()
            _raise(err)
        self._h = h
        self._cleanup.detach()
        self._cleanup = weakref.finalize(self, Simulation._release, L, [h], self._tmp)
        self._L = L
        self._outdir = str(outdir)
        self._node_ids, self._node_regions = [], []
        node = _lib.Node_()
        for i in range(L.edgesim_node_count(h)):
            L.edgesim_get_node(h, i, node, None)
            self._node_ids.append(node.id.decode())
            self._node_regions.append(node.region.decode())
        fn = _lib.Function_()
        self._fn_ids = []
        for i in range(L.edgesim_function_count(h)):
            L.edgesim_get_function(h, i, fn, None)
            self._fn_ids.append(fn.id.decode())
        self._result = None

    @staticmethod
    def _release(L, handle, tmp):
        if handle[0]:
            L.edgesim_free(handle[0])
        if tmp:
            shutil.rmtree(tmp, True)

    # -- the Python router -------------------------------------------------
    def _route(self, ctx, req_p):
        req = req_p.contents
        fid = self._fn_ids[req.function]
        n = req.ncandidates
        answer = None
        try:
            ids, regions = self._node_ids, self._node_regions
            cands = []
            for i in range(n):
                c = req.candidates[i]
                cands.append(Candidate(ids[c.node], regions[c.node], c.in_flight, c.idle_warm,
                                       c.latency_ns / 1e9, c.node))
            self._in_callback = True
            try:
                answer = self._scheduler(fid, cands, req.now / 1e9)
            finally:
                self._in_callback = False
            if answer is None:
                return -1
            if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer < n:
                raise SchedulerError(
                    "scheduler %s answered %r for function %s with %d candidate(s): expected "
                    "an index in [0, %d) or None" % (self._scheduler_name, answer, fid, n, n))
            return answer
        except (SchedulerError, KeyboardInterrupt, SystemExit) as e:
            # Ctrl-C and exit() in a policy stop the run and come out as
            # themselves, not as a SchedulerError an `except
            # KeyboardInterrupt` would miss
            self._cb_error = e
        except BaseException as e:  # noqa: B902 - anything, or ctypes prints and goes on
            err = SchedulerError("scheduler %s raised %s: %s (function %s, %d candidate(s))"
                                 % (self._scheduler_name, type(e).__name__, e, fid, n))
            err.__cause__ = e
            self._cb_error = err
        return -2  # not a candidate: the run stops with an error

    # -- driving -------------------------------------------------------------
    def _handle(self):
        """The C handle for advancing: also refused inside a callback."""
        h = self._open_handle()
        if self._in_callback:
            raise RunError("a scheduler callback may read the simulation, not advance it")
        return h

    def _check(self, rc, err):
        if rc < 0:
            cb, self._cb_error = self._cb_error, None
            _raise(err, cb)
        return rc

    def _open_handle(self):
        """The C handle for reading (a callback may read): RunError once
        closed, never a NULL handed to the library."""
        if self._h is None:
            raise RunError("the simulation is closed")
        return self._h

    @property
    def now(self):
        """The virtual clock, in seconds (None once closed)."""
        return self._L.edgesim_now_ns(self._h) / 1e9 if self._h else None

    @property
    def end(self):
        """The run's end (the scenario's duration), in seconds."""
        return self._L.edgesim_end_ns(self._open_handle()) / 1e9

    @property
    def fingerprint(self):
        """The trajectory fingerprint so far (final after finish())."""
        buf = (ctypes.c_char * 17)()
        self._L.edgesim_fingerprint(self._open_handle(), buf)
        return buf.value.decode()

    def _run_to(self, h, t_ns):
        """edgesim_run_until(t_ns) in _PIECES pieces of virtual time: Python
        acts on a signal only between two C calls, so Ctrl-C stops a long
        run within about a piece's time (KeyboardInterrupt, the simulation
        paused where the piece ended, usable still) instead of at its end.
        A run in pieces is the same run (the tests check it)."""
        L, err = self._L, _lib.Error_()
        now = L.edgesim_now_ns(h)
        stop = min(t_ns, L.edgesim_end_ns(h))
        for k in range(1, _PIECES if stop > now else 1):
            self._check(L.edgesim_run_until(h, now + (stop - now) * k // _PIECES, err), err)
        self._check(L.edgesim_run_until(h, t_ns, err), err)

    def run_until(self, t):
        """Runs every event up to and including time t (seconds, or a
        duration such as "10m"; capped at the end), then sets the clock to t."""
        self._run_to(self._handle(), _ns(t))
        return self

    def step(self):
        """Runs the next event (an arrival with its routing decision, a
        completion, a heartbeat, a health check, a fault, a sample...).
        Returns True when one ran, False when none is left before the end."""
        h = self._handle()
        err = _lib.Error_()
        return self._check(self._L.edgesim_step(h, err), err) == 1

    def nodes(self):
        """Every node now: id, region, status (the control plane's view),
        up (the truth), registered, healthy, busy, queued, warm_instances,
        memory_used_mb, invocations (delivered there), ok (completed there)
        and latency_sum_ms (the sum of their latencies)."""
        h = self._open_handle()
        node = _lib.Node_()
        rows = []
        for i in range(len(self._node_ids)):
            self._L.edgesim_get_node(h, i, node, None)
            rows.append({"id": self._node_ids[i], "region": self._node_regions[i],
                         "status": node.status.decode(), "up": bool(node.up),
                         "registered": bool(node.registered), "healthy": bool(node.healthy),
                         "busy": node.busy, "queued": node.queued,
                         "warm_instances": node.warm_instances,
                         "memory_used_mb": node.memory_used_mb,
                         "invocations": node.invocations, "ok": node.ok,
                         "latency_sum_ms": node.latency_sum_ms})
        return _records(rows)

    def functions(self):
        """Every function's counters so far: id, deployed (nodes), ok, failed,
        rejected, cold_starts, p50_ms, p99_ms, latency_sum_ms."""
        self._open_handle()
        return _records(self._function_rows())

    def _function_rows(self):
        fn = _lib.Function_()
        rows = []
        for i in range(len(self._fn_ids)):
            self._L.edgesim_get_function(self._h, i, fn, None)
            rows.append({"id": self._fn_ids[i], "deployed": fn.deployed, "ok": fn.ok,
                         "failed": fn.failed, "rejected": fn.rejected,
                         "cold_starts": fn.cold_starts, "p50_ms": fn.p50_ms,
                         "p99_ms": fn.p99_ms, "latency_sum_ms": fn.latency_sum_ms})
        return rows

    def inject(self, fault):
        """Applies a fault or operation now: a dict written as one entry of
        the scenario's "faults" list (docs/scenario.md), e.g.
        {"kind": "crash", "node": "eu-01", "for": "2m"}. "at" defaults to now
        (a later "at" schedules it). Raises ScenarioError when it is invalid."""
        h = self._handle()
        if not isinstance(fault, dict):
            raise TypeError("inject: expected a fault as a dict, found %r" % (fault,))
        err = _lib.Error_()
        self._check(self._L.edgesim_inject(h, _json_text(fault, "inject").encode(), err), err)

    def finish(self):
        """Runs the rest and writes the outputs; returns the Result. The
        simulation is closed afterwards."""
        h = self._handle()
        self._run_to(h, self._L.edgesim_end_ns(h))  # in pieces: Ctrl-C stops it
        err = _lib.Error_()
        self._check(self._L.edgesim_finish(h, err), err)
        fp = self.fingerprint
        res = Result(self._outdir, fp, self._L.edgesim_events(h),
                     self._L.edgesim_invocations(h), self._tmp)
        self._tmp = None  # the Result owns the temporary folder now
        self.close(_keep_dir=True)
        return res

    def close(self, _keep_dir=False):
        """Frees the C side (an unfinished run's outputs are not written).
        Also done when the object is garbage-collected."""
        if self._h is None:
            return
        if self._in_callback:
            raise RunError("a scheduler callback may read the simulation, not close it")
        h, self._h = self._h, None
        self._cleanup.detach()
        self._L.edgesim_free(h)
        if self._tmp and not _keep_dir:
            shutil.rmtree(self._tmp, True)
            self._tmp = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return "Simulation(now=%r)" % (self.now,)


def run(scenario, seed=None, set=None, outdir=None, warmup=None, scheduler=None,
        invocations=False, plots=False, allow_plugins=False, sandbox_paths=False,
        max_events=None, max_memory=None, max_output=None):
    """Runs a scenario to its end, as `edgesim run` does, and returns its
    Result. scenario is a path or a dict; seed replaces the scenario's;
    set is {PATH: value} as --set PATH=VALUE; outdir None writes into a
    temporary folder (kept while the Result lives); warmup is the scenario's
    "warmup" (a duration) when the format has one; scheduler a Python routing
    policy (see Simulation) or a built-in policy's name; invocations=True also writes invocations.csv;
    plots=True draws plots/ and report.html (gnuplot); allow_plugins=True loads
    a plugin the scenario names (native code: see Simulation), sandbox_paths=True
    refuses absolute data paths and ".."; max_events, max_memory and max_output
    limit what the run may cost (see Simulation; None: the defaults, 0: none)."""
    sim = Simulation(scenario, seed=seed, set=set, scheduler=scheduler, outdir=outdir,
                     invocations=invocations, warmup=warmup, allow_plugins=allow_plugins,
                     sandbox_paths=sandbox_paths, max_events=max_events,
                     max_memory=max_memory, max_output=max_output)
    res = sim.finish()
    if plots:
        res.plot()
    return res


def __getattr__(name):
    # RoutingEnv needs numpy: imported when first asked for (see use_pandas)
    if name == "RoutingEnv":
        from .env import RoutingEnv
        return RoutingEnv
    raise AttributeError("module 'edgesim' has no attribute %r" % name)
