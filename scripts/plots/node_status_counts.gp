# node_status_counts.gp: node status for runs with too many nodes for one
# lane each: how many nodes are in each status other than ONLINE, stacked,
# over time; every other node is ONLINE (the subtitle gives the fewest ONLINE
# at any time). A black line counts the nodes actually down (inside a crash
# fault's window): OFFLINE lagging behind it is detection latency, OFFLINE
# above it false suspicion. Set: tmax, nnodes, maxlanes, ymax, ystep,
# least_online, has_crash; counts.dat (t, cumulative offline, +syncing,
# +degraded, +maintenance, online), down_count.dat (t, nodes down).
set title sprintf("Node status over time — %s\n%d nodes, shown as counts by status (one lane per node up to %d); at least %d always ONLINE", run_title, nnodes, maxlanes, least_online) font ',12'
set xlabel time_label
set xrange [0:tmax]
set ylabel 'nodes not ONLINE (stacked by status)'
set yrange [0:ymax]
set ytics ystep format '%.0f'
set key outside right top vertical reverse Left spacing 1.2
@key_place
set style fill solid 0.85 noborder
plot tmpdir.'/counts.dat' using 1:(0):2 with filledcurves lc rgb c_offline title 'OFFLINE', \
     '' using 1:2:3 with filledcurves lc rgb c_syncing title 'SYNCING', \
     '' using 1:3:4 with filledcurves lc rgb c_degraded title 'DEGRADED', \
     '' using 1:4:5 with filledcurves lc rgb c_maintenance title 'MAINTENANCE', \
     for [k=1:has_crash] tmpdir.'/down_count.dat' using 1:2 with lines lw 1.6 lc rgb '#1a1a1a' title 'nodes actually down (crash faults)'
