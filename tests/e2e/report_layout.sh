# The report on a desktop and on a phone, in the tests' headless Chromium:
# every lesson card shows each variant's source, highlighted and escaped
# (a source holding </pre><script> stays text); charts are inlined SVG
# elements with ids no two charts share; at 420 px the page does not
# scroll sideways and the table keeps variant, median, speedup and
# correct on screen; at 1280 px every column shows. Screenshots of both
# widths are left in the work directory to look at.
source "$(dirname "$0")/lib.bash"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || fail "$CHROMIUM is missing (./quickstart installs chromium)"
command -v gnuplot >/dev/null || fail "gnuplot is missing (./quickstart installs gnuplot-nox)"

browser() {
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$(mktemp -d "$WORK/chrome.XXXXXX")" "$@" \
    2>>"$WORK/chrome.err"
}

# exit 4: vectorize's claims name sizes left out here
expect_exit 4 "$PDLAB" run "$SRC/tests/lessons/markup_source.py" vectorize \
  --sizes 1000,2000 --min-sample 0.002 --samples 3 --quiet --out run
[ -s run/report.html ] || fail "no run/report.html"

# ---- the source, as results.json has it and as the page shows it
"$PYTHON" - run/results.json <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for lesson in doc["lessons"]:
    for v in lesson["variants"]:
        src = v.get("source") or ""
        if f"def {v['name']}(" not in src or "@lesson.variant" not in src:
            sys.exit(f"results.json: {lesson['id']}.{v['name']} has no source: {src!r}")
PY
expect_in run/report.html '<pre class="src">'
expect_in run/report.html '<span class="c"># &lt;/pre&gt;&lt;script&gt;document.title = &#39;escaped?&#39;&lt;/script&gt; &amp; so on</span>'
expect_in run/report.html '<span class="k">def</span> <span class="f">loop</span>(df):'
expect_in run/report.html '<span class="s">&quot;value&quot;</span>'
expect_in run/report.html '<span class="n">1e300</span>'
expect_in run/report.html '<span class="d">@lesson.variant</span>'
expect_in run/report.html '<a href="#lesson-1-code-1"><code>loop</code></a>'
[ "$(grep -c '<script' run/report.html)" -eq 1 ] || fail "the report holds a <script> besides its own"

# ---- charts: one inlined SVG per SVG drawn, no PNG needed, no id shared
[ "$(grep -o '<svg class="chart"' run/report.html | wc -l)" -eq "$(ls run/charts/*.svg | wc -l)" ] ||
  fail "run/report.html does not inline every SVG of run/charts"
! grep -q 'data:image/png' run/report.html || fail "a chart inlined as PNG although its SVG is there"
dups=$(grep -o " id=['\"][^'\"]*['\"]" run/report.html | sort | uniq -d)
[ -z "$dups" ] || fail "ids used twice in the report: $dups"

# ---- layout at two widths, measured by a script the test adds to a copy
# of the page (the report's own script only counts broken images). The
# copy is shown in a frame of the width wanted, since headless Chromium
# makes no window narrower than 500 px; the frame posts what the browser
# laid out to the page around it, which writes it into <body data-layout>.
measure='<script>
window.addEventListener("load", function () {
  var vw = document.documentElement.clientWidth, out = {vw: vw, cols: {}};
  out.page_scrolls = document.documentElement.scrollWidth > vw;
  var table = document.querySelector("section.lesson table.res");
  table.querySelectorAll("th").forEach(function (th) {
    var r = th.getBoundingClientRect(), shown = getComputedStyle(th).display !== "none";
    out.cols[th.textContent] = shown && r.width > 0 && r.left >= 0 && r.right <= vw;
  });
  var tick = document.querySelector("svg.chart text");
  out.chart_text_px = tick ? tick.getBoundingClientRect().height : 0;
  var code = document.querySelector("pre.src");
  out.code_inside = code.getBoundingClientRect().right <= vw;
  document.body.dataset.layout = JSON.stringify(out);
  parent.postMessage(JSON.stringify(out), "*");
});
</script>'
"$PYTHON" -c '
import sys
page = sys.stdin.read()
sys.stdout.write(page.replace("</body>", sys.argv[1] + "</body>"))' "$measure" <run/report.html >run/measured.html

for w in 420 1280; do
  cat >run/frame-$w.html <<HTML
<!DOCTYPE html><html><body style="margin:0"><iframe src="measured.html" style="width:${w}px;height:2400px;border:0"></iframe>
<script>addEventListener("message", function (e) { document.body.dataset.layout = e.data; });</script>
</body></html>
HTML
  browser --window-size=$((w + 40)),1600 --virtual-time-budget=5000 --dump-dom \
    "file://$WORK/run/frame-$w.html" >"$WORK/dom-$w.html" ||
    fail "chromium could not load the report (see $WORK/chrome.err)"
  sed "s|measured.html|report.html|" run/frame-$w.html >run/shot-$w.html
  browser --window-size=$((w + 40)),2400 --virtual-time-budget=5000 \
    --screenshot="$WORK/report-$w.png" "file://$WORK/run/shot-$w.html" >/dev/null ||
    fail "chromium could not screenshot the report at $w px"
done
"$PYTHON" - "$WORK/dom-420.html" "$WORK/dom-1280.html" <<'PY'
import html, json, re, sys
def layout(path):
    m = re.search(r'data-layout="([^"]*)"', open(path, encoding="utf-8").read())
    if not m:
        sys.exit(f"{path}: the page did not lay out (no data-layout)")
    return json.loads(html.unescape(m.group(1)))
phone, desk = layout(sys.argv[1]), layout(sys.argv[2])
must = ["variant", "median", "speedup", "correct?"]
if not 400 <= phone["vw"] <= 420 or desk["vw"] < 1200:
    sys.exit(f"the windows were not 420 and 1280 px wide: {phone['vw']}, {desk['vw']}")
if phone["page_scrolls"] or desk["page_scrolls"]:
    sys.exit(f"the page scrolls sideways: 420 px {phone['page_scrolls']}, 1280 px {desk['page_scrolls']}")
hidden = [c for c in must if not phone["cols"].get(c)]
if hidden:
    sys.exit(f"at 420 px these columns are off screen or hidden: {hidden} ({phone['cols']})")
if not all(desk["cols"].values()) or len(desk["cols"]) != 8:
    sys.exit(f"at 1280 px not every column shows: {desk['cols']}")
# gnuplot's 11-unit labels on a 1000-unit chart scaled to the screen would
# be 4 px tall at 420 px; the phone layout keeps them readable.
if phone["chart_text_px"] < 7 or desk["chart_text_px"] < 9:
    sys.exit(f"chart text {phone['chart_text_px']:.1f} px at 420, {desk['chart_text_px']:.1f} px at 1280")
if not phone["code_inside"]:
    sys.exit("a code block runs off the phone's screen")
PY
for w in 420 1280; do
  [ "$(stat -c %s "$WORK/report-$w.png")" -gt 50000 ] || fail "the $w px screenshot is nearly empty"
done
echo "report layout: ok"
