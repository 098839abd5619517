#!/bin/sh
# Prints one line for a finished libFuzzer run from its log:
#   fuzz TARGET: 123456 runs in 60 s (2057/s), cov 1234, ft 5678, corpus 210, 0 crashes
#   sh tests/fuzz/summary.sh TARGET LOG SECONDS CRASHES
# cov (code edges reached), ft (libFuzzer's features), corpus and runs come
# from the last status line, "#N ... cov: C ft: F corp: K..." (or the fork
# mode's "#N: cov: C ft: F corp: K ..."); CRASHES is counted by the caller.
t=$1; log=$2; secs=$3; crashes=$4
last=$(grep -E '^#[0-9]+:?[[:space:]]' "$log" | grep 'cov:' | tail -n 1)
runs=$(echo "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
speed=?
[ -n "$runs" ] && [ "$secs" -gt 0 ] 2>/dev/null && speed=$((runs / secs))
echo "fuzz $t: ${runs:-?} runs in $secs s (${speed}/s), cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}, $crashes crashes"
