# pdlab merge on runs with different fingerprints: a real run, a copy whose
# machine section says another machine with another pandas (and one claim
# that came out the other way there), and a copy from the first machine,
# started later, whose lesson declares other sizes. The terminal summary,
# the exit status, the marks, and the page as headless Chromium builds it;
# then the errors for runs that are missing or not results.
source "$(dirname "$0")/lib.bash" "$@"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || fail "$CHROMIUM is missing: the page is checked in a real browser (./quickstart installs chromium)"

# exit 4: these sizes leave out the size one claim names, so it is not measured.
expect_exit 4 "$PDLAB" run membership --sizes 1000,10000 "${QUICK[@]}" --out real
[ -s real/results.json ] || fail "the run wrote no real/results.json"

# The other machine: another CPU and system, pandas 9.9.0, and the lesson's
# first claim decided the other way from the real run.
"$PYTHON" - <<'PY'
import json
doc = json.load(open("real/results.json"))
doc["machine"].update(cpu="Pretend ARM Neoverse-V2", cores=64, os="Linux 6.1.0 aarch64",
                      pandas="9.9.0")
doc["started"] = "2031-03-04T05:06:07Z"
claim = doc["lessons"][0]["claims"][0]
claim["outcome"] = "not confirmed" if claim["outcome"] == "confirmed" else "confirmed"
json.dump(doc, open("other.json", "w"))

# The first machine again, later, with the lesson declared at other sizes.
doc = json.load(open("real/results.json"))
doc["started"] = "2031-03-04T07:00:00Z"
doc["lessons"][0]["sizes"] = [1000, 10000]
json.dump(doc, open("later.json", "w"))
PY

expect_exit 0 "$PDLAB" merge real other.json later.json --out merged
[ -s "$WORK/err" ] && { cat "$WORK/err" >&2; fail "a merge that worked wrote to stderr"; }
started=$("$PYTHON" -c 'import json; t = json.load(open("real/results.json"))["started"]; print(t[:10], t[11:19])')
pandas=$("$PYTHON" -c 'import json; print(json.load(open("real/results.json"))["machine"]["pandas"])')
expect_in out "Merging 3 runs from 2 machines"
# Runs of one machine are told apart by their start times.
grep -E "^  A $started +real +" out >/dev/null || { cat out >&2; fail "run A is not labelled by its start"; }
grep -E '^  B +other\.json +2031-03-04T05:06:07Z  Pretend ARM Neoverse-V2, 64 cores' out >/dev/null ||
  { cat out >&2; fail "run B is not the other machine"; }
grep -E '^  A 2031-03-04 07:00:00 +later\.json ' out >/dev/null || { cat out >&2; fail "the later run is not labelled by its start"; }
expect_in out "pandas 9.9.0 ≠"
expect_in out "B: pandas 9.9.0 where the first has $pandas"
grep -E '^  membership .*  disagree  ≠ A 2031-03-04 07:00:00 declared other sizes$' out >/dev/null ||
  { cat out >&2; fail "membership's line does not say its claims disagree and the later run's sizes differ"; }
expect_in out "1 lesson whose claims disagree between runs:"
grep -E '^    A [-0-9: ]+: [✓✗] [a-z ]+, B: [✓✗] [a-z ]+, A 2031-03-04 07:00:00: [✓✗] ' out >/dev/null ||
  { cat out >&2; fail "the claim that disagrees does not list every run's outcome"; }
expect_in out "merged: merged/merged.html"
for ext in png svg; do
  [ -s merged/charts/membership-merge.$ext ] || fail "no merged/charts/membership-merge.$ext"
done
! ls merged/charts | grep -v '^membership-merge\.\(png\|svg\|gp\|dat\)$' >/dev/null ||
  fail "merge left other files in merged/charts: $(ls merged/charts)"
expect_in merged/merged.html "<svg class=\"chart\""

# ---- the page, as the browser built it
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$(mktemp -d "$WORK/chrome.XXXXXX")" --dump-dom \
  "file://$WORK/merged/merged.html" >dom.html 2>>chrome.err ||
  fail "chromium could not load merged.html (see $WORK/chrome.err)"
expect_in dom.html 'data-broken-images="0"'
"$PYTHON" - real/results.json other.json later.json <<'PY'
import json, re, sys
runs = [json.load(open(p)) for p in sys.argv[1:]]
dom = open("dom.html", encoding="utf-8").read()
def fail(msg):
    sys.exit("merged.html check failed: " + msg)
def cells(row):
    return re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)

machines = dom.split('<table class="fp machines">')[1].split("</table>")[0]
heads = re.findall(r'<th class="run( mismatch)?">([^<]*)</th>', machines)
if [h[1].split(" ")[0] for h in heads] != ["A", "B", "A"] or [bool(h[0]) for h in heads] != [False, True, False]:
    fail(f"machine columns {heads}: want A, B marked ≠, A")
pandas = re.search(r'<tr data-field="pandas">(.*?)</tr>', machines).group(1)
marked = re.findall(r'<td class="diff mismatch">≠ ([^<]*)</td>', pandas)
if marked != ["9.9.0"] or pandas.count("<td") != 3:
    fail(f"pandas row {pandas!r}: want only B's 9.9.0 marked")
if 'id="versions-differ"' not in machines and 'id="versions-differ"' not in dom:
    fail("no warning that the versions differ")

cards = re.split(r'<section class="card lesson" ', dom)[1:]
if len(cards) != 1 or 'data-lesson="membership"' not in cards[0]:
    fail("want one card, membership's")
card = cards[0].split("</section>")[0]
declared = re.findall(r'<p class="alert declared">([^<]*)</p>', card)
if len(declared) != 1 or "A 2031-03-04 07:00:00" not in declared[0] or "sizes" not in declared[0]:
    fail(f"declaration alerts {declared}: want the later run's sizes")
rows = re.findall(r'<tr class="claim-row( disagree)?" data-disagree="(\d)">(.*?)</tr>', card, re.S)
claims = runs[0]["lessons"][0]["claims"]
if len(rows) != len(claims):
    fail(f"{len(rows)} claim rows for {len(claims)} claims")
for i, (cls, flag, row) in enumerate(rows):
    got = re.findall(r'data-outcome="([a-z ]+)"><span class="mark">(.)</span>', row)
    want = [r["lessons"][0]["claims"][i]["outcome"] for r in runs]
    if [g[0] for g in got] != want:
        fail(f"claim {i}: outcomes shown {got}, the runs have {want}")
    marks = {"confirmed": "✓", "not confirmed": "✗", "not measured": "○"}
    if any(marks[o] != m for o, m in got):
        fail(f"claim {i}: marks {got}")
    disagree = "confirmed" in want and "not confirmed" in want
    if (flag == "1") != disagree or bool(cls) != disagree:
        fail(f"claim {i}: disagree shown {flag!r}, outcomes {want}")
if sum(f == "1" for _, f, _ in rows) != 1:
    fail("want exactly the edited claim to disagree")

tables = re.findall(r'<table class="res times" data-n="(\d+)">(.*?)</table>', card, re.S)
if sorted(int(n) for n, _ in tables) != [1000, 10000]:
    fail(f"times tables at {[n for n, _ in tables]}, want 1,000 and 10,000")
for n, table in tables:
    trs = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    size = next(s for s in runs[0]["lessons"][0]["results"] if s["n"] == int(n))
    if len(trs) != len(size["variants"]):
        fail(f"n = {n}: {len(trs)} rows for {len(size['variants'])} variants")
    for tr, v in zip(trs, size["variants"]):
        statuses = re.findall(r'data-status="([a-z_]+)"', tr)
        if statuses != [v["status"]] * 3:
            fail(f"n = {n}, {v['name']}: statuses {statuses}, want {v['status']} in each run")
PY

# ---- a run without the lesson, and one that measured fewer sizes: shown
# as such, not as failures
"$PYTHON" - <<'PY'
import json
doc = json.load(open("real/results.json"))
doc["lessons"] = []
json.dump(doc, open("empty.json", "w"))
doc = json.load(open("real/results.json"))
doc["started"] = "2031-03-04T08:00:00Z"
doc["lessons"][0]["results"] = doc["lessons"][0]["results"][:1]
json.dump(doc, open("fewer.json", "w"))
PY
expect_exit 0 "$PDLAB" merge real/results.json empty.json fewer.json --out merged2
expect_in out "Merging 3 runs from 1 machine"
grep -E '^  membership +[✓✗○]+ +- +[✓✗○]+$' out >/dev/null || { cat out >&2; fail "the run without the lesson is not '-'"; }
expect_in out "membership: n = 10,000 only in A $started"
expect_in merged2/merged.html "lesson not in this run"
expect_in merged2/merged.html "size not in this run"

# ---- no gnuplot (pdlab looks nothing else up on PATH): the page without
# charts, saying how to get them
mkdir -p nothing
expect_exit 0 env PATH="$WORK/nothing" "$PDLAB" merge real other.json --out bare
expect_in out "charts skipped: gnuplot is not installed"
expect_in bare/merged.html "No charts: gnuplot is not installed"
! grep -q '<svg class="chart"' bare/merged.html || fail "bare/merged.html shows a chart"

# ---- errors: exit 1 naming the run, exit 2 for misuse
expect_exit 1 "$PDLAB" merge real nothere --out bad
expect_in err "run 2 of 2: nothere: not a run's directory or results file: No such file or directory"
mkdir -p emptydir
expect_exit 1 "$PDLAB" merge emptydir real --out bad
expect_in err "run 1 of 2: emptydir/results.json: cannot read results"
[ ! -e bad ] || fail "a failed merge made its output directory"
printf '{"schema": 3, "tool": "pdlab", "lessons": [' >broken.json
expect_exit 1 "$PDLAB" merge real broken.json --out bad
expect_in err "broken.json:1:"
expect_in err "not valid JSON"
echo '{"hello": 1}' >foreign.json
expect_exit 1 "$PDLAB" merge foreign.json real --out bad
expect_in err "run 1 of 2: foreign.json: not a pdlab results file"
expect_in err "not a pdlab results file"
expect_exit 2 "$PDLAB" merge real --out bad
expect_in err "give two runs or more"
expect_exit 2 "$PDLAB" merge real other.json
expect_in err "--out DIR"
[ ! -s "$WORK/out" ] || fail "misuse wrote to stdout"
expect_exit 0 "$PDLAB" merge --help
expect_in out "usage: pdlab merge"
expect_in out "marked ≠"
echo "merge: ok"
