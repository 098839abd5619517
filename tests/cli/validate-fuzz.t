# e2e: long
# Bad input never crashes: 300 seeded mutations of the shipped scenarios
# (bytes deleted, inserted, replaced; tokens swapped) each make `edgesim
# validate` exit 0 or 2 with at most 100 problem lines -- never a crash, an
# abort or another code. Under `make asan` this is a memory-safety check too.
root=$(cd "$T/../.." && pwd)
python3 - "$root" <<'PY'
import os, random, sys
root = sys.argv[1]
rng = random.Random(20261128)
srcs = [os.path.join(root, "scenarios", "quickstart.json")]
srcs += sorted(os.path.join(root, "scenarios", "faults", f)
               for f in os.listdir(os.path.join(root, "scenarios", "faults")) if f.endswith(".json"))
tokens = [b'"', b"{", b"}", b"[", b"]", b",", b":", b"-1", b"1e999", b'"5"', b"null",
          b"true", b'"1h"', b'"-5s"', b'"\\u0000"', b"0", b"\xff", b'"*"', b'"{i}"']
os.makedirs("fuzz", exist_ok=True)
n = 0
for i in range(300):
    data = bytearray(open(rng.choice(srcs), "rb").read())
    for _ in range(rng.randrange(1, 4)):
        op = rng.randrange(4)
        p = rng.randrange(len(data))
        if op == 0:
            del data[p:p + rng.randrange(1, 8)]
        elif op == 1:
            data[p:p] = rng.choice(tokens)
        elif op == 2:
            data[p] = rng.randrange(256)
        else:
            q = rng.randrange(len(data))
            data[p:p + 3], data[q:q + 3] = data[q:q + 3], data[p:p + 3]
    open("fuzz/%03d.json" % i, "wb").write(bytes(data))
    n += 1
print(n)
PY
fails=0
for f in fuzz/*.json; do
    set +e
    "$EDGESIM" validate "$f" >out 2>err
    rc=$?
    set -e
    if [ $rc -ne 0 ] && [ $rc -ne 2 ]; then
        echo "$f: exit $rc"; head -3 err; fails=$((fails + 1))
    fi
    if [ $rc -eq 2 ] && [ "$(wc -l <err)" -gt 101 ]; then
        echo "$f: more than 101 lines"; fails=$((fails + 1))
    fi
done
[ $fails -eq 0 ]
