# The doc-test runner (tests/doctest.py, tests/README.md) on its fixtures in
# tests/fixtures/doctest: pass.md passes (placeholders, continuation lines, an
# expected exit status, skip, needs, replace, env and full-output markers);
# fail.md fails, naming each failing block by file:line with its command and
# a diff, and still runs the blocks after a failure; a fenced block without a
# language and markers without a reason or a block are exit 2.
root=$(cd "$T/../.." && pwd)
fx=tests/fixtures/doctest
doctest() { /usr/bin/python3 "$root/tests/doctest.py" --build "$(dirname "$EDGESIM")" "$@"; }

doctest "$fx/pass.md" > out
tail -1 out | grep -q '^doctest: 6 blocks passed, 0 failed, 2 skipped (marked) in [0-9]* s; 1 output(s) of the full form compared only with --full$'
grep -q "^skip $fx/pass.md:36: this would fail: the runner must not run it\$" out
grep -q "^skip $fx/pass.md:54: needs no-such-command-or-file, not here" out
# --full runs the blocks as written: the replace marker's sleep 600 is then
# the block (its 3 s limit stops it) and the full-output block is compared
set +e; doctest --full "$fx/pass.md:59" > full; rc=$?; set -e
[ "$rc" -eq 1 ]
grep -q "^FAIL $fx/pass.md:48 (sh block)" full && grep -q 'timed out after 3 s' full
grep -q "^FAIL $fx/pass.md:59 (console block)" full && grep -q '^    +fast form$' full

set +e; doctest "$fx/fail.md" > out; rc=$?; set -e
[ "$rc" -eq 1 ]
tail -1 out | grep -q '^doctest: 2 blocks passed, 5 failed, 0 skipped (marked)'
[ "$(grep -c '^FAIL ' out)" -eq 5 ]
grep -q "^FAIL $fx/fail.md:8 (sh block)" out && grep -q 'exit status 1, expected 0' out
grep -A9 "^FAIL $fx/fail.md:14 (console block)" out > diff
grep -q "^    printf 'a" diff && grep -q '^    -B$' diff && grep -q '^    +b$' diff
# <NUM> is a number glued to what follows: "1.5 s" is not "<NUM>s"
grep -A8 "^FAIL $fx/fail.md:21 " out | grep -q '^    +took 1.5 s$'
grep -q "^FAIL $fx/fail.md:26 (console block)" out
grep -q "^FAIL $fx/fail.md:32 (sh block)" out && grep -q 'timed out after 1 s' out

for bad in nolang:'fenced block without a language' noreason:'expected a reason' \
           stray:'marker not followed by a command block'; do
    f=${bad%%:*} msg=${bad#*:}
    set +e; doctest "$fx/$f.md" > out 2> err; rc=$?; set -e
    [ "$rc" -eq 2 ] || { echo "$f: exit $rc"; exit 1; }
    grep -q "^doctest: $fx/$f.md:3: .*$msg" err || { echo "$f:"; cat err; exit 1; }
done

# a file:line names a block that opens there
set +e; doctest "$fx/pass.md:7" 2> err; rc=$?; set -e
[ "$rc" -eq 2 ] && grep -q 'no command block opens at line 7' err
