# latency_over_time.gp: p50, p95 and p99 of the ok invocations of each
# sample interval; fault and load-spike windows shaded and labelled above
# the plot. Set: tmax, lunit, logy, ymin, ymax; faults_*.gp in tmpdir.
set title sprintf('Latency percentiles per sample interval — %s', run_title)
set xlabel time_label
set xrange [0:tmax]
set ylabel sprintf('latency (%s%s)', lunit, logy ? ', log scale' : '')
if (logy) { set logscale y 10 }
set yrange [ymin:ymax]
set key outside right top vertical reverse Left spacing 1.15
@key_place
load tmpdir.'/faults_shade.gp'
load tmpdir.'/faults_labels.gp'
plot tmpdir.'/latency_time.dat' using 1:4 with lines lw 1.8 lc rgb '#D55E00' title 'p99', \
     '' using 1:3 with lines lw 1.6 lc rgb '#E69F00' title 'p95', \
     '' using 1:2 with lines lw 1.8 lc rgb '#0072B2' title 'p50' @fault_keys
