#!/usr/bin/env bash
# Installs the Debian packages edgesim builds, tests, plots and fuzzes with.
# Idempotent: installs only what is missing. As root it runs apt-get; otherwise
# it prints the exact command to run and exits 1 if anything is missing.
#
#   scripts/deps.sh          install what is missing (as root: sudo scripts/deps.sh)
#   scripts/deps.sh --check  print the missing packages `make`, `make run` and
#                            `make test` need, one line, and exit 1; exit 0
#                            silently when none is (the Makefile asks this first)
set -euo pipefail

# what `make`, `make run` and `make test` need
needed=(build-essential pkg-config libgsl-dev libcjson-dev libssl-dev libcriterion-dev
        gnuplot-nox python3 python3-matplotlib python3-numpy python3-pandas python3-pytest)
# the other targets: make valgrind, make bench (its network part runs the same
# flows through SimGrid, built with g++ against libsimgrid-dev; its routing
# part runs the same model in SimPy, python3-simpy), make MPI=1
# (edgesim sweep --mpi), make fuzz (clang's libFuzzer runtime is in
# libclang-rt-14-dev); the Python tests build a decimal-comma locale from the
# definitions in locales (tests/python/test_locale.py)
extra=(valgrind hyperfine g++ libsimgrid-dev python3-simpy openmpi-bin libopenmpi-dev clang libclang-rt-14-dev
       locales)

# The packages of "$@" that are not installed, one dpkg-query for all.
missing_of() {
    local installed
    # dpkg-query exits 1 when any of them is unknown to dpkg (never installed):
    # under set -e and pipefail that would end this function before it said
    # anything, and a machine missing everything would look complete
    installed=$(dpkg-query -W -f='${Package} ${Status}\n' "$@" 2>/dev/null |
                awk '$NF == "installed" && $(NF-1) == "ok" { sub(/:.*/, "", $1); print $1 }' ||
                true)
    for p in "$@"; do
        grep -qx -- "$p" <<<"$installed" || echo "$p"
    done
}

if [ "${1:-}" = --check ]; then
    # not Debian: nothing to say here; the Makefile's pkg-config check speaks
    command -v dpkg-query >/dev/null 2>&1 || exit 0
    mapfile -t missing < <(missing_of "${needed[@]}")
    [ ${#missing[@]} -eq 0 ] && exit 0
    echo "${missing[*]}"
    exit 1
fi

mapfile -t missing < <(missing_of "${needed[@]}" "${extra[@]}")
if [ ${#missing[@]} -eq 0 ]; then
    echo "deps.sh: all dependencies present"
    exit 0
fi

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    echo "deps.sh: missing: ${missing[*]}"
    echo "deps.sh: run as root: sudo scripts/deps.sh (it runs apt-get update && $cmd)"
    exit 1
fi

echo "deps.sh: installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends ${missing[*]}
