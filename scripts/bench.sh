#!/bin/sh
# make bench: PHOLD on the engine against the reference PHOLD's 4-ary heap,
# built and run here in the same session, at 1 k, 16 k and 64 k pending
# events (LPs x population: 64x16, 1024x16, 4096x16 and 1024x64). Both
# sides are timed on the CPU clock of their event loop (the reference is
# built a second time with its CLOCK_MONOTONIC read as the process CPU
# clock), so other work on a shared machine disturbs the ratio less than
# wall time would. Prints events per CPU second of each (median of REPS
# alternating runs), their ratio, and memory per pending event: the peak RSS
# beyond a 1-event run, and the engine's own pool + queue bytes; last, the
# events each side committed (the same model on different random streams:
# they agree within a few in 10,000, so both did the same work). Then the
# scenarios (scale.json, the routing benchmark, a trace replay; the million
# nodes with BENCH_1M=1). Figures only; nothing is asserted.
#   usage: sh scripts/bench.sh PROGRAM      (REPS=3 by default)
set -eu
prog=${1:?usage: bench.sh PROGRAM}
reps=${REPS:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
# the reference lives beside the project (../shared), or two levels up from
# a worktree; PHOLD_REF names it elsewhere
ref_src=${PHOLD_REF:-$here/../shared/bench/phold-ref.c}
[ -f "$ref_src" ] || [ -n "${PHOLD_REF:-}" ] || ref_src=$here/../../shared/bench/phold-ref.c
ref=$here/build/phold-ref-cpu
cc=${CC:-cc}
if [ -f "$ref_src" ]; then
    if [ ! -x "$ref" ] || [ "$ref_src" -nt "$ref" ] || [ "$0" -nt "$ref" ]; then
        mkdir -p "$here/build"
        shim=$here/build/phold-ref-cpuclock.h
        printf '#include <time.h>\n#undef CLOCK_MONOTONIC\n#define CLOCK_MONOTONIC CLOCK_PROCESS_CPUTIME_ID\n' >"$shim"
        $cc -O2 -D_GNU_SOURCE= -include "$shim" -o "$ref" "$ref_src" -lm
    fi
else
    echo "bench: $ref_src not found; the reference columns are left out"
    ref=
fi

# field NAME from a line of key=value pairs on stdin
field() { tr ' ' '\n' | sed -n "s/^$1=//p"; }
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

# The machine, first: the figures below depend on it (two machines of the
# same kind here have run small scenarios 2-3x apart while runs bound by
# memory ran alike, which moves every ratio of the two kinds, the growth
# and the payload ratio among them).
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
l2=$(cat /sys/devices/system/cpu/cpu0/cache/index2/size 2>/dev/null || echo '?')
l3=$(cat /sys/devices/system/cpu/cpu0/cache/index3/size 2>/dev/null || echo '?')
thp=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || true)
echo "host: ${cpu:-unknown CPU}, $(nproc 2>/dev/null || echo '?') CPUs, L2 $l2 a core, L3 $l3," \
    "transparent huge pages: ${thp:-unknown}; EDGESIM_HUGEPAGES=${EDGESIM_HUGEPAGES:-1}," \
    "GLIBC_TUNABLES=${GLIBC_TUNABLES:-} (docs/outputs.md: a run gets huge pages from birth where it can)"
if [ "${EDGESIM_PGO:-}" = 1 ]; then
    echo "build: profile-guided (make PGO=1; docs/architecture.md, Building)"
else
    echo "build: -O2 with LTO, without profile-guided optimisation (make PGO=1 bench adds it)"
fi
echo

base_rss=$("$prog" bench phold --lps 1 --population 1 --end 1 --quiet | field peak_rss_kb)

printf '%-8s %10s %14s %14s %7s %14s %14s %10s %10s\n' pending "lps x pop" "edgesim ev/cpu-s" "ref dheap4" ratio \
    "rss B/pending" "engine B/pend" events "ref events"
for spec in "64 16 10000" "1024 16 1000" "4096 16 300" "1024 64 300"; do
    set -- $spec
    lps=$1 pop=$2 end=$3 pending=$(( $1 * $2 ))
    es_file=$(mktemp) ref_file=$(mktemp)
    i=0
    while [ $i -lt "$reps" ]; do
        line=$("$prog" bench phold --lps "$lps" --population "$pop" --end "$end" --quiet)
        echo "$line" | field events_per_cpu_second >>"$es_file"
        rss=$(echo "$line" | field peak_rss_kb)
        eng=$(echo "$line" | field engine_bytes)
        events=$(echo "$line" | field events)
        ref_events=-
        if [ -n "$ref" ]; then
            rline=$("$ref" -q dheap4 -n "$lps" -p "$pop" -e "$end")
            echo "$rline" | field events_per_s >>"$ref_file"
            ref_events=$(echo "$rline" | field events)
        fi
        i=$((i + 1))
    done
    es=$(median <"$es_file")
    if [ -n "$ref" ]; then
        rv=$(median <"$ref_file")
        ratio=$(awk -v a="$es" -v b="$rv" 'BEGIN {printf "%.3f", a / b}')
    else
        rv=- ratio=-
    fi
    # RSS moves by a few hundred kB from run to run: below 512 kB of growth
    # (the 1 k case: 52 kB of engine) the difference says nothing
    rssb=$(awk -v r="$rss" -v b="$base_rss" -v p="$pending" \
        'BEGIN {if (r - b < 512) print "(noise)"; else printf "%.1f", (r - b) * 1024 / p}')
    engb=$(awk -v e="$eng" -v p="$pending" 'BEGIN {printf "%.1f", e / p}')
    printf '%-8s %10s %14s %14s %7s %14s %14s %10s %10s\n' "$pending" "${lps}x$pop" "$es" "$rv" "$ratio" "$rssb" \
        "$engb" "$events" "$ref_events"
    rm -f "$es_file" "$ref_file"
done
echo "(events per CPU second of the loop: median of $reps alternating runs; target ratio >= 0.95,"
echo " memory < 32 B/pending)"

# The scale scenario (10,000 nodes, 1,000 functions) at two run lengths:
# invocations per second of wall time (the whole run: set-up, simulation and
# outputs), and peak RSS, which must not grow with the length of the run.
scen=$here/scenarios/scale.json
if [ -f "$scen" ]; then
    echo
    printf '%-8s %11s %8s %8s %8s %8s %8s %14s %11s\n' duration invocations setup_s loop_s \
        output_s loop_cpu cpu_s "inv/loop-cpu-s" peak_rss_kb
    out=$(mktemp -d)
    for d in 5m 10m 40m; do
        [ "$d" = 40m ] && [ -z "${BENCH_LONG:-}" ] && continue
        "$prog" run "$scen" --set "duration=$d" -q --no-plots -o "$out/$d"
        python_get() { sed -n "s/.*\"$1\":[[:space:]]*\([0-9.e+-]*\).*/\1/p" "$out/$d/run.json"; }
        printf '%-8s %11s %8.2f %8.2f %8.2f %8.2f %8.2f %14.0f %11s\n' "$d" "$(python_get invocations)" \
            "$(python_get setup_seconds)" "$(python_get loop_seconds)" "$(python_get output_seconds)" \
            "$(python_get loop_cpu_seconds)" "$(python_get cpu_seconds)" \
            "$(python_get invocations_per_cpu_second)" "$(python_get peak_rss_kb)"
        rm -rf "${out:?}/$d"
    done
    rm -rf "$out"
    echo "(times: wall seconds of set-up, event loop and outputs, then CPU seconds of the loop and"
    echo " of the whole process; target: >= 2,000,000 invocations per loop CPU second; peak RSS"
    echo " independent of the duration; BENCH_LONG=1 adds a 40-minute run)"
fi

# Node count at the same per-node load (issue 18): scale.json with its five
# node groups, 800 fn-* and 200 heavy-* functions all scaled to 1,000, 10,000
# and 100,000 nodes (functions = nodes / 10, 0.9 invocations/s per node), each
# for 2 virtual minutes (so 108 k, 1.08 M and 10.8 M invocations, every node
# with the same history in distribution). CPU ns per invocation in the loop
# (median of three runs; one run at 100,000 nodes) and its growth.
scen=$here/scenarios/scale.json
if [ -f "$scen" ]; then
    echo
    out=$(mktemp -d)
    printf '%-8s %11s %14s %10s\n' nodes invocations "inv/loop-cpu-s" ns/inv
    for n in 1000 10000 100000; do
        g=$((n / 5))
        reps=3
        [ "$n" = 100000 ] && reps=1
        i=0
        : >"$out/rates"
        while [ $i -lt $reps ]; do
            "$prog" run "$scen" --set duration=2m --set "nodes[0].count=$g" --set "nodes[1].count=$g" \
                --set "nodes[2].count=$g" --set "nodes[3].count=$g" --set "nodes[4].count=$g" \
                --set "functions[0].count=$((n * 8 / 100))" --set "functions[1].count=$((n * 2 / 100))" \
                -q --no-plots -o "$out/r"
            sed -n 's/.*"invocations_per_cpu_second":[[:space:]]*\([0-9.e+-]*\).*/\1/p' "$out/r/run.json" \
                >>"$out/rates"
            i=$((i + 1))
        done
        rate=$(sort -g "$out/rates" | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
        inv=$(sed -n 's/.*"invocations":[[:space:]]*\([0-9]*\).*/\1/p' "$out/r/run.json" | head -1)
        printf '%-8s %11s %14.0f %10.0f\n' "$n" "$inv" "$rate" "$(awk -v r="$rate" 'BEGIN {print 1e9 / r}')"
        echo "$n $rate" >>"$out/all"
        rm -rf "$out/r"
    done
    awk '{r[$1] = $2} END {printf "growth of ns per invocation, 1,000 -> 100,000 nodes: %.2fx\n", r[1000] / r[100000]}' "$out/all"
    rm -rf "$out"
    echo "(targets: >= 2,000,000 invocations per loop CPU second at 10,000 nodes, >= 1,000,000 at"
    echo " 100,000; growth <= 2x)"
fi

# A million nodes (scenarios/scale-1m.json: 100,000 functions, one virtual
# minute) with BENCH_1M=1: several minutes and about 5 GB. Targets: peak RSS
# under 8 GiB, set-up and outputs under 30 s each.
scen=$here/scenarios/scale-1m.json
if [ -n "${BENCH_1M:-}" ] && [ -f "$scen" ]; then
    echo
    out=$(mktemp -d)
    "$prog" run "$scen" -q --no-plots -o "$out/m"
    get() { sed -n "s/.*\"$1\":[[:space:]]*\([0-9.e+-]*\).*/\1/p" "$out/m/run.json"; }
    printf 'scale-1m.json: %s invocations; set-up %.1f s, loop %.1f s, outputs %.1f s (wall);\n' \
        "$(get invocations)" "$(get setup_seconds)" "$(get loop_seconds)" "$(get output_seconds)"
    printf '  CPU: set-up %.1f s, loop %.1f s, outputs %.1f s, process %.1f s; peak RSS %.2f GiB\n' \
        "$(get setup_cpu_seconds)" "$(get loop_cpu_seconds)" "$(get output_cpu_seconds)" \
        "$(get cpu_seconds)" "$(awk -v k="$(get peak_rss_kb)" 'BEGIN {print k / 1048576}')"
    echo "  huge pages: $(sed -n 's/.*"huge_pages":[[:space:]]*"\([^"]*\)".*/\1/p' "$out/m/run.json")" \
        "(docs/outputs.md; the first run that needs many after other work sets up slower)"
    rm -rf "$out"
    echo "(targets: peak RSS < 8 GiB; set-up and outputs < 30 s each)"
fi

# The routing benchmark: 1,000 nodes x 4 slots with 100 functions each on
# every node, 10,000 invocations/s for 30 s: a load change touches a node
# hosting 100 functions, so the cost of the policies' state shows here
# (least_loaded and warm_first keep trees shared by the functions on the
# same nodes; power_of_two keeps none). A run's loop is 0.2-0.4 CPU-s, and
# on this shared host one run can read half the next: each policy runs
# BENCH_ROUTING_REPS times (default 5), the policies in turn, and the median
# is the figure (with the spread). Then the same model in SimPy (Debian's
# python3-simpy; scripts/bench/simpy-routing.py says what it models), run
# here, now: the peer the target's "100x SimPy" means.
scen=$here/scenarios/bench/routing.json
if [ -f "$scen" ]; then
    echo
    out=$(mktemp -d)
    get() { sed -n "s/.*\"$1\":[[:space:]]*\([0-9.e+-]*\).*/\1/p" "$out/r/run.json"; }
    i=0
    while [ $i -lt "${BENCH_ROUTING_REPS:-5}" ]; do
        for pol in least_loaded warm_first power_of_two; do
            "$prog" run "$scen" --set "policies.scheduler=$pol" -q --no-plots -o "$out/r"
            get invocations_per_cpu_second >>"$out/$pol"
            [ $i -eq 0 ] && printf 'routing.json, %s: %s invocations; set-up %.2f s, outputs %.2f s (wall)\n' \
                "$pol" "$(get invocations)" "$(get setup_seconds)" "$(get output_seconds)"
            rm -rf "$out/r"
        done
        i=$((i + 1))
    done
    for pol in least_loaded warm_first power_of_two; do
        sort -g "$out/$pol" | awk -v p="$pol" '{v[NR] = $1}
            END { printf "routing.json, %-13s %9.0f invocations per loop CPU second (median of %d; %.0f to %.0f)\n",
                  p ":", v[int((NR + 1) / 2)], NR, v[1], v[NR] }'
    done
    ll=$(sort -g "$out/least_loaded" | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
    echo "(target: >= 1,000,000 invocations per loop CPU second)"
    if /usr/bin/python3 -c 'import SimPy.Simulation' 2>/dev/null; then
        sp=$(/usr/bin/python3 "$here/scripts/bench/simpy-routing.py")
        spr=$(echo "$sp" | tr ' ' '\n' | sed -n 's/^invocations_per_cpu_second=//p')
        echo "SimPy, the same model: $sp"
        awk -v a="$ll" -v b="$spr" 'BEGIN { printf "edgesim least_loaded / SimPy: %.1fx (target: >= 100x)\n", a / b }'
    else
        echo "bench: no SimPy (python3-simpy): the SimPy comparison is left out"
    fi
    rm -rf "$out"
fi

# Trace replay: a synthetic full-size day in the Azure Functions 2019 format
# (46,000 functions x 1440 minutes, about 20 million invocations; made once by
# scripts/gen-azure2019.py and kept in build/azure2019-bench) on 100 nodes, at
# rate scales 0.5 and 1. First the trace machinery alone (edgesim bench azure:
# rows/s read, arrivals/s generated, without a world), then whole runs:
# other_s is the wall time outside the run loop (reading the files, building
# the world of 42,000 functions, writing the outputs); invocations/s in the
# run loop (run.json) and over the whole command. Peak RSS must not grow with the number of invocations: memory is
# per function (its non-zero minutes), arrivals are made one at a time.
gen=$here/build/azure2019-bench
inv=$gen/invocations_per_function_md.anon.d01.csv
if [ ! -s "$inv" ] || [ "$here/scripts/gen-azure2019.py" -nt "$inv" ]; then
    if py=$("$here/scripts/python.sh"); then
        echo
        "$py" "$here/scripts/gen-azure2019.py" "$gen" --seed 1 || inv=
    else
        inv=
    fi
fi
if [ -n "$inv" ] && [ -s "$inv" ]; then
    cat >"$gen/bench.json" <<'JSON'
{"name": "azure2019-bench", "seed": 1, "duration": "24h",
 "regions": [{"id": "r"}],
 "nodes": [{"id": "n{i}", "count": 100, "region": "r", "cores": 256, "memory_mb": 1000000,
            "queue_limit": 1000}],
 "workloads": [{"type": "azure2019",
   "invocations": "invocations_per_function_md.anon.d01.csv",
   "durations": "function_durations_percentiles.anon.d01.csv",
   "memory": "app_memory_percentiles.anon.d01.csv",
   "deploy": "least_loaded", "region": "r"}]}
JSON
    echo
    echo "the trace machinery alone (edgesim bench azure: read the day, generate every arrival):"
    "$prog" bench azure "$inv" "$gen/function_durations_percentiles.anon.d01.csv" \
        "$gen/app_memory_percentiles.anon.d01.csv" --quiet
    echo
    printf '%-6s %10s %10s %12s %12s %14s %14s %12s\n' scale rows other_s invocations run_s \
        "run inv/s" "total inv/s" peak_rss_kb
    out=$(mktemp -d)
    for scale in 0.5 1; do
        t0=$(date +%s.%N)
        "$prog" run "$gen/bench.json" --set "workloads[0].scale=$scale" -q --no-plots -o "$out/$scale"
        t1=$(date +%s.%N)
        get() { sed -n "s/.*\"$1\":[[:space:]]*\([0-9.e+]*\).*/\1/p" "$out/$scale/$2" | head -1; }
        rows=$(get rows summary.json)
        awk -v s="$scale" -v rows="$rows" -v t0="$t0" -v t1="$t1" -v n="$(get invocations run.json)" \
            -v run="$(get loop_seconds run.json)" -v rss="$(get peak_rss_kb run.json)" \
            'BEGIN {load = t1 - t0 - run;
                    printf "%-6s %10d %10.2f %12d %12.2f %14.0f %14.0f %12d\n", s, rows, load, n,
                           run, n / run, n / (t1 - t0), rss}'
        rm -rf "$out/$scale"
    done
    rm -rf "$out"
    echo "(target: >= 1,000,000 invocations/s; peak RSS the same at both scales)"
else
    echo "bench: no numpy for scripts/gen-azure2019.py; the trace replay is left out"
fi

# Payloads at 10,000 nodes (issue 15): scenarios/bench/scale-net.json is
# scale.json with a network of links (an access link per node, an uplink per
# region, backbones between regions) and request/response payloads on every
# function; the same run with every payload set to 0 (links declared, nothing
# sent) is the no-network reference. Invocations per loop CPU second of each,
# and their ratio: each side runs BENCH_NET_REPS times (default 3), the two
# alternating, and the medians are compared (one pair of runs on this shared
# host has read 51% and the next 37%).
scen=$here/scenarios/bench/scale-net.json
if [ -f "$scen" ]; then
    echo
    out=$(mktemp -d)
    nopay="--set functions[0].request_kb=0 --set functions[0].response_kb=0"
    nopay="$nopay --set functions[1].request_kb=0 --set functions[1].response_kb=0"
    get() { sed -n "s/.*\"$1\":[[:space:]]*\([0-9.e+-]*\).*/\1/p" "$out/$2/run.json" | head -1; }
    printf '%-20s %11s %10s %10s %14s\n' "scale-net.json 2m" invocations transfers loop_cpu \
        "inv/loop-cpu-s"
    i=0
    while [ $i -lt "${BENCH_NET_REPS:-3}" ]; do
        # shellcheck disable=SC2086
        "$prog" run "$scen" --set duration=2m $nopay -q --no-plots -o "$out/none"
        "$prog" run "$scen" --set duration=2m -q --no-plots -o "$out/pay"
        for k in none pay; do
            tr=$(sed -n 's/.*"transfers":[[:space:]]*\([0-9]*\).*/\1/p' "$out/$k/summary.json" | head -1)
            printf '%-20s %11s %10s %10.2f %14.0f\n' "payloads: $k" "$(get invocations "$k")" \
                "${tr:-0}" "$(get loop_cpu_seconds "$k")" "$(get invocations_per_cpu_second "$k")"
            get invocations_per_cpu_second "$k" >>"$out/$k.rates"
        done
        i=$((i + 1))
    done
    med() { sort -g "$out/$1.rates" | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
    awk -v a="$(med pay)" -v b="$(med none)" \
        'BEGIN { printf "with payloads: %.0f%% of the speed without (medians; target: >= 50%%)\n", 100 * a / b }'
    rm -rf "$out"
fi
