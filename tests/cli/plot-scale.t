# The plots stay useful at 1,000 nodes: the status plot switches from one
# lane per node to counts by status and says so, the heat map averages
# neighbouring nodes into rows and names regions instead of nodes. The run
# is generated here (tests/fixtures/make-sample-run.py, python3 standard
# library). Skipped without gnuplot or python3.
command -v gnuplot >/dev/null || { echo "no gnuplot: skipped"; exit 0; }
command -v python3 >/dev/null || { echo "no python3: skipped"; exit 0; }
python3 "$T/../fixtures/make-sample-run.py" big --nodes 1000 --seed 5
"$EDGESIM" plot big --quiet
python3 "$T/check_plots.py" big \
    --svg-text 'node_status=1000 nodes, shown as counts by status (one lane per node up to 60)' \
    --svg-text 'node_status=nodes actually down (crash faults)' \
    --svg-text 'busy_heatmap=each row: mean of 3 consecutive nodes' \
    --svg-text 'busy_heatmap=node (registration order: 1000 nodes by region)' \
    --svg-text 'busy_heatmap=us-east'
# no per-node tick labels at this size
! grep -q '>eu-0001<' big/plots/busy_heatmap.svg
! grep -q '>eu-0001<' big/plots/node_status.svg

# 60 nodes still get a lane each, 61 do not
python3 "$T/../fixtures/make-sample-run.py" n60 --nodes 60 --duration 240 --sample 4
python3 "$T/../fixtures/make-sample-run.py" n61 --nodes 61 --duration 240 --sample 4
"$EDGESIM" plot n60 --quiet
"$EDGESIM" plot n61 --quiet
grep -q '>eu-0001<' n60/plots/node_status.svg
grep -q 'shown as counts by status' n61/plots/node_status.svg
! grep -q 'shown as counts by status' n60/plots/node_status.svg
# a 4-minute run has its time axes in seconds
grep -q 'time (s)' n60/plots/load.svg
