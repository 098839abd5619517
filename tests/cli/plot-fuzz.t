# e2e: long
# 200 seeded mutations of the sample run's outputs (bytes flipped, lines
# cut, dropped or doubled, fields emptied, numbers made huge or negative)
# never crash edgesim plot: every one ends with exit 2 and one line naming a
# file, or passes validation (exit 1 here: gnuplot is kept off PATH, so
# nothing is drawn and the run stays fast). Needs python3 (standard library).
command -v python3 >/dev/null || { echo "no python3: skipped"; exit 0; }
python3 - "$T/../fixtures/run-small" <<'PY'
import os, random, shutil, sys
src = sys.argv[1]
files = sorted(os.listdir(src))
rng = random.Random(2024)
for k in range(200):
    d = "m%03d" % k
    shutil.copytree(src, d)
    name = rng.choice(files)
    p = os.path.join(d, name)
    data = bytearray(open(p, "rb").read())
    lines = data.split(b"\n")
    op = rng.randrange(8)
    if op == 0 and data:                      # flip a byte
        i = rng.randrange(len(data)); data[i] = rng.randrange(256)
    elif op == 1:                             # cut the file anywhere
        data = data[:rng.randrange(len(data) + 1)]
    elif op == 2 and len(lines) > 1:          # drop a line (the header too)
        del lines[rng.randrange(len(lines))]; data = b"\n".join(lines)
    elif op == 3 and len(lines) > 1:          # double a line
        i = rng.randrange(len(lines)); lines.insert(i, lines[i]); data = b"\n".join(lines)
    elif op == 4 and len(lines) > 1:          # empty a field
        i = rng.randrange(len(lines)); f = lines[i].split(b",")
        f[rng.randrange(len(f))] = b""; lines[i] = b",".join(f); data = b"\n".join(lines)
    elif op == 5 and len(lines) > 1:          # a huge, negative or odd number
        i = rng.randrange(len(lines)); f = lines[i].split(b",")
        f[rng.randrange(len(f))] = rng.choice([b"1e308", b"-5", b"nan", b"9" * 400, b"0", b"-0"])
        lines[i] = b",".join(f); data = b"\n".join(lines)
    elif op == 6:                             # swap two lines
        if len(lines) > 2:
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]; data = b"\n".join(lines)
    else:                                     # remove the file
        os.remove(p); continue
    open(p, "wb").write(bytes(data))
PY
n2=0; n1=0
for d in m*; do
    set +e
    PATH=/nonexistent "$EDGESIM" plot "$d" 2>err >/dev/null; rc=$?
    set -e
    case $rc in
    1) grep -q 'gnuplot not found' err || { echo "$d: rc 1: $(cat err)"; exit 1; }; n1=$((n1 + 1)) ;;
    2) [ "$(wc -l <err)" -eq 1 ] && grep -q "^edgesim plot: $d/" err || { echo "$d: $(cat err)"; exit 1; }
       n2=$((n2 + 1)) ;;
    *) echo "$d: exit $rc: $(cat err)"; exit 1 ;;
    esac
    [ -z "$(ls -a "$d" | grep '^\.plots' || true)" ] || { echo "$d: temporary folder left"; exit 1; }
done
echo "$n2 rejected with one line, $n1 accepted"
[ $n2 -gt 50 ] && [ $n1 -gt 20 ]
