# sweep --mpi: under `mpirun --oversubscribe -np 3` (rank 0 hands out runs,
# ranks 1 and 2 run them) runs.csv and aggregate.csv are the same bytes as
# with -j 2; a failed run is exit 1 naming it. Needs an MPI build
# ($EDGESIM_MPI, which `make test` provides when mpicc is present) and
# mpirun; skipped otherwise. The default build refuses --mpi with one line.
root=$(cd "$T/../.." && pwd)
sw=$root/scenarios/sweeps/policies.json
set +e
"$EDGESIM" sweep "$sw" -q --mpi -o none 2>err; rc=$?
set -e
if [ $rc -eq 2 ]; then
    grep -q "^edgesim sweep: --mpi: this edgesim was built without MPI" err
fi
mpi=${EDGESIM_MPI:-}
if [ -z "$mpi" ] || [ ! -x "$mpi" ] || ! command -v mpirun >/dev/null 2>&1; then
    echo "sweep-mpi.t: skipped (no MPI build in \$EDGESIM_MPI or no mpirun)"
    exit 0
fi
# Open MPI refuses root without these; harmless otherwise
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
"$EDGESIM" sweep "$sw" -q -j 2 -o j2
mpirun --oversubscribe -np 3 "$mpi" sweep "$sw" -q --mpi -o m3
cmp j2/runs.csv m3/runs.csv
cmp j2/aggregate.csv m3/aggregate.csv
[ -f m3/runs/s000-c0002/rep-4/summary.json ]
# one rank alone runs everything itself
mpirun --oversubscribe -np 1 "$mpi" sweep "$sw" -q --mpi -o m1
cmp j2/runs.csv m1/runs.csv
# a run that fails: exit 1 from rank 0, naming the first failed run
# (a policy plugin answering past the candidates, found while the run
# goes); nothing is published: the folder keeps the earlier complete sweep
root=$(cd "$T/../.." && pwd)
cc -fPIC -shared -I"$root/core" "$T/range-plugin.c" -o range.so
cat > gfail-s.json <<'J'
{"duration": "2m", "regions": [{"id": "r"}], "nodes": [{"id": "n1", "region": "r"}],
 "functions": [{"id": "f", "exec_time": {"type": "constant", "value": "10ms"}}],
 "deployments": [{"function": "f", "strategy": "all"}],
 "workloads": [{"function": "f", "region": "r", "arrival": "constant", "interval": "1s"}],
 "policies": {"scheduler": {"plugin": "range.so"}}}
J
printf '{"scenarios": ["gfail-s.json"], "replications": 3}' > gfail.json
cp -r m1 failing
set +e
mpirun --oversubscribe -np 3 "$mpi" sweep gfail.json -q --mpi --allow-plugins -o failing > out 2>&1; rc=$?
set -e
[ $rc -ne 0 ] || { cat out; exit 1; }
grep -q "the first in run order being failing/runs/s000-c0000/rep-0" out || { cat out; exit 1; }
diff -r m1 failing
[ -z "$(ls -A . | grep '^\.failing\.')" ] || { echo "temporary folder left"; ls -A; exit 1; }
