"""Shared by the analysis scripts: find an interpreter with Debian's matplotlib,
and write files whole or not at all, as every edgesim output is."""
import contextlib
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


def _temporary_beside(path, ext=""):
    d, base = os.path.split(path)
    return os.path.join(d, ".%s.tmp-%d%s" % (base, os.getpid(), ext))


def _unlink_quietly(path):
    try:
        os.unlink(path)
    except OSError:
        pass


@contextlib.contextmanager
def write_whole(path, mode="w", **kw):
    """open(path, mode, **kw) for writing, through a temporary file beside it
    that is renamed to path when the block ends normally and removed when it
    raises: a reader never sees half a file, and a failure leaves what was."""
    tmp = _temporary_beside(path)
    try:
        with open(tmp, mode, **kw) as f:
            yield f
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise


def save_figure(fig, path, **kw):
    """fig.savefig(path, **kw), whole or not at all (as write_whole); the
    format is path's extension."""
    ext = os.path.splitext(path)[1]
    tmp = _temporary_beside(path, ext)
    try:
        fig.savefig(tmp, format=kw.pop("format", ext.lstrip(".") or None), **kw)
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise
