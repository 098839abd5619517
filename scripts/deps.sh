#!/usr/bin/env bash
# Installs the Debian packages edgesim builds, tests and plots with.
# Idempotent: installs only what is missing. As root it runs apt-get; otherwise
# it prints the exact command to run and exits 1 if anything is missing.
set -euo pipefail

pkgs=(build-essential pkg-config libgsl-dev libcjson-dev libssl-dev libcriterion-dev
      gnuplot-nox python3 python3-matplotlib python3-numpy python3-pandas python3-pytest
      valgrind hyperfine
      openmpi-bin libopenmpi-dev)  # the last two: `make MPI=1`, edgesim sweep --mpi

missing=()
for p in "${pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "deps.sh: all dependencies present"
    exit 0
fi

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    echo "deps.sh: missing: ${missing[*]}"
    echo "deps.sh: run as root: apt-get update && $cmd"
    exit 1
fi

echo "deps.sh: installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends ${missing[*]}
