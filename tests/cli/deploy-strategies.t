# Deployment strategies spread, best_fit and worst_fit on 3 regions x 2 nodes,
# placements checked by hand; the load-time errors (no capable node, memory
# that fits no node, more replicas than fitting nodes) and a shortfall at run
# time (memory taken by an earlier deployment) written as NO_ELIGIBLE.
cat > s.json <<'J'
{
  "name": "strategies",
  "seed": 1,
  "duration": "1s",
  "regions": [{"id": "ra"}, {"id": "rb"}, {"id": "rc"}],
  "nodes": [
    {"id": "a1", "region": "ra", "memory_mb": 1024},
    {"id": "a2", "region": "ra", "memory_mb": 4096},
    {"id": "b1", "region": "rb", "memory_mb": 2048},
    {"id": "b2", "region": "rb", "memory_mb": 1000},
    {"id": "c1", "region": "rc", "memory_mb": 512},
    {"id": "c2", "region": "rc", "memory_mb": 8192, "capabilities": ["gpu"]}
  ],
  "functions": [
    {"id": "web", "memory_mb": 128, "exec_time": {"type": "constant", "value": "10ms"}},
    {"id": "big", "memory_mb": 1000, "exec_time": {"type": "constant", "value": "10ms"}},
    {"id": "wide", "memory_mb": 100, "exec_time": {"type": "constant", "value": "10ms"}},
    {"id": "ml", "memory_mb": 64, "capabilities": ["gpu"], "exec_time": {"type": "constant", "value": "10ms"}}
  ],
  "deployments": [
    {"function": "web", "strategy": "spread", "replicas": 3},
    {"function": "big", "strategy": "best_fit", "replicas": 2},
    {"function": "wide", "strategy": "worst_fit", "replicas": 2},
    {"function": "ml", "strategy": "spread", "replicas": 1}
  ]
}
J
"$EDGESIM" run s.json -o out -q
# web: one per region, the first (least loaded, earliest) node of each.
# big (1000 MB): free is a1 896, a2 4096, b1 1920, b2 1000 (exactly fits: the
# tightest), c1 384 (too small), c2 8192: best fit b2, then b1.
# wide: the emptiest c2 (8192), then a2 (4096).
cat > want <<'W'
time_s,function,node,strategy,result,invocations
0.000000000,web,a1,spread,ok,0
0.000000000,web,b1,spread,ok,0
0.000000000,web,c1,spread,ok,0
0.000000000,big,b2,best_fit,ok,0
0.000000000,big,b1,best_fit,ok,0
0.000000000,wide,c2,worst_fit,ok,0
0.000000000,wide,a2,worst_fit,ok,0
0.000000000,ml,c2,spread,ok,0
W
diff want out/placements.csv

# --set reaches the strategy: wide (100 MB) by best fit takes the tightest,
# c1 (384 free) then a1 (896); b2 is full (0 free)
"$EDGESIM" run s.json -o out2 -q --set 'deployments[2].strategy=best_fit'
grep -A1 '^0.000000000,wide,c1,best_fit,ok,0$' out2/placements.csv | grep -q '^0.000000000,wide,a1,best_fit,ok,0$' ||
    { cat out2/placements.csv; exit 1; }

# a shortfall at run time: memory taken by the deployment before
sed 's/"big", "memory_mb": 1000/"big", "memory_mb": 3000/; s/"wide", "memory_mb": 100/"wide", "memory_mb": 4000/' s.json > short.json
"$EDGESIM" run short.json -o out3 -q
# big 3000 best fit: a2 (4096) then c2 (8192); wide 4000 worst fit: c2 (5192 left), then none
grep -q '^0.000000000,wide,c2,worst_fit,ok,0$' out3/placements.csv
grep -q '^0.000000000,wide,,worst_fit,NO_ELIGIBLE,$' out3/placements.csv || { cat out3/placements.csv; exit 1; }

expect_err() { # PATTERN ARGS...
    pat=$1; shift
    set +e; "$EDGESIM" validate "$@" >/dev/null 2>err; rc=$?; set -e
    [ "$rc" -eq 2 ] || { echo "exit $rc: $*"; cat err; exit 1; }
    grep -q -- "$pat" err || { echo "expected /$pat/:"; cat err; exit 1; }
}
expect_err 'deployments\[3\].function: expected a function that some node registered at the start can run, found "ml"' \
    s.json --set 'nodes[5].capabilities=[]'
expect_err 'deployments\[1\].function: expected a function whose memory fits some capable node registered at the start, found "big" (9000 MB' \
    s.json --set 'functions[1].memory_mb=9000'
expect_err 'deployments\[1\].replicas: expected at most 5 replicas (the capable nodes with memory_mb for "big" at the start), found 6' \
    s.json --set 'deployments[1].replicas=6'
expect_err 'deployments\[0\].replicas: expected at most 6 replicas' s.json --set 'deployments[0].replicas=7'
expect_err 'deployments\[0\].strategy: expected one of all, nodes, least_loaded, spread, best_fit, worst_fit, found "spraed" (did you mean "spread"?)' \
    s.json --set 'deployments[0].strategy=spraed'
