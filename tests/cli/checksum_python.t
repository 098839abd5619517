# edgesim checksum agrees byte for byte with Python's json.dumps(json.load(f),
# sort_keys=True) and hashlib on generated documents, and accepts exactly the
# mutated documents Python accepts (see checksum_python.py).
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
"$PY" "$T/checksum_python.py" "$EDGESIM" .
