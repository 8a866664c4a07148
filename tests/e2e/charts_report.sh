# Charts, report and compare through the real binary: a small run draws
# PNG and SVG charts and a self-contained report; plot and report redraw
# them from results.json alone; without gnuplot a run still succeeds and
# says how to get charts; headless Chromium renders the report with every
# image decoded; compare puts two runs side by side.
source "$(dirname "$0")/lib.bash"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || fail "$CHROMIUM is missing: the report is checked in a real browser (./quickstart installs chromium; or apt-get install chromium)"
command -v gnuplot >/dev/null || fail "gnuplot is missing (./quickstart installs gnuplot-nox)"

LESSONS=(vectorize chained_indexing)
SMALL=(--sizes 1000,5000 --min-sample 0.002 --samples 3)

# expect_charts DIR: every chart of both lessons and the overview, as PNG
# (magic bytes) and SVG.
expect_charts() {
  local dir=$1 stem
  for stem in vectorize-speedup vectorize-time vectorize-memory \
              chained_indexing-speedup chained_indexing-time overview; do
    [ -s "$dir/charts/$stem.png" ] || fail "no $dir/charts/$stem.png"
    [ "$(head -c 4 "$dir/charts/$stem.png" | od -An -c | tr -d ' ')" = '211PNG' ] ||
      fail "$dir/charts/$stem.png is not a PNG"
    grep -q '<svg' "$dir/charts/$stem.svg" || fail "$dir/charts/$stem.svg is not an SVG"
  done
  ! ls "$dir"/charts/*.part >/dev/null 2>&1 || fail "half-drawn charts left in $dir/charts"
}

# headless Chromium, without touching the network or a profile.
browser() {
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d "$WORK/chrome.XXXXXX")" "$@" 2>>"$WORK/chrome.err"
}

# check_report RESULTS DOM CHARTS: the report as the browser built it
# against what results.json says: a card per lesson, in order; per claim a
# mark for its outcome, and an alert on every card with a claim not borne
# out; the headline of each lesson; every chart an inlined SVG element that
# parses, no PNG; no extrapolation mark but "~".
check_report() {
  "$PYTHON" - "$@" <<'PY'
import base64, glob, json, re, struct, sys
import xml.etree.ElementTree as ET
doc = json.load(open(sys.argv[1]))
dom = open(sys.argv[2], encoding="utf-8").read()
def fail(msg):
    sys.exit("report check failed: " + msg)
cards = re.split(r'<section class="card lesson" id="lesson-\d+"', dom)[1:]
if len(cards) != len(doc["lessons"]):
    fail(f"{len(cards)} lesson cards for {len(doc['lessons'])} lessons")
marks = {"confirmed": "✓", "not confirmed": "✗", "not measured": "○", "undecided": "…"}
for lesson, card in zip(doc["lessons"], cards):
    card = card.split("</section>")[0]
    if f'<span class="badge">{lesson["id"]}</span>' not in card:
        fail(f"the card of {lesson['id']} is not where results.json has it")
    got = re.findall(r'<li class="claim ([a-z-]+)"><span class="mark">(.)</span> <strong>([a-z ]+):', card)
    want = [c["outcome"] for c in lesson.get("claims", [])]
    if [g[2] for g in got] != want:
        fail(f"{lesson['id']}: claims shown {[g[2] for g in got]}, results.json has {want}")
    for cls, mark, outcome in got:
        if mark != marks[outcome] or cls != outcome.replace(" ", "-"):
            fail(f"{lesson['id']}: claim '{outcome}' marked {mark!r} ({cls})")
    unborne = sum(o in ("not confirmed", "not measured") for o in want)
    alert = 'class="alert"' in card
    if (unborne > 0) != alert:
        fail(f"{lesson['id']}: {unborne} claims not borne out, alert shown: {alert}")
    if lesson.get("error") is None and "<table" not in card:
        fail(f"{lesson['id']}: no table of results")
if "≈" in dom:
    fail("the report marks an extrapolation with ≈, not ~")
imgs = re.findall(r'<img[^>]* src="([^"]*)"', dom)
if imgs:
    fail("a chart inlined as PNG although its SVG is there")
inline = re.findall(r'<svg class="chart".*?</svg>', dom, re.S)
if not inline:
    fail("no chart in the report")
for svg in inline:
    try:
        # The DOM as serialized may drop the xlink declaration its uses need.
        if "xmlns:xlink" not in svg:
            svg = svg.replace("<svg ", '<svg xmlns:xlink="http://www.w3.org/1999/xlink" ', 1)
        ET.fromstring(svg)
    except ET.ParseError as e:
        fail(f"an inlined chart is not well-formed: {e}")
svgs = glob.glob(sys.argv[3] + "/*.svg")
if not svgs:
    fail("no SVG charts")
for svg in svgs:
    try:
        if not ET.parse(svg).getroot().tag.endswith("svg"):
            fail(svg + " is XML but not an SVG")
    except ET.ParseError as e:
        fail(f"{svg} does not parse: {e}")
PY
}

# ---- a run draws charts and the report (exit 4: these small sizes leave
# out the sizes the lessons' claims name, so those are not measured)
expect_exit 4 "$PDLAB" run "${LESSONS[@]}" "${SMALL[@]}" --out run
expect_charts run
[ -s run/report.html ] || fail "no run/report.html"
expect_in err "report: run/report.html"
expect_in run/report.html '<svg class="chart"'
# Every chart drawn is inlined (a lesson's memory chart exists only when some
# variant's resident memory grew measurably).
[ "$(grep -o '<svg class="chart"' run/report.html | wc -l)" -eq "$(ls run/charts/*.svg | wc -l)" ] ||
  fail "run/report.html does not inline every chart of run/charts"
! grep -q 'src="http\|href="http' run/report.html || fail "the report fetches something"

# ---- plot and report redraw from results.json alone
rm -rf run/charts run/report.html
expect_exit 0 "$PDLAB" plot run
expect_charts run
expect_in out "chart: run/charts/overview.png"
expect_exit 0 "$PDLAB" report run
expect_in out "report: run/report.html"
[ -s run/report.html ] || fail "pdlab report wrote no run/report.html"
[ -s "$WORK/err" ] && { cat "$WORK/err" >&2; fail "pdlab report wrote to stderr"; }

# ---- no gnuplot: pdlab looks nothing else up on PATH, so an empty PATH is
# a machine without gnuplot
mkdir -p empty
expect_exit 4 env PATH="$WORK/empty" "$PDLAB" run vectorize "${SMALL[@]}" --out bare
[ -s bare/results.json ] || fail "no bare/results.json without gnuplot"
expect_in err "gnuplot is not installed"
expect_in err "apt-get install gnuplot-nox"
expect_in err "pdlab plot bare"
expect_in bare/report.html "Chart not drawn: gnuplot is not installed"
! grep -q 'data:image/png\|<svg' bare/report.html || fail "bare/report.html shows a chart"
expect_exit 1 env PATH="$WORK/empty" "$PDLAB" plot bare
expect_in err "gnuplot is not installed"

# ---- the report in a real browser: every image decoded, a real picture
browser --screenshot="$WORK/shot.png" --window-size=1280,2400 "file://$WORK/run/report.html" >/dev/null ||
  fail "chromium could not screenshot the report (see $WORK/chrome.err)"
[ "$(stat -c %s "$WORK/shot.png")" -gt 100000 ] || fail "the screenshot of the report is nearly empty"
browser --dump-dom "file://$WORK/run/report.html" >"$WORK/dom.html" ||
  fail "chromium could not load the report (see $WORK/chrome.err)"
expect_in "$WORK/dom.html" 'data-broken-images="0"'
check_report run/results.json "$WORK/dom.html" run/charts
browser --dump-dom "file://$WORK/bare/report.html" >"$WORK/dom-bare.html"
expect_in "$WORK/dom-bare.html" 'data-broken-images="0"'

# ---- compare two runs
expect_exit 4 "$PDLAB" run "${LESSONS[@]}" "${SMALL[@]}" --out run2 --no-charts
expect_exit 0 "$PDLAB" compare run run2
expect_in out "Comparing two runs"
expect_in out "vectorize  n = 5,000"
expect_in out "median A"
expect_in out "compare: run2/compare.html"
[ -s run2/compare.html ] || fail "no run2/compare.html"
expect_in run2/compare.html '<svg class="chart"'
browser --dump-dom "file://$WORK/run2/compare.html" >"$WORK/dom-cmp.html"
expect_in "$WORK/dom-cmp.html" 'data-broken-images="0"'
expect_exit 0 "$PDLAB" compare run run2 --out cmp
[ -s cmp/compare.html ] || fail "compare --out wrote no cmp/compare.html"
echo "charts and report: ok"
