#!/bin/sh
# Prints the path of a Python 3 that can import matplotlib and numpy, the
# interpreter scripts/compare.py needs: Debian's /usr/bin/python3 first
# (python3-matplotlib and python3-numpy install there), then the python3
# first on PATH (which may be a pyenv or venv one without them). Exits 1
# with a message naming scripts/deps.sh when neither has them.
#   usage: $(scripts/python.sh) scripts/compare.py RUN_DIR... [-o OUT_DIR]
for py in /usr/bin/python3 "$(command -v python3 2>/dev/null || true)"; do
    [ -n "$py" ] && [ -x "$py" ] || continue
    if "$py" -c 'import matplotlib, numpy' >/dev/null 2>&1; then
        echo "$py"
        exit 0
    fi
done
echo "python.sh: no python3 here can import matplotlib and numpy; install them with" \
     "scripts/deps.sh (as root; Debian packages python3-matplotlib python3-numpy)" >&2
exit 1
