# The run's time budget: a variant predicted to cost more than its share is
# left out at that size, and shows the time its growth predicts, marked.
source "$(dirname "$0")/lib.bash"
L=$SRC/tests/lessons

# --budget 8 for one lesson caps a variant at one size at about 8 / 4 = 2 s
# (a little less: the run's own start comes out of the budget). every_pair's
# n^2, fitted over 300 and 600 rows, predicts some 10 s per call at 20,000,
# about a minute with its samples: far over. bisect_loop is n log n, but
# fitted over two tiny sizes its exponent can come out near 2 on a busy
# machine, predicting up to about a second with its samples: still under.
# The reference always runs.
expect_exit 0 "$PDLAB" run "$L/budget_lesson.py" --budget 8 "${QUICK[@]}" --out run
check_json run/results.json \
  'variant("budget_lesson", 20000, "every_pair")["status"] == "not_run"' \
  'variant("budget_lesson", 20000, "every_pair")["skip"] == "over budget"' \
  'variant("budget_lesson", 20000, "every_pair")["samples_s"] == []' \
  'variant("budget_lesson", 20000, "every_pair")["median_s"] is None' \
  'variant("budget_lesson", 20000, "every_pair")["extrapolated"] is True' \
  'all(variant("budget_lesson", n, "every_pair")["status"] == "ok" for n in (300, 600))' \
  'all(variant("budget_lesson", 20000, v)["status"] == "ok" for v in ("searchsorted", "bisect_loop"))' \
  'variant("budget_lesson", 20000, "searchsorted")["speedup_extrapolated"] is True'

# The extrapolated median is the log-log line through the two sizes it ran
# at (to the 6 digits results.json keeps).
m300=$(median budget_lesson 300 every_pair)
m600=$(median budget_lesson 600 every_pair)
predicted="$m600 * (20000 / 600) ** (math.log($m600 / $m300) / math.log(600 / 300))"
check_json run/results.json \
  "abs($predicted / variant('budget_lesson', 20000, 'every_pair')['extrapolated_median_s'] - 1) < 1e-3"

# The table: the predicted time marked "~", "over budget" in place of the
# spread, no memory; and the note that explains the mark.
expect_row out "budget_lesson  n = 20,000" every_pair \
  '^  every_pair +loop +~[0-9.]+ [^ ]+ +over budget +~[0-9.]+x +- +- +-$'
expect_in out "  ~ extrapolated from the growth fitted over the sizes it ran at"
# A budget spent before the lesson starts still leaves every variant its
# first size: the smallest, where nothing predicts a cost yet.
expect_exit 0 "$PDLAB" run "$L/budget_lesson.py" --budget 0.001 "${QUICK[@]}" --out spent
check_json spent/results.json \
  'all(v["status"] == "ok" for v in lesson("budget_lesson")["results"][0]["variants"])' \
  'variant("budget_lesson", 600, "every_pair")["skip"] == "over budget"'
echo "budget: ok"
