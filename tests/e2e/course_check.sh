# pdlab course check through the real binary: three learners (one passes
# everything, one has a wrong answer, one's answer crashes its worker), each
# submission in its own check; the summary as a table, CSV and HTML, the
# HTML read back from headless Chromium.
source "$(dirname "$0")/lib.bash"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || fail "$CHROMIUM is missing: the summary is checked in a real browser"
SUBS=$SRC/tests/exercises

mkdir -p subs/ada subs/ben subs/cy
for lesson in vectorize groupby membership; do
  cp "$SUBS/$lesson/model.py" "subs/ada/$lesson.py"
  cp "$SUBS/$lesson/model.py" "subs/ben/$lesson.py"
  cp "$SUBS/$lesson/model.py" "subs/cy/$lesson.py"
done
cp "$SUBS/groupby/wrong.py" subs/ben/groupby.py
cp "$SUBS/membership/crashes.py" subs/cy/membership.py

expect_exit 4 "$PDLAB" course check "$SUBS/test.course" subs
expect_in "$WORK/out" "Test course"
expect_in "$WORK/out" "3 of 3 passed"
expect_in "$WORK/out" "2 of 3 passed"
row=$(grep -E '^ +groupby +wrong ' "$WORK/out") || fail "no wrong groupby row for ben"
grep -qE '^cy|^ +membership +broke +- +NO' "$WORK/out" || fail "cy's crash is not in the table"

# CSV: one row per learner and lesson.
csv=subs/_summary/summary.csv
[ "$(wc -l <"$csv")" -eq 10 ] || { cat "$csv"; fail "summary.csv: expected a header and 9 rows"; }
expect_in "$csv" "learner,lesson,result,speedup,passed,why"
grep -q '^ada,vectorize,passed,[0-9.]*,yes,' "$csv" || fail "ada's vectorize row"
grep -q '^ben,groupby,wrong,,no,' "$csv" || fail "ben's groupby row"
grep -q '^cy,membership,broke,,no,' "$csv" || fail "cy's membership row"
grep -q '^cy,groupby,passed,' "$csv" || fail "cy's crash stopped the checks after it"

# The HTML as the browser built it.
html=subs/_summary/summary.html
"$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --user-data-dir="$(mktemp -d "$WORK/chrome.XXXXXX")" --dump-dom "file://$WORK/$html" \
  >"$WORK/dom.html" 2>>"$WORK/chrome.err" || fail "chromium could not load $html"
"$PYTHON" - "$WORK/dom.html" <<'PY'
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
cards = re.findall(r'<section class="card learner" id="learner-\d+">(.*?)</section>', dom, re.S)
if len(cards) != 3:
    sys.exit(f"{len(cards)} learner cards, expected 3")
want = {"ada": "3 of 3", "ben": "2 of 3", "cy": "2 of 3"}
for card in cards:
    name = re.search(r"<h2>(.*?)</h2>", card).group(1)
    if want.pop(name, None) not in card:
        sys.exit(f"card of {name!r} does not say how many passed")
    if card.count("<tr>") != 4:
        sys.exit(f"card of {name!r}: expected a header and 3 lessons")
if 'class="failed">wrong' not in dom or 'class="failed">broke' not in dom:
    sys.exit("the wrong and the crashed answers are not marked")
PY

# Misuse.
expect_exit 2 "$PDLAB" course check "$SUBS/test.course"
printf '[vectorize]\nspeed = 3\n' >bad.course
expect_exit 1 "$PDLAB" course check bad.course subs
expect_in "$WORK/err" "bad.course:2: 'speed' is not a key here"
echo ok
