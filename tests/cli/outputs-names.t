# Names that become paths are plain (docs/scenario.md "name", docs/sweeps.md):
# a scenario's name is results/NAME without -o and a sweep's name
# results/sweeps/NAME, so "..", ".", hidden names, "/" and control
# characters are refused at validation with one line, and nothing is written.
mk() { # NAME-JSON FILE
    printf '{"name": %s, "duration": "1m", "regions": [{"id": "r"}], "nodes": [{"id": "n", "region": "r"}], "functions": [{"id": "f", "exec_time": {"type": "constant", "value": "10ms"}}], "deployments": [{"function": "f", "strategy": "all"}], "workloads": [{"function": "f", "region": "r", "arrival": "constant", "interval": "1s"}]}\n' "$1" > "$2"
}
refused() { # CMD FILE PATTERN [ARGS...]
    cmd=$1 f=$2 pat=$3; shift 3
    set +e; "$EDGESIM" $cmd "$f" "$@" 2>err; rc=$?; set -e
    [ $rc -eq 2 ] || { echo "$cmd $f: exit $rc"; cat err; exit 1; }
    [ "$(wc -l < err)" -eq 1 ] || { echo "not one line:"; cat err; exit 1; }
    grep -q -- "$pat" err || { echo "expected /$pat/:"; cat err; exit 1; }
}
mkdir -p work/inner && cd work/inner
mk '".."' dotdot.json
refused run dotdot.json 'dotdot.json:1:10: name: expected a plain name (letters, digits and - _ . : @, not starting with ".", at most 128), found ".."'
refused validate dotdot.json 'dotdot.json:1:10: name: expected a plain name'
mk '"."' dot.json
refused run dot.json 'name: expected a plain name .*found "."'
mk '".hidden"' hidden.json
refused run hidden.json 'name: expected a plain name .*found ".hidden"'
mk '"../../x"' up.json
refused run up.json 'name: expected a scenario name'
mk '""' empty.json
refused run empty.json 'name: expected a scenario name'
mk '"a\u0001b"' ctrl.json
refused run ctrl.json 'name: expected a scenario name'
mk '"ok"' ok.json
refused run ok.json 'name: expected a plain name .*found ".."' -q --set name='".."'
# nothing was written anywhere: not results/ here, not beside or above
[ ! -e results ] && [ "$(ls -A ..)" = inner ] || { echo "something was written"; ls -A . ..; exit 1; }
[ "$(ls -A ../.. | grep -v '^work$' || true)" = "" ] || { ls -A ../..; exit 1; }

# a file name that is not plain gives a plain default name: "..json" runs
# into results/-
mk '"x"' plain.json && sed 's/"name": "x", //' plain.json > ..json
"$EDGESIM" run ..json -q --no-plots
[ -f results/-/summary.json ] && rm -rf results

# sweeps: the name is checked before anything runs or is created
sweep_refused() { # NAME-JSON PATTERN
    printf '{"name": %s, "scenarios": ["ok.json"]}' "$1" > sw.json
    refused sweep sw.json "$2"
    [ ! -e results ] && [ "$(ls -A ..)" = inner ] || { echo "something was written"; exit 1; }
}
sweep_refused '"../../../x"' 'sw.json:1:10: name: expected a plain name (letters, digits and - _ . : @, not starting with ".", at most 128), found "../../../x"'
sweep_refused '".."' 'found ".."'
sweep_refused '"."' 'found "."'
sweep_refused '".x"' 'found ".x"'
sweep_refused '""' 'found ""'
sweep_refused '"a/b"' 'found "a/b"'
sweep_refused '"a\u0007b"' 'found "a?b"'
sweep_refused '7' 'expected a plain name .*found 7$'
# a plain one works and lands in results/sweeps/NAME
printf '{"name": "fine", "scenarios": ["ok.json"]}' > sw.json
"$EDGESIM" sweep sw.json -q --no-plots
[ -f results/sweeps/fine/runs.csv ]
