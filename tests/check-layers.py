#!/usr/bin/python3
"""check-layers.py — the architecture's two rules, checked on every build.

Usage: check-layers.py [BUILD]      (run from the top of the tree)

1. Includes run one way. docs/architecture.md lists sim/'s folders in a
   ```layers``` block, top layer first; a file may include headers of its own
   folder and of folders on later lines, never of a folder on an earlier
   line or on its own line. core/ includes only core/ (and system headers).
   In sim/, a quoted include names its folder ("engine/engine.h") or is a
   core header ("cluster.h") or a generated one (build/gen). A sim/ folder
   missing from the block is an error, so the document stays true.
2. No two files call each other in a loop. With BUILD given, the objects
   under BUILD/core and BUILD/sim are read with nm: file A depends on file B
   when A uses a symbol B defines; every cycle of that graph (a strongly
   connected component of more than one file) is reported.

Prints one line per finding and "layers: ok (...)" or exits 1.
"""
import os
import re
import subprocess
import sys

DOC = "docs/architecture.md"
GENERATED = {"plot_scripts.h"}


def read_layers():
    text = open(DOC, encoding="utf-8").read()
    m = re.search(r"```layers\n(.*?)```", text, re.S)
    if not m:
        sys.exit(f"{DOC}: no ```layers``` block")
    rank = {}
    for i, line in enumerate(l for l in m.group(1).splitlines() if l.strip()):
        for folder in line.split():
            rank[folder] = i
    return rank


def sources(top):
    for root, _, files in os.walk(top):
        for f in sorted(files):
            if f.endswith((".c", ".h")):
                yield os.path.join(root, f)


def folder_of(path):
    """sim/engine/engine.c -> engine; sim/model/net/link.c -> model."""
    parts = path.split(os.sep)
    return parts[1] if len(parts) > 2 else ""


def check_includes(rank):
    bad = []
    core_headers = {f for f in os.listdir("core") if f.endswith(".h")}
    inc = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
    for path in list(sources("core")):
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            m = inc.match(line)
            if m and (m.group(1).startswith("..") or "/" in m.group(1) and
                      not os.path.exists(os.path.join(os.path.dirname(path), m.group(1)))):
                bad.append(f"{path}:{n}: core/ includes \"{m.group(1)}\": core never includes sim/")
            elif m and "/" not in m.group(1) and m.group(1) not in core_headers \
                    and not os.path.exists(os.path.join(os.path.dirname(path), m.group(1))):
                bad.append(f"{path}:{n}: \"{m.group(1)}\" is not a core header")
    for path in sources("sim"):
        mine = folder_of(path)
        if mine not in rank:
            bad.append(f"{path}: folder sim/{mine}/ is not in the layers block of {DOC}")
            continue
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            m = inc.match(line)
            if not m:
                continue
            name = m.group(1)
            if "/" not in name:
                if name in core_headers or name in GENERATED:
                    continue
                bad.append(f"{path}:{n}: \"{name}\": name its folder (\"{mine}/{name}\")")
                continue
            theirs = name.split("/")[0]
            if not os.path.exists(os.path.join("sim", name)):
                bad.append(f"{path}:{n}: \"{name}\" is not a header under sim/")
            elif theirs not in rank:
                bad.append(f"{path}:{n}: folder sim/{theirs}/ is not in the layers block of {DOC}")
            elif theirs != mine and rank[theirs] <= rank[mine]:
                bad.append(f"{path}:{n}: sim/{mine}/ includes \"{name}\": sim/{theirs}/ is "
                           f"{'beside' if rank[theirs] == rank[mine] else 'above'} it in {DOC}")
    return bad


def nm_all(objs, flags):
    """Each object's nm lines, from one nm run over all of them (256 runs of
    nm, two per object, took most of the check's 19 s)."""
    out = subprocess.run(["nm", flags] + objs, capture_output=True, text=True).stdout
    lines = {o: [] for o in objs}
    cur = objs[0] if len(objs) == 1 else None
    for line in out.splitlines():
        if not line:
            continue
        if line.endswith(":") and line[:-1] in lines:
            cur = line[:-1]
        elif cur is not None:
            lines[cur].append(line)
    return lines


def check_calls(build):
    objs = [os.path.join(r, f) for d in ("core", "sim") for r, _, fs in
            os.walk(os.path.join(build, d)) for f in fs if f.endswith(".o")]
    owner = {}
    defined = nm_all(objs, "--defined-only") if objs else {}
    for o in objs:
        for line in defined[o]:
            parts = line.split()
            if len(parts) == 3 and parts[1] in "TDBR":
                owner[parts[2]] = o
    deps = {o: set() for o in objs}
    undefined = nm_all(objs, "-u") if objs else {}
    for o in objs:
        for line in undefined[o]:
            sym = line.split()[-1]
            if sym in owner and owner[sym] != o:
                deps[o].add(owner[sym])
    # Tarjan's strongly connected components
    index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(deps[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(objs):
        if v not in index:
            visit(v)
    src = lambda o: os.path.relpath(o, build)[:-2] + ".c"
    return [f"call loop: {' <-> '.join(src(o) for o in comp)}" for comp in sccs], len(objs)


def main():
    rank = read_layers()
    bad = check_includes(rank)
    nobj = 0
    if len(sys.argv) > 1:
        loops, nobj = check_calls(sys.argv[1])
        bad += loops
    for b in bad:
        print(b)
    if bad:
        print(f"layers: {len(bad)} finding(s); the rules are in {DOC}")
        return 1
    print(f"layers: ok ({len(rank)} sim/ folders; includes checked"
          + (f"; no call loop among {nobj} objects)" if nobj else ")"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
