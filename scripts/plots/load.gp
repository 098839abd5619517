# load.gp: offered and served load per second (top), and what was turned
# away or failed (bottom, its own scale: usually far smaller), with fault
# windows shaded. Set: tmax, top_max, bottom_max; faults_*.gp in tmpdir.
set multiplot
# fixed side margins, so that the two panels' time axes line up
set lmargin 11
set rmargin rmargin_side
set xrange [0:tmax]
load tmpdir.'/faults_shade.gp'

# top: arrivals and completions
load tmpdir.'/faults_labels.gp'
set origin 0, 0.42
set size 1, 0.58
set bmargin 1
set title sprintf('Load — %s', run_title)
set format x ''
set ylabel compact ? 'per second' : 'invocations per second'
set yrange [0:top_max]
set key outside right top vertical reverse Left spacing 1.15
# compact: two short panels leave no room below; the legends go inside
if (compact) { set key inside left top vertical reverse Left samplen 2 spacing 0.9 opaque }
plot tmpdir.'/load.dat' using 1:2 with lines lw 2 lc rgb '#0072B2' title 'arrivals', \
     '' using 1:3 with lines lw 1.6 dt 2 lc rgb '#009E73' title 'completions' @fault_keys

# bottom: rejections and failures
unset label
unset title
set tmargin 1
set bmargin 4
set origin 0, 0
set size 1, 0.42
set format x '%g'
set xlabel time_label
set ylabel compact ? 'per second' : 'invocations per second'
set yrange [0:bottom_max]
# a short panel: two or three round tics
if (compact) { s_ = 10**floor(log10(bottom_max / 2.5)); set ytics s_ * ceil(bottom_max / 2.5 / s_) }
plot tmpdir.'/load.dat' using 1:4 with lines lw 1.8 lc rgb '#E69F00' title 'rejections', \
     '' using 1:5 with lines lw 1.8 lc rgb '#D62728' title 'failures'
unset multiplot
