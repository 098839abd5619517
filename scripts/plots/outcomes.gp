# outcomes.gp: how every invocation ended, by reason: ok in green,
# failures in reds, rejections in oranges; counts and shares on the bars.
# Log scale, because ok is usually orders of magnitude above the rest.
# Set: nout, ymax, total_text.
set title sprintf('Outcomes by reason — %s', run_title)
set logscale y 10
set yrange [0.8:ymax]
set xrange [-0.6:nout-0.4]
set format y '%.0s%c'
set ylabel 'invocations (log scale)'
set xlabel sprintf('outcome (%s invocations in all)', total_text)
set grid noxtics ytics
set xtics scale 0
set boxwidth 0.62
set style fill solid 0.9 noborder
set key top right reverse Left box lt 1 lc rgb '#cccccc' spacing 1.2
plot tmpdir.'/outcomes.dat' using 1:3:5:xtic(2) with boxes lc rgb variable notitle, \
     '' using 1:($3 > 1 ? $3 : 1):4 with labels offset 0, character 0.8 font ',10' notitle, \
     NaN with boxes lc rgb '#2ca02c' title 'ok', \
     NaN with boxes lc rgb '#d62728' title 'failed (node_crash, timeout, handler_error)', \
     NaN with boxes lc rgb '#ff7f0e' title 'rejected (no_eligible_node, queue_full, no_capacity)'
