"""Checks what `edgesim plot DIR` wrote (Python 3 standard library only).

    python3 check_plots.py DIR [--formats png,svg] [--no-report]
                               [--svg-text NAME=TEXT ...]

Every plot of the list below must be in DIR/plots/ in each format asked:
a PNG with its signature, an IHDR chunk first and a size of at least
600 x 400; an SVG that is well-formed XML with an <svg> root of a width and
height. DIR/report.html must be one self-contained page: every plot inline
as an <svg> element in its figure, no script, nothing fetched from the
network. --svg-text NAME=TEXT asks that plot NAME's SVG contain TEXT.
Prints one line per problem and exits 1 when there is any.
"""
import os
import re
import struct
import sys
import xml.dom.minidom

PLOTS = ["latency_cdf", "latency_over_time", "load", "busy_heatmap", "node_status",
         "cold_starts", "outcomes"]


def check_png(path, problems):
    with open(path, "rb") as f:
        head = f.read(33)
    if len(head) < 33 or head[:8] != b"\x89PNG\r\n\x1a\n":
        problems.append("%s: not a PNG (signature)" % path)
        return
    length, kind = struct.unpack(">I4s", head[8:16])
    if kind != b"IHDR" or length != 13:
        problems.append("%s: PNG without an IHDR chunk first" % path)
        return
    w, h = struct.unpack(">II", head[16:24])
    if w < 600 or h < 400:
        problems.append("%s: PNG of %dx%d, expected at least 600x400" % (path, w, h))


def check_svg(path, problems, texts):
    try:
        doc = xml.dom.minidom.parse(path)
    except Exception as e:  # noqa: BLE001 - any parse error is the finding
        problems.append("%s: not well-formed XML: %s" % (path, e))
        return
    root = doc.documentElement
    if root.tagName != "svg" or not root.getAttribute("width") or not root.getAttribute("height"):
        problems.append("%s: expected an <svg> root with width and height" % path)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for t in texts:
        if t not in text:
            problems.append("%s: expected the text %r" % (path, t))


def plots_of(d):
    """The plots a run draws: link_utilisation only with link_series.csv."""
    if os.path.exists(os.path.join(d, "link_series.csv")):
        return PLOTS + ["link_utilisation"]
    return PLOTS


def check_report(path, problems, plots=PLOTS):
    try:
        with open(path, encoding="utf-8") as f:
            html = f.read()
    except OSError as e:
        problems.append("%s: %s" % (path, e))
        return
    if not html.startswith("<!DOCTYPE html>"):
        problems.append("%s: expected an HTML5 document" % path)
    for name in plots:
        m = re.search(r'<figure id="fig-%s">\s*<svg\b.*?</svg>' % name, html, re.S)
        if not m:
            problems.append("%s: plot %s is not inline as <svg> in its figure" % (path, name))
    if html.count("<svg") != len(plots):
        problems.append("%s: expected %d inline SVGs, found %d" % (path, len(plots), html.count("<svg")))
    if re.search(r"<script\b", html, re.I):
        problems.append("%s: contains a script" % path)
    for m in re.finditer(r'''(?:src|href)\s*=\s*["']?(https?:|//)''', html, re.I):
        problems.append("%s: fetches from the network: %s" % (path, html[m.start():m.start() + 60]))
    if re.search(r"<link\b|@import|url\(\s*['\"]?https?:", html, re.I):
        problems.append("%s: loads an external resource" % path)
    # ids must be unique on the page, as gnuplot's SVGs all use the same ones
    ids = re.findall(r'''\sid=["']([^"']+)["']''', html)
    dups = sorted({i for i in ids if ids.count(i) > 1})
    if dups:
        problems.append("%s: ids used more than once: %s" % (path, ", ".join(dups[:5])))


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip())
        return 2
    d = argv[1]
    formats = ["png", "svg"]
    report = True
    texts = {}
    i = 2
    while i < len(argv):
        if argv[i] == "--formats":
            formats = argv[i + 1].split(",")
            i += 2
        elif argv[i] == "--no-report":
            report = False
            i += 1
        elif argv[i] == "--svg-text":
            name, _, text = argv[i + 1].partition("=")
            texts.setdefault(name, []).append(text)
            i += 2
        else:
            print("check_plots.py: unknown argument %r" % argv[i])
            return 2
    problems = []
    plots = plots_of(d)
    for fmt in formats:
        if "link_utilisation" not in plots and os.path.exists(
                os.path.join(d, "plots", "link_utilisation.%s" % fmt)):
            problems.append("%s: link_utilisation drawn without link_series.csv" % d)
    for name in plots:
        for fmt in formats:
            p = os.path.join(d, "plots", "%s.%s" % (name, fmt))
            if not os.path.isfile(p) or os.path.getsize(p) == 0:
                problems.append("%s: missing or empty" % p)
            elif fmt == "png":
                check_png(p, problems)
            else:
                check_svg(p, problems, texts.get(name, []))
    if report:
        check_report(os.path.join(d, "report.html"), problems, plots)
    leftovers = [n for n in os.listdir(d) if n.startswith(".plots.") or n.startswith(".report")]
    if leftovers:
        problems.append("%s: temporary files left: %s" % (d, " ".join(leftovers)))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
