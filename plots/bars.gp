# ---- bars.gp: horizontal bars on a log axis ------------------------------
# Speedups of a lesson's variants, the overview of all lessons, the ratios
# between two runs. pdlab has set, above:
#   data          one line per row: y from to lo hi linetype label_x note fill
#                 (label_x and note as in row_x and row_note)
#                 (y counts rows from the top; NaN: none; fill 1 solid,
#                 2 hatched = extrapolated; note 1: an empty slot whose
#                 label says why, e.g. "wrong")
#   nrows, row_name[y]      tick label of row y ('' for a group header)
#   row_label[y]            text right of the bar, or in the empty slot
#   row_x[y], row_note[y]   where the label starts (NaN: none); 1: it is the
#                           note of an empty slot (e.g. "wrong")
#   ngroups, group_name[g], group_y[g]   bold headers of groups of rows
#   lmargin_chars           room on the left for the names, in characters
#   xmin, xmax, xlabel_text, base_line (a dashed rule at x; NaN: none),
#   has_extrap, has_interval (whether to explain hatching and error bars)

set logscale x
set mxtics default
set xrange [xmin:xmax]
set yrange [nrows + 0.6 : 0.4]
set xlabel xlabel_text noenhanced textcolor rgb '#333333'
set grid noytics xtics
set border 1
set lmargin lmargin_chars
set ytics scale 0 font ',11'
set ytics ()
do for [i = 1:nrows] {
    if (strlen(row_name[i]) > 0) { set ytics add (row_name[i] i) }
}
do for [g = 1:ngroups] {
    set label group_name[g] at graph 0, first group_y[g] right \
        offset char -1, 0 font 'sans:Bold,11' noenhanced
    if (group_y[g] > 1) {
        set arrow from graph 0, first group_y[g] - 0.5 \
            to graph 1, first group_y[g] - 0.5 nohead lc rgb '#BBBBBB' back
    }
}
if (base_line == base_line) {
    set arrow from base_line, graph 0 to base_line, graph 1 nohead \
        lc rgb '#444444' dt 2 lw 1 front
}
# Labels as labels, not as a "with labels" plot: gnuplot reparses a string
# column there and cuts a label at a double quote.
do for [i = 1:nrows] {
    if (row_x[i] == row_x[i]) {
        if (row_note[i]) {
            set label row_label[i] at row_x[i], i left offset char 0.8, 0 \
                noenhanced font 'sans:Italic,11' textcolor rgb '#8B1A1A' front
        } else {
            set label row_label[i] at row_x[i], i left offset char 0.8, 0 \
                noenhanced textcolor rgb '#222222' front
        }
    }
}
if (has_extrap || has_interval) {
    set key below center horizontal Left reverse noenhanced samplen 2 width 3
} else {
    unset key
}

plot data using (($9 == 1) ? $3 : NaN):1:2:3:($1 - 0.34):($1 + 0.34):6 \
         with boxxyerror fs solid 0.85 border lc rgb '#333333' \
         lc variable dt 1 lw 1 notitle, \
     data using (($9 == 2) ? $3 : NaN):1:2:3:($1 - 0.34):($1 + 0.34):6 \
         with boxxyerror fs pattern 4 border lc rgb '#333333' \
         lc variable dt 1 lw 1 notitle, \
     data using (($4 == $4) ? $3 : NaN):1:4:5 with xerrorbars \
         lc rgb '#222222' dt 1 lw 1.2 pt -1 notitle, \
     NaN with boxes fs solid 0.85 border lc rgb '#333333' lc rgb '#8C8C8C' \
         dt 1 lw 1 title (has_extrap ? 'measured' : ''), \
     NaN with boxes fs pattern 4 border lc rgb '#333333' lc rgb '#8C8C8C' \
         dt 1 lw 1 title (has_extrap ? 'extrapolated, not measured' : ''), \
     NaN with lines lc rgb '#222222' dt 1 lw 1.2 \
         title (has_interval ? 'confidence interval' : '')
@to_svg
