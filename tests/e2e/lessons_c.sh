# Small runs of topo_sort, islands, lru_cache, numba_jit, gil_threads and
# async_io: what must hold on any machine, however busy (every intended
# answer correct, the intended failures reported as such, nothing left
# running). Their speed claims are the default run's business.
source "$(dirname "$0")/lib.bash"

L=$SRC/lessons

# run_lesson OUT ARGS...: a run that finished; its claims may or may not
# hold here (exit 0 or 4), which the checks below do not depend on.
run_lesson() {
  local out=$1 got=0
  shift
  "$PDLAB" run "$@" "${FAST[@]}" --out "$out" >"$WORK/out" 2>"$WORK/err" || got=$?
  [ "$got" -eq 0 ] || [ "$got" -eq 4 ] || {
    cat "$WORK/out" "$WORK/err" >&2
    fail "pdlab run $* exited $got"
  }
}

# no_leftovers ID: no variant of lesson ID left threads or processes behind.
no_leftovers() {
  echo "all(v['status'] != 'left_running' for s in lesson('$1')['results'] for v in s['variants'])"
}

# ---- topo_sort: the cycle case catches the DFS without a cycle check -------
run_lesson topo "$L/topo_sort.py" --sizes 300,1000
check_json topo/results.json \
  'all(variant("topo_sort", n, v)["status"] == "ok" for n in (300, 1000) for v in ("scan", "kahn", "topological_sorter"))' \
  'all(variant("topo_sort", n, "dfs_no_cycle_check")["status"] == "wrong" for n in (300, 1000))' \
  '"on the edge case '"'"'cycle'"'"'" in variant("topo_sort", 300, "dfs_no_cycle_check")["mismatch"]' \
  '"where the reference raised ValueError" in variant("topo_sort", 300, "dfs_no_cycle_check")["mismatch"]' \
  'next(c for c in lesson("topo_sort")["claims"] if c["kind"] == "wrong")["outcome"] == "confirmed"'

# ---- islands: the recursive DFS fails on the continent, reported failed ----
run_lesson islands "$L/islands.py" --sizes 2500,160000
check_json islands/results.json \
  'all(variant("islands", n, v)["status"] == "ok" for n in (2500, 160000) for v in ("stack_dfs", "bfs_deque", "scipy_label"))' \
  'variant("islands", 2500, "recursive_dfs")["status"] == "ok"' \
  'variant("islands", 160000, "recursive_dfs")["status"] == "raised"' \
  'variant("islands", 160000, "recursive_dfs")["error"].startswith("RecursionError:")' \
  'next(c for c in lesson("islands")["claims"] if c["kind"] == "fails")["outcome"] == "confirmed"'
expect_in out "recursive_dfs failed with RecursionError at 160,000 rows"

# ---- lru_cache: four caches, one hit count ----------------------------------
run_lesson lru "$L/lru_cache.py" --sizes 64,256
check_json lru/results.json "$(ok_everywhere lru_cache)"

# ---- numba_jit: the one-liner is wrong; the compile shows in the first call -
run_lesson numba "$L/numba_jit.py" --sizes 10000
check_json numba/results.json \
  'all(variant("numba_jit", 10000, v)["status"] == "ok" for v in ("python_loop", "compiled", "compiled_fresh"))' \
  'variant("numba_jit", 10000, "cumsum_clip")["status"] == "wrong"' \
  'variant("numba_jit", 10000, "compiled")["first_call_s"] > 10 * variant("numba_jit", 10000, "compiled")["median_s"]'

# ---- gil_threads and async_io: every pool shut down, every answer right ----
run_lesson gil "$L/gil_threads.py" --sizes 300000
check_json gil/results.json "$(ok_everywhere gil_threads)" "$(no_leftovers gil_threads)"
run_lesson aio "$L/async_io.py"
check_json aio/results.json "$(ok_everywhere async_io)" "$(no_leftovers async_io)"

echo "lessons c: ok"
