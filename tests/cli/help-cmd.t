# `edgesim help CMD` and `CMD --help` print the same help on stdout, exit 0;
# every usage line lists every option the command takes; no help prints a
# doubled percent sign (printf escapes must never leak into fputs'd text).
"$EDGESIM" help | grep -q '^usage: edgesim COMMAND'
topics=$("$EDGESIM" help --commands)
[ -n "$topics" ]
echo "$topics" | grep -qx 'run'
echo "$topics" | grep -qx 'bench phold'
echo "$topics" | while IFS= read -r t; do
    # shellcheck disable=SC2086 # "bench phold" is two words
    "$EDGESIM" help $t >a 2>aerr
    "$EDGESIM" $t --help >b 2>berr
    cmp -s a b || { echo "help $t differs from $t --help"; diff a b; exit 1; }
    [ ! -s aerr ] && [ ! -s berr ] || { echo "$t: help wrote to stderr"; exit 1; }
    grep -q "^usage: edgesim $t" a || { echo "$t: no usage line"; exit 1; }
    ! grep -n '%%' a || { echo "$t: doubled percent sign"; exit 1; }
    # the usage line (up to the first blank line) names every option
    sed '/^$/q' a > usage
    "$EDGESIM" help --options $t | sed 's/ .*//' | grep '^--' | while IFS= read -r o; do
        # an option appears in the usage line as --name, or as its short form
        if ! grep -q -- "\[$o[] ]" usage; then
            s=$("$EDGESIM" $t --help | grep -E "^  -[a-zA-Z], $o( |$)" | sed 's/^  \(-.\),.*/\1/')
            [ -n "$s" ] && grep -q -- "\[$s[] ]" usage || { echo "$t: $o not in the usage line"; cat usage; exit 1; }
        fi
    done
done
# the run usage line names the options the issue listed
"$EDGESIM" help run | sed '/^$/q' > usage
for o in --trace --trace-window --trace-nodes --trace-max-events --no-plots --expect-fingerprint --invocations --seed --set; do
    grep -q -- "\[$o[] ]" usage || { echo "run usage lacks $o"; exit 1; }
done
# percent signs print as one: sweep's and compare's "95%"
"$EDGESIM" help sweep | grep -q '95% confidence interval'
"$EDGESIM" help compare | grep -q '95% confidence interval'
# unknown topics
set +e
"$EDGESIM" help rnu 2>err; rc=$?
set -e
[ $rc -eq 2 ] && [ "$(cat err)" = "edgesim: unknown help topic 'rnu' (did you mean 'run'?)" ]
set +e
"$EDGESIM" help bench nope 2>err; rc=$?
set -e
[ $rc -eq 2 ] && grep -q "'bench' has no topic 'nope'" err
