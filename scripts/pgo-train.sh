#!/bin/sh
# pgo-train.sh PROGRAM: the training run of the profile-guided build
# (Makefile, PGO). PROGRAM is the instrumented edgesim; every run below adds
# its counts to the profile the optimised build reads. It runs the shipped
# examples (not scenarios/bench/, whose figures `make bench` reports) briefly,
# each kind of run once: the engine, the scheduler's policies, the network,
# workflows, autoscaling, faults, trace replay from the scenario folder, the
# outputs and plots' data, and the `bench` commands' own loops. A few seconds;
# deterministic (fixed seeds and durations), so the same sources give the same
# profile and the same program. Nothing here is timed.
set -eu
prog=${1:?usage: pgo-train.sh PROGRAM}
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT INT TERM

run() { # run SCENARIO DURATION [args...]
    scen=$1 dur=$2
    shift 2
    "$prog" run "$here/scenarios/$scen" --set "duration=$dur" -q --no-plots -o "$out/r" "$@" >/dev/null
    rm -rf "$out/r"
}

# durations chosen so that each kind of run does a like share of the work
# (a tenth to a third of a CPU second each, uninstrumented)
run quickstart.json 10m
run scale.json 10s
for pol in least_loaded warm_first power_of_two round_robin; do
    run scale.json 3s --set "policies.scheduler=$pol"
done
run network/offloading.json 60m
run network/video-analytics.json 30m
run network/commuters.json 12h
run workflows/image-pipeline.json 30m
run workflows/scale-workflows.json 10s
run autoscaling/diurnal.json 6h
run faults/random-failures.json 2h
run faults/state-sync.json 10m
run traces/azure2019-small.json 1h
"$prog" bench phold --lps 1024 --population 16 --end 100 --quiet >/dev/null
"$prog" bench phold --lps 64 --population 16 --end 1000 --quiet >/dev/null
"$prog" bench net --slots 20 --flows 20000 --quiet >/dev/null
"$prog" bench net --slots 130 --flows 20000 --quiet >/dev/null
"$prog" bench net --open 0.8 --flows 20000 --quiet >/dev/null
