# latency_cdf.gp: the CDF of the latency of ok invocations, all functions
# (thick, dark) and the busiest functions, on a log x axis; the run's p50
# and p99 marked on the overall curve, with their values above the plot.
# Set: nfn, fn_file[i], fn_title[i], fn_note, all_title, p50, p99,
# p50_text, p99_text, xmin, xmax and the x tics.
set title sprintf('Latency CDF of ok invocations — %s', run_title) offset 0, 1
set tmargin 5
set logscale x 10
set xrange [xmin:xmax]
set yrange [0:1]
set ytics 0.1 format '%.1f'
set grid xtics mxtics ytics lc rgb '#e4e4e4', lc rgb '#f4f4f4'
set xlabel 'latency (log scale)'
set ylabel 'fraction of ok invocations at or below'
set key outside right top vertical reverse Left spacing 1.3 samplen 3
@key_place
if (strlen(fn_note) > 0) { set key title fn_note left }

# the p50 value ends at its line, the p99 value starts at its: never on top of each other
set arrow 1 from p50, graph 0 to p50, graph 1 nohead dt 2 lw 1.2 lc rgb '#333333' back
set arrow 2 from p99, graph 0 to p99, graph 1 nohead dt 2 lw 1.2 lc rgb '#333333' back
set label 1 p50_text at p50, graph 1 right offset character -0.4, character 0.7 front font ',11'
set label 2 p99_text at p99, graph 1 left offset character 0.4, character 0.7 front font ',11'

plot tmpdir.'/cdf_0.dat' using 1:2 with lines lw 3.2 lc rgb '#1a1a1a' title all_title, \
     for [i=1:nfn] tmpdir.'/'.fn_file[i] using 1:2 with lines lw 1.8 lc rgb series[(i-1)%8+1] title fn_title[i], \
     tmpdir.'/cdf_0.dat' using 1:2 with lines lw 3.2 lc rgb '#1a1a1a' notitle, \
     tmpdir.'/cdf_marks.dat' using 1:2 with points pt 7 ps 1.3 lc rgb '#1a1a1a' notitle
