# ---- common.gp: the look every pdlab chart shares ----------------------
# pdlab has set, above: png_out, svg_out (file names), chart_w, chart_h
# (pixels), title_text and title_lines (its lines). Lesson text reaches this
# script only as single-quoted strings (no backtick or macro substitution
# inside them) and is shown noenhanced, so _ ^ { } @ & print as themselves.

set encoding utf8
set terminal pngcairo size chart_w, chart_h font 'sans,11' noenhanced \
    background rgb 'white' linewidth 1.2
set output png_out

# The SVG is the same picture: each chart ends with @to_svg.
to_svg = "set terminal svg size chart_w, chart_h dynamic font 'sans,11' " . \
         "noenhanced background rgb 'white' linewidth 1.2; " . \
         "set output svg_out; replot; unset output"

# Ten line types told apart by colour (Okabe-Ito, safe for colour-blind
# readers), and in black and white by dash pattern and point shape.
set linetype 1  lc rgb '#0072B2' lw 2 dt 1               pt 7  ps 1.1
set linetype 2  lc rgb '#D55E00' lw 2 dt 2               pt 5  ps 1.0
set linetype 3  lc rgb '#009E73' lw 2 dt 4               pt 9  ps 1.3
set linetype 4  lc rgb '#CC79A7' lw 2 dt (12,4,2,4,2,4)  pt 13 ps 1.3
set linetype 5  lc rgb '#E69F00' lw 2 dt 5               pt 11 ps 1.3
set linetype 6  lc rgb '#56B4E9' lw 2 dt (20,6)          pt 4  ps 1.1
set linetype 7  lc rgb '#000000' lw 2 dt (10,4)          pt 8  ps 1.2
set linetype 8  lc rgb '#882255' lw 2 dt (6,3,1,3)       pt 12 ps 1.3
set linetype 9  lc rgb '#999933' lw 2 dt (2,2)           pt 10 ps 1.2
set linetype 10 lc rgb '#555555' lw 2 dt (16,4,4,4)      pt 6  ps 1.1
# Fixed meanings: neutral, worse, better (the comparison of two runs).
set linetype 11 lc rgb '#9A9A9A' lw 1 dt 1 pt 7
set linetype 12 lc rgb '#D55E00' lw 1 dt 1 pt 7
set linetype 13 lc rgb '#0072B2' lw 1 dt 1 pt 7

# The title is centred on the picture, not on the plot (which a key or
# long names push aside), so it never runs off the edge.
set label 1000 title_text at screen 0.5, screen 1 center offset 0, -1.2 \
    noenhanced font ',14' textcolor rgb '#222222'
set tmargin title_lines * 1.4 + 1.6
set border 3 lc rgb '#444444'
set tics nomirror out textcolor rgb '#333333'
set style line 100 lc rgb '#E2E2E2' lw 1 dt 1
set grid back ls 100, ls 100
