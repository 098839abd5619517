#!/bin/sh
# End-to-end CLI tests: every tests/cli/*.t file is a small shell script run
# with $EDGESIM set to the program under test and $T to the tests/cli folder;
# it passes when it exits 0. Prints one closing line "N passed, N failed".
T=$(cd "$(dirname "$0")" && pwd)
EDGESIM=$(cd "$(dirname "$EDGESIM")" && pwd)/$(basename "$EDGESIM")
export T EDGESIM
passed=0; failed=0
for t in "$T"/*.t; do
    [ -e "$t" ] || continue
    out=$(mktemp)
    work=$(mktemp -d)
    if (cd "$work" && sh -eu "$t") >"$out" 2>&1; then
        passed=$((passed + 1)); echo "ok   $(basename "$t")"
    else
        failed=$((failed + 1)); echo "FAIL $(basename "$t")"; sed 's/^/    /' "$out"
    fi
    rm -rf "$out" "$work"
done
echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
