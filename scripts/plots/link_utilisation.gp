# link_utilisation.gp: utilisation of the busiest links (by mean over the
# run) in each sample interval, as steps, with fault windows shaded.
# Set: tmax, nlinks, link1..link5 (their ids), ytop (105 when a link comes
# near half full, else a 1-2-5 step above the peak); tmpdir/linkN.dat hold
# "time utilisation%" pairs, two per interval.
set title sprintf('Utilisation of the busiest links — %s', run_title)
set xlabel time_label
set xrange [0:tmax]
set ylabel 'utilisation (% of capacity)'
set yrange [0:ytop]
set key outside right top vertical reverse Left spacing 1.15
@key_place
load tmpdir.'/faults_shade.gp'
load tmpdir.'/faults_labels.gp'
array link_rgb[5] = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00']
array link_id[5] = [link1, exists('link2') ? link2 : '', exists('link3') ? link3 : '', \
                    exists('link4') ? link4 : '', exists('link5') ? link5 : '']
plot for [i=1:nlinks] tmpdir.'/link'.i.'.dat' using 1:2 with lines lw 1.8 \
     lc rgb link_rgb[i] title link_id[i] @fault_keys
