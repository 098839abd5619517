# edgesim checksum: every bad input gives exit 2 and exactly one line on
# stderr; checksum_errors.cases holds each input beside that line.
n=0
while IFS= read -r input; do
    case $input in ''|'#'*) continue ;; esac
    IFS= read -r want
    printf '%b' "$input" > bad.json
    set +e
    "$EDGESIM" checksum bad.json > out 2> err
    rc=$?
    set -e
    got=$(cat err)
    if [ $rc -ne 2 ] || [ "$got" != "$want" ] || [ "$(wc -l < err)" -ne 1 ] || [ -s out ]; then
        echo "input:  $input"; echo "want:   $want"; echo "got:    $got (exit $rc)"; exit 1
    fi
    n=$((n + 1))
done < "$T/checksum_errors.cases"
[ $n -ge 30 ]

expect_usage() { # message, then the arguments
    msg=$1; shift
    set +e
    "$EDGESIM" checksum "$@" > out 2> err
    rc=$?
    set -e
    [ $rc -eq 2 ] || { echo "checksum $*: exit $rc"; exit 1; }
    [ "$(wc -l < err)" -eq 1 ] && grep -qF -- "$msg" err || { echo "checksum $*:"; cat err; exit 1; }
}
echo '{}' > ok.json
expect_usage "edgesim checksum: cannot open no-such.json: No such file or directory" no-such.json
mkdir dir.json
expect_usage "edgesim checksum: cannot read dir.json: Is a directory" dir.json
expect_usage "missing FILE" 
expect_usage "one FILE only" ok.json ok.json
expect_usage "unknown option '--bogus'" --bogus ok.json
expect_usage "unknown algorithm 'sha1' (md5 or sha256)" --algorithm sha1 ok.json
expect_usage "edgesim checksum: --algorithm needs a value" ok.json --algorithm
expect_usage "edgesim checksum: -a needs a value" ok.json -a
printf '[1,\n 2' | { set +e; "$EDGESIM" checksum - 2> err; echo $? > rc; }
[ "$(cat rc)" -eq 2 ] && [ "$(cat err)" = "<stdin>:2:3: expected ',' or ']' after an array element, found end of input" ]
# larger than the input limit: refused before parsing
head -c 33554433 /dev/zero > big.json
expect_usage "big.json: expected at most 33554432 bytes, found more" big.json
