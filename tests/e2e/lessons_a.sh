# Small runs of apply, missing_data, chunked_csv, membership and dedupe: the
# verdicts that must hold on any machine (every intended answer correct,
# growth exponents, memory, observations, the profile's hot line).
source "$(dirname "$0")/lib.bash"

L=$SRC/lessons
# Growth exponents come from the smallest sizes too, where a busy machine
# shows most: longer samples, and more of them, keep the fit steady.
STEADY=(--min-sample 0.01 --samples 5 --no-charts --budget 0 --quiet)

# ---- apply: numbers fall off a cliff, strings do not ------------------------
expect_exit 4 "$PDLAB" run "$L/apply.py" --sizes 2000,20000 "${FAST[@]}" --out apply
check_json apply/results.json \
  'all(variant("apply", n, v)["status"] == "ok" for n in (2000, 20000) for v in ("apply_band", "comprehension_band", "select", "cut", "str_split", "str_extract", "apply_split", "comprehension_split"))' \
  'variant("apply", 20000, "apply_band")["median_s"] > 3 * variant("apply", 20000, "select")["median_s"]' \
  'variant("apply", 20000, "str_split")["median_s"] > variant("apply", 20000, "comprehension_split")["median_s"]' \
  'all(c["outcome"] == "not measured" and "--sizes left it out" in c["note"] for c in lesson("apply")["claims"])'
expect_in err "apply: 2 of 2 claims not confirmed on this machine (exit status 4)"

# ---- missing_data: every strategy right; mean filling shrinks the spread ----
expect_exit 4 "$PDLAB" run "$L/missing_data.py" --sizes 2000,20000 "${FAST[@]}" --out missing
check_json missing/results.json \
  "$(ok_everywhere missing_data)" \
  'variant("missing_data", 20000, "dropna")["observation"].startswith("19,000 rows")' \
  'all(float(variant("missing_data", 20000, v)["observation"].split("std ")[1]) < float(variant("missing_data", 20000, "dropna")["observation"].split("std ")[1]) for v in ("fillna_mean", "transform_fill", "loop_fill"))' \
  'all(variant("missing_data", 20000, v)["observation"] == variant("missing_data", 20000, "transform_fill")["observation"] for v in ("loop_fill", "apply_per_group"))'
check_json missing/results.json '"it depends on why" in lesson("missing_data")["answer"].lower()'

# ---- chunked_csv: the chunked read's peak stays below the full read's -------
expect_exit 4 "$PDLAB" run "$L/chunked_csv.py" --sizes 10000,100000,300000 "${FAST[@]}" --out csv
check_json csv/results.json \
  'all(variant("chunked_csv", n, v)["status"] == "ok" for n in (10000, 100000, 300000) for v in ("full_read", "chunked", "usecols_dtype"))' \
  'all(variant("chunked_csv", n, "csv_module")["status"] == "ok" for n in (10000, 100000))' \
  'variant("chunked_csv", 300000, "chunked")["peak_bytes"] < variant("chunked_csv", 300000, "full_read")["peak_bytes"]' \
  'variant("chunked_csv", 300000, "full_read")["peak_bytes"] > 10 * 2**20'

# ---- membership: the list is quadratic, the set linear; profile names the line
# (at 5,000 rows: a call over 0.5 s is not profiled, and 30,000 can be on a
# loaded machine)
expect_exit 0 "$PDLAB" run "$L/membership.py" --sizes 1000,5000,30000 "${STEADY[@]}" --out member
check_json member/results.json \
  "$(ok_everywhere membership)" \
  "$(exponent membership buyers_list) > $(exponent membership buyers_set) + 0.5" \
  "$(exponent membership buyers_list) > 1.5" \
  'variant("membership", 5000, "buyers_list")["profile"].startswith("lines of buyers_list")' \
  '"user in buyers" in variant("membership", 5000, "buyers_list")["profile"].splitlines()[1]'
# The report shows the profile text, not just the variant's name.
expect_exit 0 "$PDLAB" report member
expect_in member/report.html "Where buyers_list spends its time"
expect_in member/report.html "lines of buyers_list by share of its time"

# ---- dedupe: the list-membership loop is quadratic (max_n 10,000) -----------
expect_exit 4 "$PDLAB" run "$L/dedupe.py" --sizes 1000,3000,10000 "${STEADY[@]}" --out dedupe
check_json dedupe/results.json \
  "$(ok_everywhere dedupe)" \
  "$(exponent dedupe list_loop) > $(exponent dedupe seen_set) + 0.5" \
  "$(exponent dedupe list_loop) > 1.6"

echo "lessons a: ok"
