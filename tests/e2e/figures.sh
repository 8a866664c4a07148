# Statistics, answer groups, curves and results that change between calls,
# through tests/lessons/figures_lesson.py: a statistic claim false on
# purpose is not confirmed; a proportion carries its Wilson interval; a
# ratio across parts is decided on the interval; a result that changes from
# one call to the next and a change inside a nested input are wrong; a
# curve is drawn and the report embeds it.
source "$(dirname "$0")/lib.bash"

T=$SRC/tests/lessons/figures_lesson.py
expect_exit 4 "$PDLAB" run "$T" --min-sample 0.002 --samples 3 --quiet --budget 0 --out fig
check_json fig/results.json \
  'doc["schema"] >= 3' \
  'variant("figures_lesson", 4000, "fair_numpy")["status"] == "ok"' \
  '[s["name"] for s in variant("figures_lesson", 4000, "fair_numpy")["statistics"]] == ["heads", "flips"]' \
  'variant("figures_lesson", 4000, "fair_numpy")["statistics"][0]["trials"] == 4000' \
  'variant("figures_lesson", 4000, "fair_numpy")["statistics"][1]["trials"] is None' \
  'variant("figures_lesson", 4000, "fair_numpy")["statistics"][1]["value"] == 4000' \
  '0.47 < variant("figures_lesson", 4000, "fair_numpy")["statistics"][0]["lo"] < 0.5 < variant("figures_lesson", 4000, "fair_numpy")["statistics"][0]["hi"] < 0.53' \
  '[c["outcome"] for c in lesson("figures_lesson")["claims"]] == ["confirmed", "not confirmed", "confirmed", "confirmed", "confirmed"]' \
  'lesson("figures_lesson")["claims"][0]["statistic"] == "heads" and lesson("figures_lesson")["claims"][0]["range_lo"] == 0.45' \
  'lesson("figures_lesson")["claims"][2]["figure_lo"] >= 1.3' \
  'variant("figures_lesson", 2000, "remembers")["mismatch"].startswith("result changed between calls")' \
  'variant("figures_lesson", 2000, "remembers")["samples_s"] == []' \
  '"changed its shared input" in variant("figures_lesson", 2000, "nested_change")["mismatch"]' \
  'len(variant("figures_lesson", 4000, "fair_numpy")["curves"][0]["series"][0]["x"]) <= 200' \
  'variant("figures_lesson", 4000, "biased_numpy")["curves"][0]["marks"][0]["label"] == "after every flip"' \
  'variant("figures_lesson", 2000, "fair_numpy")["curves"] == []'
# The false claim is named with its measured interval.
expect_in out "NOT CONFIRMED at 4,000 rows the heads of fair_numpy was 0.5 (95% interval"
# One chart for the curve, with both variants' lines, in the report.
[ -s fig/charts/figures_lesson-curve1.png ] || fail "no curve chart"
[ -s fig/charts/figures_lesson-curve1.svg ] || fail "no curve chart (SVG)"
expect_in fig/charts/figures_lesson-curve1.gp "biased_numpy"
expect_in fig/report.html "Share of heads so far"
expect_in fig/report.html "curve chart: Share of heads so far"
# Read back: the report is redrawn from results.json alone.
rm -r fig/charts
expect_exit 0 "$PDLAB" report fig
[ -s fig/charts/figures_lesson-curve1.png ] || fail "no curve chart after pdlab report"
expect_in fig/report.html "the heads of fair_numpy at n = 4,000 lies between 0.45 and 0.55"

echo "figures: ok"
