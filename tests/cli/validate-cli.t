# edgesim validate's command line: the summary line, --set, usage errors.
q="$T/../../scenarios/quickstart.json"
"$EDGESIM" validate "$q" >out
[ "$(cat out)" = "ok: quickstart: 20 nodes in 3 regions, 4 functions, 7 workloads, 4 faults, duration 1h" ]
# --set changes the tree before validation (VALUE is JSON, else a string)
"$EDGESIM" validate "$q" --set duration=10m --set 'name="q2"' --set=faults=[] >out
[ "$(cat out)" = "ok: q2: 20 nodes in 3 regions, 4 functions, 7 workloads, 0 faults, duration 10m" ]
# a bad --set value is reported under "--set", with the path
set +e
"$EDGESIM" validate "$q" --set 'functions[0].timeout=-5' --set 'nodes[99].cores=1' --set oops 2>err; rc=$?
set -e
[ $rc -eq 2 ]
cat >want <<'X'
--set: nodes[99].cores: expected an index below 4 in nodes, found 99
--set: expected PATH=VALUE such as "policies.scheduler=round_robin", found "oops"
--set: functions[0].timeout: expected a duration such as "3s", found -5
X
diff -u want err
# stdin
"$EDGESIM" validate - <"$q" | grep -q "^ok: quickstart: "
# usage
set +e
"$EDGESIM" validate 2>/dev/null; [ $? -eq 2 ] || exit 1
"$EDGESIM" validate "$q" --bogus 2>err; [ $? -eq 2 ] || exit 1
grep -q "unknown option '--bogus'" err || exit 1
"$EDGESIM" validate no-such-file.json 2>err; [ $? -eq 2 ] || exit 1
set -e
[ "$(cat err)" = "no-such-file.json: cannot read the file: No such file or directory" ]
"$EDGESIM" validate --help | grep -q '^usage: edgesim validate SCENARIO'
