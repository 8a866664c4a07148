# ---- lines.gp: a measure against n, log-log ------------------------------
# Time per call or peak memory of each variant at each size. pdlab has set,
# above, the tics of both axes and:
#   data          blocks of lines "n y lo hi", one block per series: the
#                 nser measured series first, then nextra extrapolated ones
#                 (each starting at its variant's last measured point), then
#                 nheap Python-heap ones; y < 0 is a peak under one page,
#                 drawn at floor_y
#   ser_title[i], ser_lt[i]   key entry and line type of measured series i
#   extra_lt[j]               line type of extrapolated series j
#   heap_title[h], heap_lt[h] the same for Python-heap series h
#   xmin, xmax, ymin, ymax, xlabel_text, ylabel_text
#   floor_y       where peaks under a page sit (its tic says "< 4 KiB"),
#                 floor_break the axis' real start above it; NaN: no floor
#   errbars       1: draw lo..hi as error bars (the time chart's IQR)
#   limit_y       the workers' memory limit the lesson set, limit_text its
#                 label; NaN: none

set logscale xy
set xrange [xmin:xmax]
set yrange [ymin:ymax]
set xlabel xlabel_text noenhanced textcolor rgb '#333333'
set ylabel ylabel_text noenhanced textcolor rgb '#333333'
set key outside right top vertical Left reverse noenhanced samplen 3 \
    spacing 1.3 width 1 box lc rgb '#DDDDDD'
set bars small
extra_title = (nextra > 0) ? 'extrapolated' : ''
if (floor_y == floor_y) {
    set arrow from graph 0, first floor_break to graph 1, first floor_break \
        nohead lc rgb '#999999' dt 3 back
    set label 'resident set under one page' at graph 0.99, first floor_y \
        right offset 0, 0.8 font ',9' textcolor rgb '#777777' noenhanced
}
if (limit_y == limit_y) {
    set arrow from graph 0, first limit_y to graph 1, first limit_y \
        nohead lc rgb '#C0392B' dt 2 lw 1.5 front
    set label limit_text at graph 0.01, first limit_y left offset 0, 0.8 \
        font ',9' textcolor rgb '#C0392B' noenhanced
}
at_floor(y) = (y < 0) ? floor_y : y

if (errbars) {
    plot for [i = 1:nser] data index (i - 1) using 1:2:3:4 \
             with yerrorlines lt ser_lt[i] title ser_title[i] noenhanced, \
         for [j = 1:nextra] data index (nser + j - 1) using 1:2 \
             with linespoints lt extra_lt[j] dt 3 pt 6 ps 1.5 notitle, \
         NaN with linespoints lc rgb '#444444' lw 2 dt 3 pt 6 ps 1.5 \
             title extra_title
} else {
    plot for [i = 1:nser] data index (i - 1) using 1:(at_floor($2)) \
             with linespoints lt ser_lt[i] title ser_title[i] noenhanced, \
         for [h = 1:nheap] data index (nser + nextra + h - 1) using 1:2 \
             with linespoints lt heap_lt[h] dt (8,4,2,4) pt 12 ps 1.4 \
             title heap_title[h] noenhanced
}
@to_svg
