#!/bin/sh
# The policy regression suite: every shipped scenario (scenarios/quickstart.json
# and every scenarios/faults/*.json present) x every built-in routing policy
# (as the program lists them),
# one run each (seed 1), checked against tests/regress/baselines.csv: the
# run's fingerprint (a hash over its whole trajectory) and its key metrics.
#
#   sh tests/regress/regress.sh EDGESIM check    what `make regress` runs
#   sh tests/regress/regress.sh EDGESIM update   what `make update-baselines` runs
#
# The cases derive from the files present: a new scenario in scenarios/faults/
# is a new case (check fails until its baseline is recorded with update). The
# runs are one `edgesim sweep -j 2`, so the suite takes seconds.
set -eu
edgesim=${1:?usage: regress.sh EDGESIM check|update}
mode=${2:?usage: regress.sh EDGESIM check|update}
case $mode in check|update) ;; *) echo "regress.sh: mode is check or update, not '$mode'" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
baseline=$here/baselines.csv
# The routing policies: the program's own list, from the one-line error for an
# unknown one, so a policy added to core/scheduler is a new case too.
policies=$("$edgesim" validate "$root/scenarios/quickstart.json" --set policies.scheduler=__none__ 2>&1 |
    sed -n 's/.*policies\.scheduler: expected one of \(.*\), found.*/\1/p' | tr -d ',')
if [ -z "$policies" ]; then
    echo "regress: cannot learn the routing policies from '$edgesim validate' (its error line changed?)" >&2
    exit 2
fi
jobs=${REGRESS_JOBS:-2}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/edgesim-regress.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# the sweep: scenarios x policies, one replication
{
    printf '{"name": "regress", "scenarios": ["%s/scenarios/quickstart.json"' "$root"
    for f in "$root"/scenarios/faults/*.json; do
        [ -e "$f" ] && printf ', "%s"' "$f"
    done
    printf '], "grid": {"policies.scheduler": ['
    sep=
    for p in $policies; do printf '%s"%s"' "$sep" "$p"; sep=', '; done
    printf ']}, "replications": 1, "base_seed": 1}\n'
} > "$tmp/regress.json"
if ! "$edgesim" sweep "$tmp/regress.json" -q -j "$jobs" -o "$tmp/out" 2> "$tmp/err"; then
    cat "$tmp/err" >&2
    echo "regress: the suite's sweep failed (above); nothing was compared" >&2
    exit 1
fi

# runs.csv -> one line per case: scenario (path under scenarios/, no .json),
# policy, fingerprint, then the key metrics as runs.csv has them
awk -F, -v root="$root/scenarios/" '
NR == 1 {
    for (i = 1; i <= NF; i++) col[$i] = i
    printf "case,policy,fingerprint"
    for (i = col["seed"] + 1; i < col["fingerprint"]; i++) printf ",%s", $i
    printf "\n"
    next
}
{
    s = $1
    if (index(s, root) == 1) s = substr(s, length(root) + 1)
    sub(/\.json$/, "", s)
    printf "%s,%s,%s", s, $col["policies.scheduler"], $col["fingerprint"]
    for (i = col["seed"] + 1; i < col["fingerprint"]; i++) printf ",%s", $i
    printf "\n"
}' "$tmp/out/runs.csv" > "$tmp/current.csv"
ncases=$(($(wc -l < "$tmp/current.csv") - 1))

if [ "$mode" = update ]; then
    if [ -f "$baseline" ] && cmp -s "$baseline" "$tmp/current.csv"; then
        echo "update-baselines: $ncases cases, nothing changed"
        exit 0
    fi
    if [ -f "$baseline" ]; then
        echo "update-baselines: what changed (- old, + new):"
        diff -u "$baseline" "$tmp/current.csv" | sed -n '3,$p' | grep '^[-+]' || true
    fi
    cp "$tmp/current.csv" "$baseline.tmp" && mv "$baseline.tmp" "$baseline"
    echo "update-baselines: wrote ${baseline#$root/} ($ncases cases); review the diff above and commit it"
    exit 0
fi

if [ ! -f "$baseline" ]; then
    echo "regress: no ${baseline#$root/}: run 'make update-baselines' to record one" >&2
    exit 1
fi
if cmp -s "$baseline" "$tmp/current.csv"; then
    echo "regress: $ncases cases (scenarios x policies) match ${baseline#$root/}"
    exit 0
fi
# name each case that differs and what changed
awk -F, -v bl="${baseline#$root/}" '
FNR == 1 { for (i = 1; i <= NF; i++) name[i] = $i; next }
FILENAME == ARGV[1] { old[$1 "," $2] = $0; order[++n] = $1 "," $2; next }
{
    k = $1 "," $2; seen[k] = 1
    if (!(k in old)) { printf "regress: %s x %s: new case, not in %s\n", $1, $2, bl; bad++; next }
    if (old[k] == $0) next
    split(old[k], o, ","); what = ""
    for (i = 3; i <= NF; i++)
        if (o[i] != $i) what = what sprintf("%s%s %s -> %s", what == "" ? "" : ", ", name[i], o[i], $i)
    printf "regress: %s x %s: %s\n", $1, $2, what; bad++
}
END {
    for (i = 1; i <= n; i++)
        if (!(order[i] in seen)) {
            split(order[i], o, ",")
            printf "regress: %s x %s: in %s but no longer run (scenario removed?)\n", o[1], o[2], bl
            bad++
        }
    printf "regress: %d case(s) differ from %s.\n", bad, bl
    print "regress: if the change in behaviour is intended (a policy or model change), run"
    print "regress: `make update-baselines`, review the diff it prints, and commit " bl "."
}' "$baseline" "$tmp/current.csv" >&2
exit 1
