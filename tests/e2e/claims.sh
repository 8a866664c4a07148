# Claims: checked against the run, measured whatever the budget, memory
# claims decided in fresh processes, and the exit status says when one was
# not confirmed.
source "$(dirname "$0")/lib.bash"
L=$SRC/tests/lessons

# --budget 0.1 caps an unclaimed variant at 25 ms per size: every_pair at
# 2,000 rows (n^2 from 300 and 600) is predicted over it. Without its claims
# the lesson loses it to the budget...
sed '/^    claims=\[/,/^    \],/d' "$L/claims_lesson.py" > unclaimed.py
expect_exit 0 "$PDLAB" run ./unclaimed.py --budget 0.1 "${QUICK[@]}" --out unclaimed
check_json unclaimed/results.json \
  'variant("unclaimed", 2000, "every_pair")["skip"] == "over budget"'
# ...with them, the growth claim needs it, so it runs.
expect_exit 4 "$PDLAB" run "$L/claims_lesson.py" --budget 0.1 "${QUICK[@]}" --out run
expect_in err "claims_lesson: 1 of 4 claims not confirmed on this machine (exit status 4)"
check_json run/results.json \
  '[c["outcome"] for c in lesson("claims_lesson")["claims"]] == ["not confirmed", "confirmed", "confirmed", "confirmed"]' \
  'lesson("claims_lesson")["claims"][0]["figure"] < 1e9' \
  'lesson("claims_lesson")["claims"][0]["figure_lo"] <= lesson("claims_lesson")["claims"][0]["figure"] <= lesson("claims_lesson")["claims"][0]["figure_hi"]' \
  'variant("claims_lesson", 2000, "every_pair")["status"] == "ok"' \
  'len(variant("claims_lesson", 2000, "every_pair")["samples_s"]) >= 3' \
  'variant("claims_lesson", 2000, "every_pair")["extrapolated"] is False' \
  'variant("claims_lesson", 2000, "off_by_one")["status"] == "wrong"' \
  'variant("claims_lesson", 2000, "wasteful")["peak_fresh"] is True' \
  'variant("claims_lesson", 2000, "counted")["peak_fresh"] is True' \
  'variant("claims_lesson", 2000, "group_sizes")["peak_fresh"] is False' \
  'variant("claims_lesson", 600, "wasteful")["peak_fresh"] is False' \
  'variant("claims_lesson", 2000, "wasteful")["peak_bytes"] > 150e6' \
  'lesson("claims_lesson")["claims"][3]["figure"] >= 5'
# The two fresh peaks ran side by side, the second one logging apart.
[ -e run/logs/claims_lesson.peaks.log ] || fail "no log of the second fresh-peak worker"

# The table lists each claim under its outcome; the figure and interval of
# the one that failed.
expect_in out "    NOT CONFIRMED at 2,000 rows group_sizes was "
expect_in out "    confirmed     off_by_one gave a wrong answer wherever it ran"
expect_in out "* peak measured with the variant alone in a fresh process"

# The verdict sentence is built from the claims, in their order.
check_json run/results.json \
  'lesson("claims_lesson")["summary"].startswith("At 2,000 rows group_sizes was ")' \
  '": NOT CONFIRMED" in lesson("claims_lesson")["summary"]' \
  '"off_by_one gave a wrong answer wherever it ran: confirmed" in lesson("claims_lesson")["summary"]'

# A claim about a size the lesson does not have is an error in the lesson
# file: that lesson cannot run (exit 3), and the message names the size.
sed 's/at=2_000, by=1e9/at=5_000, by=1e9/' "$L/claims_lesson.py" > bad_claim.py
expect_exit 3 "$PDLAB" run ./bad_claim.py "${QUICK[@]}" --out bad
expect_in err "speaks at n = 5,000, which is not one of the lesson's sizes"
echo "claims: ok"
