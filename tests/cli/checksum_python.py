"""Checks `edgesim checksum` against Python's own json and hashlib.

Usage: python3 checksum_python.py EDGESIM [WORKDIR]

Generates documents as JSON *text* with a fixed seed (so a failure repeats),
in every shape the reader must handle: random doubles written every way a
literal can be written (random bit patterns, subnormals, every power of two
from 2^-1074 to 2^1023 and its neighbours, exact midpoints between adjacent
doubles, long mantissas beyond cJSON's 63 characters, overflow to infinity,
NaN and Infinity), integers up to 1200 digits, -0, random Unicode strings
written raw or escaped (surrogate pairs, lone surrogates, \\u0000, DEL,
controls), repeated keys, nesting, and random white space. The reference is
exactly what the issue names:
    json.dumps(json.load(open(FILE)), sort_keys=True)  and its md5 / sha256.
Then it mutates documents (a byte deleted, inserted, replaced; a BOM) and
checks that edgesim accepts exactly what Python accepts: same canonical text
when Python reads it, exit 2 and one FILE:LINE:COL line when Python fails,
at the same line and column for the errors whose position both define.

Only the standard library. CHECKSUM_DOCS scales the number of documents
(default 300, plus as many mutants),
CHECKSUM_SEED changes the seed. Prints one summary line; exits 1 on the
first disagreement, leaving the document in WORKDIR.
"""
import hashlib
import json
import os
import random
import re
import struct
import subprocess
import sys
from fractions import Fraction

EDGESIM = sys.argv[1]
WORK = sys.argv[2] if len(sys.argv) > 2 else "."
N_DOCS = int(os.environ.get("CHECKSUM_DOCS", "300"))
rng = random.Random(int(os.environ.get("CHECKSUM_SEED", "20240611")))
stats = {"docs": 0, "mutants_ok": 0, "mutants_bad": 0, "floats": 0, "ints": 0, "strings": 0}


def fail(msg, path=None):
    print("MISMATCH: " + msg + (f" (document kept in {path})" if path else ""))
    sys.exit(1)


# ---- number literals ------------------------------------------------------

def bits_to_float(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def float_to_bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def exact_decimal(fr):
    """An exact decimal literal for a Fraction whose denominator is 2^k."""
    neg = fr < 0
    fr = abs(fr)
    k = 0
    while fr.denominator % 2 == 0 and fr.denominator > 1:
        fr *= 10
        k += 1
    assert fr.denominator == 1
    digits = str(fr.numerator).rjust(k + 1, "0")
    s = digits[: len(digits) - k] + ("." + digits[len(digits) - k:] if k else ".0")
    return ("-" if neg else "") + s


def float_literal(x):
    """x written as one of the many valid JSON literals of it."""
    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "Infinity" if x > 0 else "-Infinity"
    form = rng.randrange(6)
    if form == 0:
        s = repr(x)
    elif form == 1:
        s = "%.17g" % x
    elif form == 2:
        s = "%.*e" % (rng.randrange(16, 30), x)
    elif form == 3:
        s = exact_decimal(Fraction(x))  # can be 1000+ digits
    elif form == 4:
        s = "%.*E" % (rng.randrange(1, 18), x)  # rounded: not always x itself
    else:
        s = repr(x)
        if "e" in s:
            m, e = s.split("e")
            s = m + rng.choice("eE") + rng.choice(["", "+"] if int(e) >= 0 else [""]) + str(int(e))
    if "." not in s and "e" not in s.lower():
        s += ".0"  # keep it a float literal
    s = s.replace("e+0", "e+").replace("e-0", "e-")
    if s.startswith("inf") or s.startswith("-inf") or "nan" in s:
        return repr(x)
    return s


def random_double():
    r = rng.random()
    if r < 0.35:
        x = bits_to_float(rng.getrandbits(64))
    elif r < 0.45:
        x = bits_to_float(rng.getrandbits(52) | (rng.getrandbits(1) << 63))  # subnormal
    elif r < 0.55:
        x = rng.choice([-1, 1]) * 2.0 ** rng.randrange(-1074, 1024)
        x = bits_to_float(float_to_bits(x) + rng.choice([-1, 0, 1])) if x else x
    elif r < 0.65:
        x = float(rng.randrange(-10**6, 10**6)) * 10.0 ** rng.randrange(-30, 30)
    elif r < 0.75:
        x = rng.choice([0.0, -0.0, 1.0, 0.1, 0.5, 1e16, 1e-5, 1e-4, 9999999999999998.0, 1e22, 1e23,
                        5e-324, 1.7976931348623157e308, 2.2250738585072014e-308, 0.1 + 0.2])
    else:
        x = rng.uniform(-1, 1) * 10.0 ** rng.randrange(-20, 20)
    return x


def midpoint_literal():
    """The exact decimal halfway between two adjacent doubles: a reader must
    round it to the even one (and Python's float() does)."""
    while True:
        b = rng.getrandbits(63)
        x = bits_to_float(b)
        if x == x and x != float("inf") and bits_to_float(b + 1) != float("inf"):
            break
    mid = (Fraction(x) + Fraction(bits_to_float(b + 1))) / 2
    return exact_decimal(mid * rng.choice([1, -1]))


def number_literal():
    r = rng.random()
    stats["floats" if r >= 0.3 else "ints"] += 1
    if r < 0.3:
        kind = rng.randrange(5)
        if kind == 0:
            return str(rng.randrange(-1000, 1000))
        if kind == 1:
            return rng.choice(["0", "-0", "9007199254740993", "18446744073709551616",
                               "-9223372036854775809", "9223372036854775807"])
        if kind == 2:
            return str(rng.getrandbits(rng.randrange(54, 4000)) * rng.choice([1, -1]))
        return str(rng.getrandbits(rng.randrange(1, 64)) * rng.choice([1, -1]))
    if r < 0.36:
        return midpoint_literal()
    if r < 0.40:
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randrange(1, 120)))
        lit = rng.choice(["", "-"]) + rng.choice("123456789") + digits
        if rng.random() < 0.7:
            lit += "." + "".join(rng.choice("0123456789") for _ in range(rng.randrange(1, 90)))
        if rng.random() < 0.6:
            lit += rng.choice("eE") + rng.choice(["", "+", "-"]) + str(rng.randrange(0, 400))
        return lit
    if r < 0.42:
        return rng.choice(["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400", "-1e-400",
                           "1E309", "0e0", "-0.0", "0.0e-0"])
    return float_literal(random_double())


# ---- strings ----------------------------------------------------------------

def random_text():
    n = rng.choice([0, 1, 2, 5, 10, 30])
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.45:
            out.append(chr(rng.randrange(0x20, 0x7F)))
        elif r < 0.55:
            out.append(rng.choice('"\\/\b\f\n\r\t\x7f\x00\x01\x1f'))
        elif r < 0.8:
            out.append(chr(rng.randrange(0x80, 0x10000)))  # surrogates included
        else:
            out.append(chr(rng.randrange(0x10000, 0x110000)))
    return "".join(out)


SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def u_escape(cp):
    return "\\u" + ("%04x" if rng.random() < 0.5 else "%04X") % cp


def string_literal(s):
    stats["strings"] += 1
    out = ['"']
    for ch in s:
        cp = ord(ch)
        if ch in SHORT:
            out.append(SHORT[ch] if rng.random() < 0.7 else u_escape(cp))
        elif cp < 0x20 or 0xD800 <= cp <= 0xDFFF:
            out.append(u_escape(cp))  # must be escaped (a surrogate cannot be UTF-8)
        elif ch == "/" and rng.random() < 0.5:
            out.append("\\/")
        elif cp >= 0x10000 and rng.random() < 0.4:
            v = cp - 0x10000
            out.append(u_escape(0xD800 + (v >> 10)) + u_escape(0xDC00 + (v & 0x3FF)))
        elif cp >= 0x80 and rng.random() < 0.3:
            out.append(u_escape(cp))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


# ---- documents --------------------------------------------------------------

def ws():
    if rng.random() < 0.6:
        return ""
    return "".join(rng.choice(" \t\n\r") for _ in range(rng.randrange(1, 4)))


def value_text(depth):
    r = rng.random() * (0.45 if depth == 0 else 1)  # the top is a container
    if depth < 6 and r < 0.25:
        n = rng.randrange(0, 8)
        keys = [random_text() for _ in range(n)]
        if n and rng.random() < 0.3:
            keys.append(rng.choice(keys))  # a repeated key: the last one wins
        items = [ws() + string_literal(k) + ws() + ":" + ws() + value_text(depth + 1)
                 + ws() for k in keys]
        return "{" + ",".join(items) + ws() + "}" if items else "{" + ws() + "}"
    if depth < 6 and r < 0.45:
        n = rng.randrange(0, 8)
        items = [ws() + value_text(depth + 1) + ws() for _ in range(n)]
        return "[" + ",".join(items) + "]" if items else "[" + ws() + "]"
    if r < 0.7:
        return number_literal()
    if r < 0.92:
        return string_literal(random_text())
    return rng.choice(["true", "false", "null"])


def documents():
    """(name, text) pairs: the special float documents, then random ones."""
    pows = []
    for e in range(-1074, 1024):
        x = 2.0 ** e
        for y in (x, bits_to_float(float_to_bits(x) - 1), bits_to_float(float_to_bits(x) + 1)):
            if y != float("inf"):
                pows.append(float_literal(y))
    stats["floats"] += len(pows)
    yield "powers_of_two", "[" + ", ".join(pows) + "]"
    bits = [float_literal(bits_to_float(rng.getrandbits(64))) for _ in range(20000)]
    stats["floats"] += len(bits)
    yield "random_bits", "[" + ",".join(bits) + "]"
    subs = [float_literal(bits_to_float(rng.getrandbits(52))) for _ in range(3000)]
    stats["floats"] += len(subs)
    yield "subnormals", "[" + ",".join(subs) + "]"
    mids = [midpoint_literal() for _ in range(2000)]
    stats["floats"] += len(mids)
    yield "midpoints", "[" + ",".join(mids) + "]"
    ints = [str(rng.getrandbits(rng.randrange(1, 1500)) * rng.choice([1, -1])) for _ in range(1000)]
    stats["ints"] += len(ints)
    yield "big_ints", "[" + ",".join(ints) + "]"
    for i in range(N_DOCS):
        yield "doc%03d" % i, ws() + value_text(0) + ws()


def python_reads(path):
    """(canonical text, None) or (None, exception) as json.load sees the file."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        return json.dumps(data, sort_keys=True), None
    except (ValueError, RecursionError) as e:  # JSONDecodeError, UnicodeDecodeError
        return None, e


def run(*args):
    return subprocess.run([EDGESIM, "checksum", *args], capture_output=True)


def check_accepted(path, canon, also_digests):
    p = run("--canonical", path)
    if p.returncode != 0:
        fail(f"{path}: Python reads it, edgesim exits {p.returncode}: {p.stderr.decode()!r}", path)
    got = p.stdout.decode("ascii", "replace")
    if got != canon + "\n":
        i = next((k for k in range(min(len(got), len(canon))) if got[k] != canon[k]), None)
        i = i if i is not None else min(len(got), len(canon))
        fail(f"{path}: canonical text differs at {i}: edgesim {got[max(0, i-40):i+40]!r} "
             f"python {canon[max(0, i-40):i+40]!r}", path)
    if also_digests:
        for algo, fn in (("md5", hashlib.md5), ("sha256", hashlib.sha256)):
            want = fn(canon.encode()).hexdigest()
            p = run("--algorithm", algo, path) if algo != "md5" else run(path)
            if p.returncode != 0 or p.stdout.decode().strip() != want:
                fail(f"{path}: {algo} {p.stdout.decode().strip()} != python {want}", path)


# Python messages whose position is where edgesim reports too.
SAME_POSITION = re.compile(r"^(Expecting|Invalid control character|Invalid \\escape|Extra data)")


def check_rejected(path, err):
    p = run(path)
    lines = p.stderr.decode("utf-8", "replace").splitlines()
    if p.returncode != 2 or len(lines) != 1 or p.stdout:
        fail(f"{path}: Python fails ({err}), edgesim exits {p.returncode} with {lines!r}", path)
    m = re.match(r"^(.*):(\d+):(\d+): expected .+, found .+$", lines[0])
    if not m or m.group(1) != path:
        fail(f"{path}: error line not FILE:LINE:COL: expected ..., found ...: {lines[0]!r}", path)
    # one convention differs on purpose: for '-' without a digit Python points
    # at the '-', edgesim at where the digit should be
    if isinstance(err, json.JSONDecodeError) and SAME_POSITION.match(err.msg) \
            and "a digit after '-'" not in lines[0] \
            and (int(m.group(2)), int(m.group(3))) != (err.lineno, err.colno):
        fail(f"{path}: Python says {err}, edgesim says {lines[0]!r}", path)


# Bytes, not characters: a mutant may well not be UTF-8 any more.
MUTATION_BYTES = b'{}[],:"\\0-.eE+ tfnxNI\x00\x01\x7f\xff\xc0\x80\xed\xc3\xa9'


def mutate(data):
    if rng.random() < 0.02:
        return b"\xef\xbb\xbf" + data  # a byte order mark
    i = rng.randrange(len(data) + 1)
    op = rng.randrange(3)
    if op == 0 and data:
        i = min(i, len(data) - 1)
        return data[:i] + data[i + 1:]
    c = MUTATION_BYTES[rng.randrange(len(MUTATION_BYTES)):][:1]
    if op == 1:
        return data[:i] + c + data[i:]
    return data[:i] + c + data[i + 1:]


def main():
    docs = list(documents())
    for k, (name, text) in enumerate(docs):
        path = os.path.join(WORK, name + ".json")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        canon, err = python_reads(path)
        if canon is None:
            fail(f"{path}: the generator wrote a document Python cannot read: {err}", path)
        check_accepted(path, canon, also_digests=True)
        stats["docs"] += 1
        os.remove(path)
    small = [t for _, t in docs[5:] if len(t) < 20000]
    for k in range(len(small)):
        data = mutate(rng.choice(small).encode("utf-8"))
        path = os.path.join(WORK, "mutant%03d.json" % k)
        with open(path, "wb") as f:
            f.write(data)
        canon, err = python_reads(path)
        if canon is not None:
            check_accepted(path, canon, also_digests=False)
            stats["mutants_ok"] += 1
        else:
            check_rejected(path, err)
            stats["mutants_bad"] += 1
        os.remove(path)
    print("checksum vs python: {docs} documents ({floats} float, {ints} integer literals, "
          "{strings} strings) byte-identical with matching md5 and sha256; {mutants_ok} mutants "
          "read alike, {mutants_bad} rejected by both".format(**stats))


main()
