#!/usr/bin/python3
"""The doc-test runner: every command block of the documentation runs, and
where a doc shows output, the output is compared. The convention (which blocks
run, markers, placeholders) is in tests/README.md, "Docs are tested".

    /usr/bin/python3 tests/doctest.py [--build DIR] [-j N] [-v] [--full] [--list] [FILE[:LINE]...]

Without files it runs README.md, docs/*.md, docs/examples/*.md,
scripts/README.md and examples/*/README.md. FILE:LINE runs only the block
that opens at that line (and the blocks before it in that file, which it may
need). It never builds: DIR (default build) must hold edgesim already.

Each file runs in a scratch copy of the source tree (in a temporary folder,
modification times kept, with an empty results/ of its own and build/ a link
to DIR); an examples/NAME/README.md runs in examples/NAME of that copy, the
other files at its top. HOME and TMPDIR point into the scratch folder. Blocks
of one file run in order and share that copy, as a reader's shell would;
files run two at a time (-j), each printed whole when it is done. After the
run the tree's `git status` must be what it was: a doc command that writes
into the source tree itself (through .git or an absolute path) fails.

Exit status: 0 all blocks passed, 1 a block failed (file:line, the command,
and a diff of expected and actual output are printed), 2 usage or a
malformed doc (a fenced block without a language, a marker without a reason).
Python's standard library only."""
import argparse
import concurrent.futures
import difflib
import glob
import os
import re
import shutil
import signal
import threading
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

RUN_LANGS = {"sh", "bash", "shell", "console"}
# fenced blocks with these info strings are not commands (json, python, ...):
# anything but RUN_LANGS; an empty info string is an error (say which)
DEFAULT_TIMEOUT = 120


class DocError(Exception):
    """A malformed doc or marker: exit 2."""


class Block:
    def __init__(self, path, line, kind, lang, text, markers):
        self.path = path          # as given (relative to the tree)
        self.line = line          # 1-based line of the block's first line
        self.kind = kind          # "fenced" or "indented"
        self.lang = lang
        self.text = text          # the block's lines, dedented, joined
        self.markers = markers    # list of (name, args, reason, line)

    def where(self):
        return "%s:%d" % (self.path, self.line)


MARKER = re.compile(r"^\s*<!--\s*doctest:\s*(.*?)\s*-->\s*$")
FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*([^\s`]*)[^`]*$")


WORD = re.compile(r"""\s*('[^']*'|"[^"]*"|\S+)""")


def parse_marker(body, where):
    """`skip REASON`, `replace OLD NEW REASON`, `full-output REASON`,
    `needs PATH|COMMAND REASON`, `exit N`, `timeout SECONDS`, `env NAME=VALUE`. OLD and NEW are one word or quoted
    ('...' or "...", no escapes); the reason is the rest of the line."""
    need = {"skip": 0, "replace": 2, "exit": 1, "timeout": 1, "env": 1, "full-output": 0,
            "needs": 1}
    words, rest = [], body
    while len(words) < 1 + need.get(words[0] if words else "", 0):
        m = WORD.match(rest)
        if not m:
            break
        w = m.group(1)
        words.append(w[1:-1] if len(w) > 1 and w[0] in "'\"" and w[-1] == w[0] else w)
        rest = rest[m.end():]
    if not words:
        raise DocError("%s: empty doctest marker" % where)
    name, args, reason = words[0], words[1:], rest.strip()
    if name not in need:
        raise DocError("%s: doctest marker: expected one of %s, found %r"
                       % (where, ", ".join(sorted(need)), name))
    if len(args) < need[name]:
        raise DocError("%s: doctest marker %s: expected %d argument(s)" % (where, name, need[name]))
    if name in ("skip", "replace", "full-output", "needs") and not reason:
        raise DocError("%s: doctest marker %s: expected a reason after it, found none" % (where, name))
    if name in ("exit", "timeout") and not args[0].isdigit():
        raise DocError("%s: doctest marker %s: expected a number, found %r" % (where, name, args[0]))
    if name == "env" and "=" not in args[0]:
        raise DocError("%s: doctest marker env: expected NAME=VALUE, found %r" % (where, args[0]))
    return (name, args, reason)


def blocks_of(path, text):
    """The command blocks of one markdown file, with the markers before each.
    Raises DocError on a fenced block without a language or a bad marker."""
    lines = text.split("\n")
    out = []
    pending = []              # markers seen since the last block or paragraph
    i = 0
    prev_blank = True
    while i < len(lines):
        line = lines[i]
        m = MARKER.match(line)
        if m:
            pending.append(parse_marker(m.group(1), "%s:%d" % (path, i + 1)) + (i + 1,))
            i += 1
            prev_blank = True
            continue
        f = FENCE.match(line)
        if f:
            indent, fence, lang = f.group(1), f.group(2), f.group(3).lower()
            j = i + 1
            close = re.compile(r"^\s*" + re.escape(fence[0]) + "{%d,}\\s*$" % len(fence))
            while j < len(lines) and not close.match(lines[j]):
                j += 1
            if j == len(lines):
                raise DocError("%s:%d: fenced block never closed" % (path, i + 1))
            if not lang:
                raise DocError("%s:%d: fenced block without a language: mark it sh or console "
                               "to run it, text (or json, ...) when it is not a command"
                               % (path, i + 1))
            body = [l[len(indent):] if l.startswith(indent) else l.lstrip() for l in lines[i + 1:j]]
            if lang in RUN_LANGS:
                out.append(Block(path, i + 2, "fenced", lang, "\n".join(body), pending))
            elif pending:
                raise DocError("%s:%d: doctest marker before a %s block, which does not run"
                               % (path, pending[0][3], lang))
            pending = []
            i = j + 1
            prev_blank = False
            continue
        if line.startswith("    ") and line.strip() and prev_blank:
            j = i
            while j < len(lines) and (lines[j].startswith("    ") or not lines[j].strip()):
                j += 1
            body = [l[4:] for l in lines[i:j]]
            while body and not body[-1].strip():
                body.pop()
            out.append(Block(path, i + 1, "indented", "sh", "\n".join(body), pending))
            pending = []
            i = j
            prev_blank = True
            continue
        if line.strip() and pending:
            raise DocError("%s:%d: doctest marker not followed by a command block"
                           % (path, pending[0][3]))
        prev_blank = not line.strip()
        i += 1
    if pending:
        raise DocError("%s:%d: doctest marker not followed by a command block" % (path, pending[0][3]))
    return out


def console_steps(text, where):
    """A console block's (command, expected output lines, expected exit) steps:
    `$ ` starts a command, continued by lines that start with `> ` (the
    shell's second prompt) or follow a line ending in a backslash; the lines
    up to the next `$ ` are its output, a last output line `[exit N]` its exit
    status."""
    steps = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].startswith("$ "):
            if steps or lines[i].strip():
                raise DocError("%s: console block: expected a line starting with \"$ \", found %r"
                               % (where, lines[i]))
            i += 1
            continue
        cmd = [lines[i][2:]]
        while i + 1 < len(lines) and (lines[i + 1].startswith("> ") or cmd[-1].endswith("\\")):
            i += 1
            cmd.append(lines[i][2:] if lines[i].startswith("> ") else lines[i])
        i += 1
        expect = []
        while i < len(lines) and not lines[i].startswith("$ "):
            expect.append(lines[i])
            i += 1
        while expect and not expect[-1].strip():
            expect.pop()
        rc = 0
        if expect and re.match(r"^\[exit \d+\]$", expect[-1].strip()):
            rc = int(expect.pop().strip()[6:-1])
        steps.append(("\n".join(cmd), expect, rc))
    return steps


def pattern_of(line):
    """One expected line as a regex: <ANY> any text, <NUM> a number, the rest
    literal; trailing blanks ignored."""
    parts = re.split(r"(<ANY>|<NUM>)", line.rstrip())
    rx = ""
    for p in parts:
        if p == "<ANY>":
            rx += ".*?"
        elif p == "<NUM>":
            rx += r"[-+]?(?:[0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
        else:
            rx += re.escape(p)
    return re.compile("^" + rx + "$")


def matches(expect, actual):
    """Whether actual lines fit expected ones; a line `...` matches any number
    of lines (backtracking)."""
    memo = {}

    def go(i, j):
        key = (i, j)
        if key in memo:
            return memo[key]
        if i == len(expect):
            r = j == len(actual)
        elif expect[i].strip() == "...":
            r = any(go(i + 1, k) for k in range(j, len(actual) + 1))
        else:
            r = j < len(actual) and bool(pattern_of(expect[i]).match(actual[j].rstrip())) \
                and go(i + 1, j + 1)
        memo[key] = r
        return r
    return go(0, 0)


def apply_replaces(text, block, full):
    for name, args, _reason in [m[:3] for m in block.markers]:
        if name == "replace" and not full:
            if args[0] not in text:
                raise DocError("%s: doctest replace: %r is not in the block" % (block.where(), args[0]))
            text = text.replace(args[0], args[1])
    return text


def marker(block, name, default=None):
    for m in block.markers:
        if m[0] == name:
            return m[1][0] if m[1] else m[2]
    return default


def shell_env(block, base):
    env = dict(base)
    for m in block.markers:
        if m[0] == "env":
            k, v = m[1][0].split("=", 1)
            env[k] = v
    return env


class Result:
    """One file's counts and report lines (files run in parallel with -j, each
    printed whole when done)."""
    def __init__(self, full):
        self.passed = self.failed = self.skipped = self.unchecked = 0
        self.full = full          # --full: replace markers off, every output compared
        self.lines = []

    def say(self, line):
        self.lines.append(line)

    def add(self, other):
        for k in ("passed", "failed", "skipped", "unchecked"):
            setattr(self, k, getattr(self, k) + getattr(other, k))


def report_failure(res, block, cmd, why, expect=None, actual=None, output=None):
    say = res.say
    say("FAIL %s (%s block)" % (block.where(), block.lang))
    say("  command:")
    for l in cmd.split("\n"):
        say("    " + l)
    say("  " + why)
    if expect is not None:
        diff = difflib.unified_diff(expect, actual, "expected (%s)" % block.where(), "actual",
                                    lineterm="", n=2)
        for l in diff:
            say("    " + l)
    elif output:
        tail = output.rstrip("\n").split("\n")[-25:]
        say("  output (last %d lines):" % len(tail))
        for l in tail:
            say("    " + l)


# the running blocks' shells (files run in threads with -j): on SIGTERM or
# Ctrl-C their process groups are killed and no further block starts
RUNNING = set()
RUNNING_LOCK = threading.Lock()
STOP = threading.Event()


def stop_all():
    STOP.set()
    with RUNNING_LOCK:
        for p in RUNNING:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def run_script(script, cwd, env, timeout):
    """Runs script with sh -e in a process group of its own; returns (exit
    status, or None on timeout after killing the group; combined output)."""
    with RUNNING_LOCK:
        if STOP.is_set():
            raise KeyboardInterrupt
        p = subprocess.Popen(["sh", "-ec", script], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        RUNNING.add(p)
    try:
        out, _ = p.communicate(timeout=timeout)
        return p.returncode, out.decode("utf-8", "replace")
    except BaseException:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, _ = p.communicate()
        if sys.exc_info()[0] is subprocess.TimeoutExpired:
            return None, out.decode("utf-8", "replace")
        raise
    finally:
        with RUNNING_LOCK:
            RUNNING.discard(p)


def run_block(block, cwd, env, res, verbose):
    """Runs one block; counts it in res; prints a failure."""
    timeout = int(marker(block, "timeout", DEFAULT_TIMEOUT))
    env = shell_env(block, env)
    t0 = time.monotonic()
    if block.lang == "console":
        steps = console_steps(block.text, block.where())
    else:
        steps = [(block.text, None, int(marker(block, "exit", 0)))]
    for cmd, expect, want in steps:
        run = apply_replaces(cmd, block, res.full)
        left = timeout - (time.monotonic() - t0)
        rc, out = run_script(run, cwd, env, max(left, 1))
        shown = cmd if run == cmd else cmd + "\n  (run as, per the replace marker:)\n" + run
        if rc is None:
            report_failure(res, block, shown, "timed out after %d s (a `timeout` marker raises it)"
                           % timeout, output=out)
            res.failed += 1
            return
        if rc != want:
            report_failure(res, block, shown, "exit status %d, expected %d" % (rc, want), output=out)
            res.failed += 1
            return
        if expect is not None and marker(block, "full-output") is not None and not res.full:
            res.unchecked += 1
        elif expect is not None:
            actual = out.rstrip("\n").split("\n") if out.strip() else []
            actual = [l.rstrip() for l in actual]
            if not matches(expect, actual):
                report_failure(res, block, shown, "output differs:", expect, actual)
                res.failed += 1
                return
    res.passed += 1
    if verbose:
        res.say("ok   %s (%.1f s)" % (block.where(), time.monotonic() - t0))


def git_status():
    p = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=all"],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return p.stdout.decode() if p.returncode == 0 else None


def scratch_tree(scratch, build):
    """A copy of the source tree in scratch/tree (modification times kept, so
    make there sees the build as up to date), without build/, results/,
    Python's caches and the fuzzers' corpus (2,000 files no doc reads: it
    made each copy take seconds); build is a link to the build folder, .git to the
    tree's, and scratch/shared to the repository's sibling shared/ (trace
    data) when there is one. Returns its path."""
    tree = os.path.join(scratch, "tree")

    def ignore(folder, names):
        top = os.path.abspath(folder) == ROOT
        fuzz = os.path.abspath(folder) == os.path.join(ROOT, "tests", "fuzz")
        return [n for n in names if n == "__pycache__" or (top and n in ("build", "results", ".git"))
                or (fuzz and n == "corpus")]
    shutil.copytree(ROOT, tree, symlinks=True, ignore=ignore)
    os.mkdir(os.path.join(tree, "results"))
    os.symlink(build, os.path.join(tree, "build"))
    # the data beside the repository (../shared, docs/traces.md), when it is there
    shared = os.path.join(os.path.dirname(ROOT), "shared")
    if os.path.isdir(shared):
        os.symlink(shared, os.path.join(scratch, "shared"))
    if os.path.exists(os.path.join(ROOT, ".git")):
        os.symlink(os.path.join(ROOT, ".git"), os.path.join(tree, ".git"))
    return tree


def run_file(path, blocks, build, full, verbose, base_env):
    """Runs one file's blocks in a scratch copy of the tree; returns its
    Result."""
    res = Result(full)
    m = re.match(r"^examples/([^/]+)/README\.md$", path)
    example = m.group(1) if m else None
    scratch = tempfile.mkdtemp(prefix="edgesim-doctest.")
    try:
        tree = scratch_tree(scratch, build)
        cwd = os.path.join(tree, "examples", example) if example else tree
        for d in ("home", "tmp"):
            os.mkdir(os.path.join(scratch, d))
        env = dict(base_env, HOME=os.path.join(scratch, "home"), TMPDIR=os.path.join(scratch, "tmp"))
        for b in blocks:
            skip = [m for m in b.markers if m[0] == "skip"]
            if skip:
                res.skipped += 1
                res.say("skip %s: %s" % (b.where(), skip[0][2]))
                continue
            missing = [m for m in b.markers if m[0] == "needs" and not
                       (os.path.exists(os.path.join(cwd, m[1][0])) or shutil.which(m[1][0]))]
            if missing:
                res.skipped += 1
                res.say("skip %s: needs %s, not here (%s)" % (b.where(), missing[0][1][0], missing[0][2]))
                continue
            if STOP.is_set():
                break
            run_block(b, cwd, env, res, verbose)
    except KeyboardInterrupt:
        pass
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return res


def default_files():
    files = ["README.md"] + sorted(glob.glob("docs/*.md", root_dir=ROOT)) \
        + sorted(glob.glob("docs/examples/*.md", root_dir=ROOT)) + ["scripts/README.md"] \
        + sorted(glob.glob("examples/*/README.md", root_dir=ROOT))
    return files


def main():
    ap = argparse.ArgumentParser(description="Runs the command blocks of the docs (tests/README.md).")
    ap.add_argument("files", nargs="*", help="FILE or FILE:LINE, relative to the tree's top")
    ap.add_argument("--build", default="build", help="the build folder holding edgesim (not rebuilt)")
    ap.add_argument("--list", action="store_true", help="list the blocks and their markers, run nothing")
    ap.add_argument("--full", action="store_true",
                    help="run every block as written (no replace markers) and compare every output")
    ap.add_argument("-j", "--jobs", type=int, default=2,
                    help="files run at a time (default 2), each in its own copy of the tree")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every block and its time")
    a = ap.parse_args()
    build = os.path.abspath(os.path.join(ROOT, a.build))
    if not a.list and not os.access(os.path.join(build, "edgesim"), os.X_OK):
        print("doctest: %s/edgesim not found: build it first (make)" % a.build, file=sys.stderr)
        return 2
    wanted = {}
    for f in a.files or default_files():
        m = re.match(r"^(.*?):(\d+)$", f)
        path, line = (m.group(1), int(m.group(2))) if m else (f, None)
        path = os.path.relpath(os.path.abspath(path), ROOT) if os.path.isabs(path) else path
        wanted.setdefault(path, set()).add(line)
    base_env = {k: v for k, v in os.environ.items()
                if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "BUILD")}
    base_env.update(LC_ALL="C", PYTHONDONTWRITEBYTECODE="1", MPLBACKEND="Agg")
    res = Result(a.full)
    t0 = time.monotonic()
    try:
        parsed = []
        for path, lines in wanted.items():
            try:
                text = open(os.path.join(ROOT, path), encoding="utf-8").read()
            except OSError as e:
                raise DocError("%s: %s" % (path, e.strerror))
            blocks = blocks_of(path, text)
            for b in blocks:
                for m in b.markers:
                    if m[0] == "replace" and m[1][0] not in b.text:
                        raise DocError("%s: doctest replace: %r is not in the block"
                                       % (b.where(), m[1][0]))
            for b in blocks:
                if b.lang == "console":
                    console_steps(b.text, b.where())    # malformed console blocks: exit 2 up front
            if None not in lines:
                last = max(lines)
                if not any(b.line == l for b in blocks for l in lines):
                    raise DocError("%s: no command block opens at line %s (--list shows them)"
                                   % (path, ", ".join(map(str, sorted(lines)))))
                blocks = [b for b in blocks if b.line <= last]
            parsed.append((path, blocks))
    except DocError as e:
        print("doctest: %s" % e, file=sys.stderr)
        return 2
    if a.list:
        for path, blocks in parsed:
            for b in blocks:
                marks = "; ".join(" ".join([m[0]] + m[1] + ([m[2]] if m[2] else [])) for m in b.markers)
                print("%s %s%s" % (b.where(), b.lang, "  [" + marks + "]" if marks else ""))
        return 0
    before = git_status()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs))
    try:
        futures = [pool.submit(run_file, path, blocks, build, a.full, a.verbose, base_env)
                   for path, blocks in parsed]
        for f in futures:          # in the files' order, each file's lines together
            r = f.result()
            for line in r.lines:
                print(line, flush=True)
            res.add(r)
    except BaseException:
        stop_all()
        raise
    finally:
        pool.shutdown(wait=True)
    after = git_status()
    if before is not None and after != before:
        res.failed += 1
        new = sorted(set(after.split("\n")) - set(before.split("\n")))
        print("FAIL the docs' commands changed the source tree (git status): %s"
              % ("; ".join(new) or "files went away"))
    print("doctest: %d blocks passed, %d failed, %d skipped (marked) in %.0f s%s"
          % (res.passed, res.failed, res.skipped, time.monotonic() - t0,
             "; %d output(s) of the full form compared only with --full" % res.unchecked
             if res.unchecked else ""))
    return 1 if res.failed else 0


if __name__ == "__main__":
    # SIGTERM (make killed, a CI timeout) unwinds like Ctrl-C: the running
    # block's process group is killed and the scratch copy removed
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
