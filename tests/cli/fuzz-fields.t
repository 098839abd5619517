# scripts/fuzz-fields.py on the commuters scenario's regions: the section,
# its first entry and that entry's id, each replaced by every hostile value
# and run with this edgesim (the sanitizer build under make asan): no run
# crashes, hangs or trips a sanitizer, and a section refused whole is one
# line, not a line per reference to what it would have defined (regions: {}
# gave 14).
root=$(cd "$T/../.." && pwd)
/usr/bin/python3 "$root/scripts/fuzz-fields.py" "$EDGESIM" "$root/scenarios/network/commuters.json" \
    --duration 10m --fields regions --max-cases 105 >out || { cat out; exit 1; }
grep -q '^fuzz-fields: [0-9]* runs, 0 findings' out || { tail -3 out; exit 1; }
# the section replaced whole by a wrong type, or emptied: one line each
! grep -q -e '--set regions={}' -e '--set regions=\[\]' out ||
    { grep -A4 -e '--set regions=' out; exit 1; }
