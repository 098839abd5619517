# e2e: long
# scripts/compare.py overlays two runs (the 20-node sample and one generated
# here with another seed and scheduler): three PNGs and a CSV, labelled by
# the runs' folder names. Skipped, saying why, when no python3 here has
# matplotlib and numpy (scripts/python.sh finds one).
root="$T/../.."
py=$(sh "$root/scripts/python.sh" 2>why) || { echo "skipped: $(cat why)"; exit 0; }
cp -R "$T/../fixtures/run-small" least_loaded
"$py" "$T/../fixtures/make-sample-run.py" round_robin --seed 7 --scheduler round_robin
"$py" "$root/scripts/compare.py" least_loaded round_robin -o cmp >out
grep -q '^compare.py: 2 runs -> cmp/' out || { cat out; exit 1; }
for f in compare_latency_cdf compare_summary compare_status; do
    [ -s "cmp/$f.png" ] || { echo "no cmp/$f.png"; exit 1; }
    [ "$(head -c 8 "cmp/$f.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
        { echo "cmp/$f.png is not a PNG"; exit 1; }
done
[ "$(cut -d, -f1,4 cmp/compare_summary.csv)" = "run,scheduler
least_loaded,least_loaded
round_robin,round_robin" ] || { cat cmp/compare_summary.csv; exit 1; }
[ -z "$(ls -a cmp | grep tmp || true)" ]

# SVG too; two runs of the same folder name are told apart by the summary
mkdir a b
cp -R least_loaded a/run
cp -R round_robin b/run
"$py" "$root/scripts/compare.py" a/run b/run -o cmp2 --format both >/dev/null
[ -s cmp2/compare_status.svg ] && [ -s cmp2/compare_status.png ]
grep -q '^sample / least_loaded / seed 42,' cmp2/compare_summary.csv
grep -q '^sample / round_robin / seed 7,' cmp2/compare_summary.csv

# errors: exit 2, one line per bad run
set +e
"$py" "$root/scripts/compare.py" least_loaded nowhere -o cmp3 2>err; rc=$?
set -e
[ $rc -eq 2 ] && [ "$(cat err)" = "compare.py: nowhere: no such run directory" ] || { echo "rc $rc: $(cat err)"; exit 1; }
rm round_robin/health.csv
set +e
"$py" "$root/scripts/compare.py" least_loaded round_robin 2>err; rc=$?
set -e
[ $rc -eq 2 ] && grep -q '^compare.py: round_robin/health.csv: No such file or directory$' err || { echo "rc $rc: $(cat err)"; exit 1; }
[ ! -e compare ]

# started by a python3 without matplotlib, it starts itself again with $py;
# kept from doing so, it says what to install
other=$(command -v python3 || true)
if [ -n "$other" ] && ! "$other" -c 'import matplotlib' 2>/dev/null; then
    "$other" "$root/scripts/compare.py" least_loaded a/run -o cmp4 >/dev/null
    [ -s cmp4/compare_summary.png ]
    set +e
    EDGESIM_PY_REEXEC=1 "$other" "$root/scripts/compare.py" least_loaded 2>err; rc=$?
    set -e
    [ $rc -eq 1 ] && grep -q 'is missing matplotlib or numpy.*scripts/deps.sh' err || { echo "rc $rc: $(cat err)"; exit 1; }
fi
