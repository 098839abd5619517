# busy_heatmap.gp: busy execution slots of every node (rows, in
# registration order, first at the top) over time (columns). Set: rows,
# cbmax, heat_tmax, heat_note, node_axis and the y tics.
set title sprintf("Busy slots per node — %s%s", run_title, strlen(heat_note) ? "\n".heat_note : '')
set xlabel time_label
set ylabel node_axis
set xrange [0:heat_tmax]
set yrange [rows-0.5:-0.5]
set cbrange [0:cbmax]
set cblabel 'busy slots'
set palette defined (0 '#f7f7f7', 0.12 '#fff3b0', 0.35 '#fdb863', 0.6 '#e66101', 0.85 '#b2182b', 1 '#4d0000')
set colorbox user origin graph 1.02, graph 0 size character 2, graph 1
set rmargin 12
set tics front
unset grid
unset key
plot tmpdir.'/heat.dat' using 1:2:3 with image
