# Small runs of top_k, groupby, generators, counter and dtypes: the verdicts
# that must hold on any machine (every answer correct, who wins by a wide
# margin, memory by tracemalloc and by RSS, the dtypes observations).
source "$(dirname "$0")/lib.bash"

L=$SRC/lessons

# ---- top_k: the heap beats the sort on a list, np.partition on an array -----
expect_exit 4 "$PDLAB" run "$L/top_k.py" --sizes 2000,20000 "${FAST[@]}" --out topk
check_json topk/results.json \
  'all(variant("top_k", n, v)["status"] == "ok" for n in (2000, 20000) for v in ("sort_slice", "heap_loop", "nlargest", "array_partition", "sort_values", "series_nlargest", "partition"))' \
  "$(median top_k 20000 nlargest) * 2 < $(median top_k 20000 sort_slice)" \
  "$(median top_k 20000 partition) * 5 < $(median top_k 20000 sort_values)" \
  "$(median top_k 20000 partition) < $(median top_k 20000 nlargest)"

# ---- groupby: the dict loop is far behind groupby, bincount ahead of it ------
expect_exit 4 "$PDLAB" run "$L/groupby.py" --sizes 2000,20000 "${FAST[@]}" --out groupby
check_json groupby/results.json \
  'all(variant("groupby", n, v)["status"] == "ok" for n in (2000, 20000) for v in ("dict_loop", "zip_loop", "groupby_sum", "bincount", "add_at"))' \
  "$(median groupby 20000 groupby_sum) * 5 < $(median groupby 20000 dict_loop)" \
  "$(median groupby 20000 bincount) < $(median groupby 20000 groupby_sum)"

# ---- generators: same answer, the list pipeline holds its steps in memory ----
# At 300,000 amounts the lists hold about 28 MB of floats and pointers.
expect_exit 4 "$PDLAB" run "$L/generators.py" --sizes 10000,100000,300000 "${FAST[@]}" --out gen
check_json gen/results.json \
  "$(ok_everywhere generators)" \
  'all(variant("generators", n, v)["status"] == "ok" for n in (10000, 100000, 300000) for v in ("lists", "generators", "arrays"))' \
  'variant("generators", 300000, "generators")["peak_bytes"] < variant("generators", 300000, "lists")["peak_bytes"]' \
  'variant("generators", 300000, "lists")["peak_bytes"] > 10 * 2**20' \
  'variant("generators", 100000, "generators")["python_peak_bytes"] < 64 * 2**10' \
  'variant("generators", 100000, "lists")["python_peak_bytes"] > 5 * 2**20' \
  "$(median generators 300000 arrays) * 10 < $(median generators 300000 generators)" \
  '[c["outcome"] for c in lesson("generators")["claims"]] == ["not measured", "not measured"]'

# ---- counter: every way of counting gives the same answers -------------------
expect_exit 4 "$PDLAB" run "$L/counter.py" --sizes 1000,5000 "${FAST[@]}" --out counter
check_json counter/results.json \
  'all(variant("counter", n, v)["status"] == "ok" for n in (1000, 5000) for v in ("counter", "dict_count", "set_toggle", "bitmask"))'

# ---- dtypes: category and downcast numbers are smaller, the answer the same --
# The observation reads "representation 7.5 MiB (city 6.0, age 0.8, score 0.8)".
expect_exit 4 "$PDLAB" run "$L/dtypes.py" --sizes 10000,100000 "${FAST[@]}" --out dtypes
total() {
  echo "float(variant('dtypes', 100000, '$1')['observation'].split()[1])"
}
column() {
  echo "float(variant('dtypes', 100000, '$1')['observation'].split('$2 ')[1].split(',')[0].rstrip(')'))"
}
check_json dtypes/results.json \
  'all(variant("dtypes", n, v)["status"] == "ok" for n in (10000, 100000) for v in ("as_loaded", "category_city", "compact"))' \
  "$(column category_city city) * 10 < $(column as_loaded city)" \
  "$(column compact score) < $(column as_loaded score)" \
  "$(column compact age) < $(column as_loaded age)" \
  "$(total compact) < $(total category_city) < $(total as_loaded)" \
  "$(total category_city) * 3 < $(total as_loaded)" \
  'variant("dtypes", 100000, "compact")["python_peak_bytes"] < variant("dtypes", 100000, "as_loaded")["python_peak_bytes"]' \
  "$(median dtypes 100000 category_city) < $(median dtypes 100000 as_loaded)"

echo "lessons b: ok"
