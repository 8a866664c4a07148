# ---- curves.gp: curves a lesson asked for, from its variants' results -----
# y against x for each series (precision and recall against the threshold,
# a fit's loss against seconds), with marked points. pdlab has set, above:
#   data          blocks of lines "x y", one per series
#   nser, ser_title[i], ser_lt[i]    key entry and line type of series i
#   nmarks, mark_x[m], mark_y[m], mark_label[m]   points to mark and name
#   logx, logy    1: that axis is logarithmic
#   xlabel_text, ylabel_text

if (logx) { set logscale x }
if (logy) { set logscale y }
set xlabel xlabel_text noenhanced textcolor rgb '#333333'
set ylabel ylabel_text noenhanced textcolor rgb '#333333'
set key outside right top vertical Left reverse noenhanced samplen 3 \
    spacing 1.3 width 1 box lc rgb '#DDDDDD'
do for [m = 1:nmarks] {
    set label m mark_label[m] at mark_x[m], mark_y[m] left offset char 1, char -0.8 \
        noenhanced font ',10' textcolor rgb '#222222' front
}
plot for [i = 1:nser] data index (i - 1) using 1:2 \
         with lines lt ser_lt[i] title ser_title[i] noenhanced, \
     for [m = 1:nmarks] '+' using (mark_x[m]):(mark_y[m]) every ::0::0 \
         with points pt 7 ps 1.8 lc rgb '#222222' notitle
@to_svg
