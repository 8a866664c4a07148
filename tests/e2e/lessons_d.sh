# Small runs of the second catalogue's lessons by helper-lessb: the verdicts
# that hold on any machine (the intended answers right, the intended
# mistakes wrong, statistics in range, curves recorded).
source "$(dirname "$0")/lib.bash"

L=$SRC/lessons

# ---- mutable_default and copy_semantics: wrong for the right reason --------
expect_exit 4 "$PDLAB" run "$L/mutable_default.py" --sizes 1000 "${FAST[@]}" --out md
check_json md/results.json \
  'variant("mutable_default", 1000, "mutable_default")["mismatch"].startswith("result changed between calls")' \
  'variant("mutable_default", 1000, "none_default")["status"] == "ok"' \
  'variant("mutable_default", 1000, "fresh_list")["status"] == "ok"'
expect_exit 4 "$PDLAB" run "$L/copy_semantics.py" --sizes 3000 "${FAST[@]}" --out cs
check_json cs/results.json \
  '"changed its shared input" in variant("copy_semantics", 3000, "shallow_copy")["mismatch"]' \
  'variant("copy_semantics", 3000, "deep_copy")["status"] == "ok"' \
  'lesson("copy_semantics")["claims"][0]["outcome"] == "confirmed"'

# ---- ab_peeking: loop and vectorized agree; peeking inflates the rate -------
expect_exit 4 "$PDLAB" run "$L/ab_peeking.py" --sizes 500,2000 "${FAST[@]}" --out ab
check_json ab/results.json \
  "$(ok_everywhere ab_peeking)" \
  'variant("ab_peeking", 2000, "peek_loop")["statistics"][0]["value"] == variant("ab_peeking", 2000, "peek_vectorized")["statistics"][0]["value"]' \
  '0.02 < variant("ab_peeking", 2000, "fixed_vectorized")["statistics"][0]["value"] < 0.09' \
  'variant("ab_peeking", 2000, "peek_vectorized")["statistics"][0]["value"] > 2.5 * variant("ab_peeking", 2000, "fixed_vectorized")["statistics"][0]["value"]'

# ---- sliding_window, precision_recall, gradient_descent: right answers -----
expect_exit 4 "$PDLAB" run "$L/sliding_window.py" --sizes 100,10000 "${FAST[@]}" --out sw
check_json sw/results.json "$(ok_everywhere sliding_window)" \
  'variant("sliding_window", 100, "every_window")["status"] == "ok"' \
  'len(variant("sliding_window", 10000, "sliding_window")["error"] or "") == 0' 
expect_exit 4 "$PDLAB" run "$L/precision_recall.py" --sizes 1000 "${FAST[@]}" --out pr
check_json pr/results.json "$(ok_everywhere precision_recall)"
expect_exit 4 "$PDLAB" run "$L/gradient_descent.py" --sizes 3000 "${FAST[@]}" --out gd
check_json gd/results.json "$(ok_everywhere gradient_descent)" \
  'len(variant("gradient_descent", 3000, "mini_batch")["curves"][0]["series"]) == 1' \
  'variant("gradient_descent", 3000, "full_batch")["statistics"][0]["name"] == "seconds to the target loss"'

echo "lessons d: ok"
