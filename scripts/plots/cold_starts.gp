# cold_starts.gp: cold starts per admitted arrival (arrivals less
# rejections) in each sample interval, with the run's overall rate dashed.
# Set: tmax, ymax, overall, have_overall, overall_text; faults_*.gp.
set title sprintf('Cold-start rate per sample interval — %s', run_title)
set xlabel time_label
set xrange [0:tmax]
set ylabel 'cold starts per admitted arrival (%)'
set yrange [0:ymax]
set key outside right top vertical reverse Left spacing 1.15
@key_place
load tmpdir.'/faults_shade.gp'
load tmpdir.'/faults_labels.gp'
plot tmpdir.'/cold.dat' using 1:2 with histeps lw 1.6 lc rgb '#0072B2' title 'cold-start rate', \
     for [k=1:have_overall] overall with lines dt 2 lw 1.4 lc rgb '#333333' title overall_text @fault_keys
