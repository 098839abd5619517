# `edgesim validate` on every bad scenario in tests/scenarios/bad: exit 2,
# nothing on stdout, and on stderr exactly the lines of NAME.err beside
# NAME.json (one line per problem, in file order).
w=$(pwd)
bad="$T/../scenarios/bad"
n=0
for f in "$bad"/*.json; do
    name=$(basename "$f")
    set +e
    (cd "$bad" && "$EDGESIM" validate "$name") >"$w/out" 2>"$w/err"
    rc=$?
    set -e
    [ $rc -eq 2 ] || { echo "$name: exit $rc, expected 2"; cat "$w/err"; exit 1; }
    [ ! -s "$w/out" ] || { echo "$name: wrote to stdout"; cat "$w/out"; exit 1; }
    diff -u "$bad/${name%.json}.err" "$w/err" || { echo "$name: output differs"; exit 1; }
    n=$((n + 1))
done
[ $n -ge 20 ] || { echo "only $n bad scenarios"; exit 1; }
echo "$n bad scenarios rejected as expected"
