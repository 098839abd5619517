"""The analysis scripts write whole files or none (scripts/edgesim_python.py):
a block that raises leaves the earlier file as it was and no temporary."""
import os
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, os.path.join(ROOT, "scripts"))
from edgesim_python import save_figure, write_whole  # noqa: E402


def test_write_whole_replaces_only_when_the_block_ends(tmp_path):
    p = tmp_path / "t.csv"
    with write_whole(str(p)) as f:
        f.write("a,b\n1,2\n")
    assert p.read_text() == "a,b\n1,2\n"
    with pytest.raises(RuntimeError):
        with write_whole(str(p)) as f:
            f.write("half")
            raise RuntimeError("cut short")
    assert p.read_text() == "a,b\n1,2\n"
    assert sorted(os.listdir(tmp_path)) == ["t.csv"]


def test_save_figure_writes_the_format_of_the_extension_or_nothing(tmp_path):
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    save_figure(fig, str(tmp_path / "f.png"), dpi=50)
    save_figure(fig, str(tmp_path / "f.svg"))
    assert (tmp_path / "f.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (tmp_path / "f.svg").read_bytes()[:400]
    with pytest.raises(ValueError):
        save_figure(fig, str(tmp_path / "f.nosuchformat"))
    plt.close(fig)
    assert sorted(os.listdir(tmp_path)) == ["f.png", "f.svg"]
