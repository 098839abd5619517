# Every command answers --help with exit 0; unknown commands are usage errors.
"$EDGESIM" --help | grep -q 'usage: edgesim'
"$EDGESIM" --version | grep -Eq '^edgesim [0-9]+\.[0-9]+\.[0-9]+$'
for c in $("$EDGESIM" --help | awk '/^commands:/{on=1;next} on&&/^  [a-z]/{print $1}'); do
    "$EDGESIM" "$c" --help >/dev/null || { echo "$c --help failed"; exit 1; }
done
set +e
"$EDGESIM" no-such-command 2>err; rc=$?
set -e
[ $rc -eq 2 ] && grep -q "unknown command 'no-such-command'" err
