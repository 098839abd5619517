# node_status.gp: one lane per node (first at the top) coloured by the
# status the health monitor gave it; a crash fault drawn as a dark bar in
# the lane from the crash (x) to the recovery (triangle), so the time until
# the status turned OFFLINE is the detection latency. States other than
# ONLINE are drawn over it at least 1/300 of the axis wide, so a SYNCING
# of one 5 s check still shows. Set: tmax, has_crash, has_recovery,
# node_axis and the y tics; lanes_base.dat (ONLINE), lanes.dat (the rest),
# down.dat.
set title sprintf('Node status — %s', run_title)
set xlabel time_label
set ylabel node_axis
set xrange [0:tmax]
set yrange [nnodes-0.5:-0.5]
set grid xtics noytics
set key outside right top vertical reverse Left spacing 1.2
@key_place
set style fill solid 1.0 noborder
plot tmpdir.'/lanes_base.dat' using (($1+$2)/2):3:1:2:($3-0.36):($3+0.36):4 with boxxyerror lc rgb variable notitle, \
     tmpdir.'/lanes.dat' using (($1+$2)/2):3:1:2:($3-0.36):($3+0.36):4 with boxxyerror lc rgb variable notitle, \
     NaN with boxes lc rgb c_online title 'ONLINE', \
     NaN with boxes lc rgb c_degraded title 'DEGRADED', \
     NaN with boxes lc rgb c_syncing title 'SYNCING', \
     NaN with boxes lc rgb c_maintenance title 'MAINTENANCE', \
     NaN with boxes lc rgb c_offline title 'OFFLINE', \
     for [k=1:has_crash] tmpdir.'/down.dat' using (($1+$2)/2):3:1:2:($3-0.07):($3+0.07) with boxxyerror lc rgb '#1a1a1a' title 'node actually down', \
     for [k=1:has_crash] tmpdir.'/down.dat' using 1:3 with points pt 2 ps 1.5 lw 2.5 lc rgb '#1a1a1a' title 'crash', \
     for [k=1:has_recovery] tmpdir.'/down.dat' using ($4 > 0 ? $2 : NaN):3 with points pt 9 ps 1.5 lc rgb '#1a1a1a' title 'recovery'
