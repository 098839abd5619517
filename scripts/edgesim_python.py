"""Shared by the analysis scripts: find an interpreter with Debian's matplotlib."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def need_matplotlib(script, usage):
    """Imports matplotlib (Agg) and numpy; else re-runs `script` (its path) with
    the interpreter scripts/python.sh finds, once; else exits 1 naming what to
    install and `usage`, the command line that would work."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot  # noqa: F401
        import numpy  # noqa: F401
        return
    except ImportError as e:
        missing = str(e)
    if not os.environ.get("EDGESIM_PY_REEXEC"):
        try:
            py = subprocess.run(["sh", os.path.join(HERE, "python.sh")], capture_output=True,
                                text=True, check=False).stdout.strip()
        except OSError:
            py = ""
        if py and os.path.realpath(py) != os.path.realpath(sys.executable):
            os.environ["EDGESIM_PY_REEXEC"] = "1"
            os.execv(py, [py, os.path.abspath(script)] + sys.argv[1:])
    sys.stderr.write(
        "%s: %s is missing matplotlib or numpy (%s); install Debian's python3-matplotlib "
        "and python3-numpy with scripts/deps.sh (as root) and run %s\n"
        % (os.path.basename(script), sys.executable, missing, usage))
    sys.exit(1)
