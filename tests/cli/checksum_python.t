# e2e: long
# edgesim checksum agrees byte for byte with Python's json.dumps(json.load(f),
# sort_keys=True) and hashlib on generated documents, and accepts exactly the
# mutated documents Python accepts (see checksum_python.py).
# 300 generated documents (CHECKSUM_DOCS), 40 under the sanitizers, where
# each of the runs of the program (ten a document) pays ASan's start-up; the
# fuzz corpus replay covers the reader under ASan too.
[ -n "${EDGESIM_SANITIZED:-}" ] && export CHECKSUM_DOCS=${CHECKSUM_DOCS:-40}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
"$PY" "$T/checksum_python.py" "$EDGESIM" .
