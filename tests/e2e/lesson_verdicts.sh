# A small run of the three engine lessons: the verdicts that must hold on
# any machine (correctness, who is faster by orders of magnitude, memory).
source "$(dirname "$0")/lib.bash"

# These sizes leave out the ones the lessons' claims name: the run says so
# and exits 4, but the wrong-answer claim holds at every size.
expect_exit 4 "$PDLAB" run vectorize chained_indexing broadcasting \
  --sizes 2000,20000,200000 --min-sample 0.005 --samples 3 --out run
R=run/results.json
[ -f "$R" ] || fail "no results.json"
# The chained assignment's row: no time, no spread, its status where the
# speedup would be, and not correct.
expect_row out "chained_indexing  n = 20,000" chained \
  '^  chained +vectorized +- +- +wrong +.*  NO$'

check_json "$R" \
  'doc["schema"] == 3 and doc["machine"]["pandas"] and doc["machine"]["numpy"]' \
  'all(v["status"] == "ok" for v in lesson("vectorize")["results"][0]["variants"])' \
  'variant("vectorize", 20000, "iterrows")["skip"] == "over max_n"' \
  'variant("vectorize", 2000, "columns")["median_s"] * 20 < variant("vectorize", 2000, "iterrows")["median_s"]' \
  'variant("vectorize", 2000, "numpy_arrays")["speedup"] > 20' \
  'lesson("vectorize")["results"][0]["load"]["mb_per_s"] > 0'

# The chained assignment leaves the frame unchanged: wrong, warned, never timed.
check_json "$R" \
  'variant("chained_indexing", 20000, "chained")["status"] == "wrong"' \
  'variant("chained_indexing", 20000, "chained")["correct"] is False' \
  'variant("chained_indexing", 20000, "chained")["speedup"] is None' \
  'variant("chained_indexing", 20000, "chained")["median_s"] is None' \
  'any("SettingWithCopyWarning" in w for w in variant("chained_indexing", 20000, "chained")["warnings"])' \
  'all(variant("chained_indexing", 20000, v)["status"] == "ok" for v in ("loc_mask", "iloc_positions", "where_column", "at_loop"))' \
  '[c["outcome"] for c in lesson("chained_indexing")["claims"]] == ["confirmed", "not measured"]' \
  'lesson("chained_indexing")["claims"][1]["note"] == "the run did not include n = 10,000 (its --sizes left it out)"'
expect_in err "chained_indexing: 1 of 2 claims not confirmed on this machine"

# Broadcast results equal the loops'; the pairwise temporary shows in memory:
# m = 2*isqrt(20000) = 282 points, an (m, m, 3) float64 temporary of 1.9 MB;
# at 200,000 rows m = 894 and the temporary (19 MB) dwarfs the blocked
# version's 256-row slices.
check_json "$R" \
  'all(v["status"] in ("ok", "not_run") for s in lesson("broadcasting")["results"] for v in s["variants"])' \
  'all(v["status"] == "ok" for s in lesson("broadcasting")["results"][:2] for v in s["variants"])' \
  'variant("broadcasting", 20000, "broadcast_pairs")["peak_bytes"] >= 282 * 282 * 3 * 8 * 0.9' \
  'variant("broadcasting", 200000, "broadcast_pairs")["peak_bytes"] >= 894 * 894 * 3 * 8 * 0.9' \
  'variant("broadcasting", 200000, "blocked_pairs")["peak_bytes"] < variant("broadcasting", 200000, "broadcast_pairs")["peak_bytes"]'

# show reads the evidence back from this run.
expect_exit 0 "$PDLAB" show chained_indexing --results run
expect_in out "Evidence from run/results.json"
expect_row out "  at n = 20,000 (" chained '^ +chained +wrong +- ± - +- '

# Samples from several worker processes are pooled; a wrong answer stays
# wrong and untimed in every one of them.
expect_exit 4 "$PDLAB" run chained_indexing --sizes 1000 --processes 2 "${FAST[@]}" --out pooled
check_json pooled/results.json \
  'len(variant("chained_indexing", 1000, "loc_mask")["samples_s"]) == 6' \
  'variant("chained_indexing", 1000, "chained")["status"] == "wrong"' \
  'variant("chained_indexing", 1000, "chained")["samples_s"] == []'
expect_exit 2 "$PDLAB" run chained_indexing --processes 0
expect_in err "--processes wants a count"
echo "pooled processes: ok"
echo "lesson verdicts: ok"
