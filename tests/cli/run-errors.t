# run's usage and input errors: exit 2 with one clear line; nothing written.
set +e
"$EDGESIM" run >/dev/null 2>err; [ $? -eq 2 ] || exit 1
"$EDGESIM" run --bogus x.json 2>err; [ $? -eq 2 ] && [ "$(cat err)" = "edgesim run: unknown option '--bogus' (see 'edgesim run --help')" ] || exit 1
"$EDGESIM" run missing.json -o out 2>err; rc=$?
[ $rc -eq 2 ] || { echo "missing file: exit $rc"; cat err; exit 1; }
[ ! -e out ] || { echo "out/ was created for a bad scenario"; exit 1; }
printf '{"name": "x", "duration": 5}' > bad.json
"$EDGESIM" run bad.json -o out 2>err; rc=$?
[ $rc -eq 2 ] && grep -q '^bad.json:1:' err || { echo "bad scenario: exit $rc"; cat err; exit 1; }
"$EDGESIM" run "$T/../../scenarios/quickstart.json" --seed -3 2>err; [ $? -eq 2 ] || exit 1
grep -q "expected a non-negative integer" err
