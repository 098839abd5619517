# Set-up is `make run` / `make test` alone (README, "Set-up"): a missing
# Debian package is installed by scripts/deps.sh when make runs as root, and
# otherwise make stops naming the one command to run. Builds are parallel by
# default unless -j or MAKEFLAGS says otherwise, and print one short line a
# target (V=1: the full command). dpkg-query, id and apt-get are stand-ins
# here, so nothing is installed; `make -n` builds nothing.
root=$(cd "$T/../.." && pwd)
mkdir fake
cat > fake/dpkg-query <<'SH'
#!/bin/sh
# every package installed but libcriterion-dev, which dpkg has never seen: as
# the real one, it says so on stderr and exits 1 (deps.sh once read that exit
# as the end of its list and reported a bare machine complete)
rc=0
for p in "$@"; do
    case $p in
    -*) continue ;;
    libcriterion-dev) echo "dpkg-query: no packages found matching $p" >&2; rc=1 ;;
    *) echo "$p install ok installed" ;;
    esac
done
exit $rc
SH
printf '#!/bin/sh\necho "$FAKE_UID"\n' > fake/id
printf '#!/bin/sh\necho "$*" >> "$APT_LOG"\nexit ${APT_RC:-0}\n' > fake/apt-get
chmod +x fake/*
mk() { env -i PATH="$PWD/fake:$PATH" HOME="${HOME:-/}" APT_LOG="$PWD/apt.log" "$@"; }

# not root: stop before building anything, with the command to run
if mk FAKE_UID=1000 make -C "$root" -n run >out 2>err; then
    echo "make went on with a package missing"; cat out err; exit 1
fi
grep -q 'missing libcriterion-dev: run  sudo scripts/deps.sh' err || { cat err; exit 1; }
[ ! -e apt.log ]

# root: deps.sh installs exactly what is missing, then make goes on
mk FAKE_UID=0 make -C "$root" -n run >out 2>err || { cat out err; exit 1; }
grep -q 'deps: installing libcriterion-dev' out || { cat out; exit 1; }
grep -qx 'update -qq' apt.log
grep -qx 'install -y -qq --no-install-recommends libcriterion-dev' apt.log || { cat apt.log; exit 1; }
grep -q 'edgesim run scenarios/quickstart.json' out

# root, and apt-get fails: make stops
if mk FAKE_UID=0 APT_RC=100 make -C "$root" -n run >out 2>err; then
    echo "make went on after deps.sh failed"; exit 1
fi
grep -q 'scripts/deps.sh failed' err || { cat err; exit 1; }

# all present: deps.sh --check is silent and make does not call apt-get
rm -f apt.log
env -i PATH="$PATH" bash "$root/scripts/deps.sh" --check >out 2>&1
[ ! -s out ]

# -j: the CPU count by default; a -j on the command line or in MAKEFLAGS wins
printf 'show-jobs:\n\t@echo "$(filter -j%%,$(MAKEFLAGS))"\n' > show.mk
jobs() { env -i PATH="$PATH" HOME="${HOME:-/}" "$@" -s -C "$root" -f Makefile -f "$PWD/show.mk" show-jobs; }
[ "$(jobs make)" = "-j$(nproc)" ] || { echo "default: $(jobs make)"; exit 1; }
[ "$(jobs make -j1)" = "-j1" ]
[ "$(jobs make -j3)" = "-j3" ]
[ "$(env MAKEFLAGS=-j1 sh -c 'env -i PATH="$PATH" MAKEFLAGS=-j1 make -s -C "$0" -f Makefile -f "$1" show-jobs' "$root" "$PWD/show.mk")" = "-j1" ]

# one short line a target; V=1 the command; -s nothing
here=$PWD
build() { (cd "$root" && env -i PATH="$PATH" HOME="${HOME:-/}" make BUILD="$here/b" "$@" "$here/b/core/time.o"); }
got=$(build)
[ "$got" = "  CC  core/time.c" ] || { echo "got: $got"; exit 1; }
rm -rf b
build V=1 > v.out
grep -q '^cc .* -c core/time.c -o ' v.out || { cat v.out; exit 1; }
rm -rf b
[ -z "$(build -s)" ]
[ -f b/core/time.o ]
