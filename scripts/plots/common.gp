# common.gp: the house style of every edgesim plot, loaded before each
# plot's own script. The program sets before it: the terminal and output,
# run_title ("quickstart · least_loaded · seed 42"), tunit (the x axes'
# unit of time), tmpdir (where the data files are), compact (1 for a
# single-column figure: edgesim plot --size column); after it, the plot's
# own variables and the macro fault_keys (legend entries for fault kinds).
set encoding utf8
set border 3 front lc rgb '#4d4d4d' lw 1
set tics nomirror out scale 0.6 textcolor rgb '#333333'
set grid back lc rgb '#e4e4e4' lw 1 dt solid
set key noautotitle textcolor rgb '#333333'
set title font (compact ? ',9' : ',14') textcolor rgb '#111111'
set xlabel textcolor rgb '#333333'
set ylabel textcolor rgb '#333333'
set style textbox opaque noborder fillcolor rgb 'white' margins 1.5,1

# Series colours (Okabe-Ito: told apart by colour-blind readers too).
array series[8] = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#999933', '#882255']

# Node status colours, the same everywhere.
c_online = '#2ca02c'
c_degraded = '#f2a900'
c_syncing = '#1f77b4'
c_maintenance = '#9e9e9e'
c_offline = '#d62728'

time_label = sprintf('time (%s)', tunit)

# A plot's scripts put its legend beside it, then call @key_place: in a
# compact (single-column) figure the legend goes below, where it costs no
# width, and side margins kept for a legend shrink to rmargin_side.
key_place = compact ? "set key below center horizontal Left reverse spacing 1 samplen 2 width -2" : ""
rmargin_side = compact ? 3 : 30
