# empty.gp: drawn instead of a plot that has no data, so every picture
# exists and says why it is empty. Set: plot_title, empty_message.
set title sprintf('%s — %s', plot_title, run_title)
unset border
unset tics
unset grid
set xrange [0:1]
set yrange [0:1]
set label 1 empty_message at graph 0.5, graph 0.5 center font ',13' textcolor rgb '#666666'
plot -1 notitle
