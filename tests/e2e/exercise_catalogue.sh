# The exercises of every other lesson that has one, end to end: the model
# answer passes and one failure of each lesson is graded as it should be
# (exercise_check.sh runs the whole matrix on vectorize). The three
# second-catalogue exercises (a string, a dict graph, a tuple of a capacity
# and a list) also fail the slow answer resubmitted, and their starters say
# what the data looks like. A lesson whose preparer hangs or exits does not
# take `pdlab exercise` down.
source "$(dirname "$0")/lib.bash"

SUBS=$SRC/tests/exercises
source "$SUBS/check_args.bash"

# check_case LESSON CASE STATUS TEXT...: `pdlab check` of the submission
# exits STATUS and its feedback holds every TEXT; stderr stays empty.
check_case() {
  local lesson=$1 case=$2 status=$3 text
  shift 3
  # shellcheck disable=SC2086
  expect_exit "$status" "$PDLAB" check "$SUBS/$lesson/$case.py" ${ARGS[$lesson]} "${QUICK_CHECK[@]}"
  for text in "$@"; do expect_in "$WORK/out" "$text"; done
  [ ! -s "$WORK/err" ] || { cat "$WORK/err"; fail "$lesson/$case: stderr not empty"; }
}
PASSED=("right: the same values as the reference" "PASSED (exit status 0)")

for lesson in chained_indexing membership chunked_csv sliding_window topo_sort lru_cache; do
  check_case "$lesson" model 0 "${PASSED[@]}"
done
check_case chained_indexing wrong 10 "values differ from the reference" "wrong (exit status 10)"
check_case membership crashes 12 "broke (exit status 12)"
check_case chunked_csv slow 11 "less peak memory than full_read" "NOT PASSED" "too slow (exit status 11)"
for lesson in sliding_window topo_sort lru_cache; do
  check_case "$lesson" slow 11 "NOT PASSED" "too slow (exit status 11)" "hint 1" \
    "pdlab hint $lesson 2"
done
check_case sliding_window wrong 10 "WRONG at 100 rows" "wrong (exit status 10)"
check_case topo_sort wrong 10 "on the edge case 'cycle': returned" "wrong (exit status 10)"
check_case lru_cache wrong 10 "WRONG at 256 rows" "wrong (exit status 10)"

# --json for machines, on groupby: its wrong answer and its model answer.
# shellcheck disable=SC2086
expect_exit 10 "$PDLAB" check "$SUBS/groupby/wrong.py" ${ARGS[groupby]} "${QUICK_CHECK[@]}" --json
check_json "$WORK/out" "doc['grade'] == 'wrong'" "doc['exit'] == 10" "doc['status'] == 'wrong'" \
  "doc['target']['slow'] == 'dict_loop'" "doc['hint'].startswith('Say what you want')"
# shellcheck disable=SC2086
expect_exit 0 "$PDLAB" check "$SUBS/groupby/model.py" ${ARGS[groupby]} "${QUICK_CHECK[@]}" --json
check_json "$WORK/out" "doc['grade'] == 'passed'" "doc['vs_slow'] >= 5" \
  "doc['vs_slow_lo'] <= doc['vs_slow'] <= doc['vs_slow_hi']" "doc['peak_bytes'] > 0"

# Starters of inputs that are not DataFrames: what the data is, its start,
# the edge cases, the helpers the slow answer calls; never the model answer.
expect_exit 0 "$PDLAB" exercise sliding_window --out sliding_window.py
expect_in sliding_window.py "# The data: log is a str of 100 characters"
expect_in sliding_window.py "# It must return a str ("
expect_in sliding_window.py "def grow_each_start(log):"
! grep -q "def sliding_window\|def every_window" sliding_window.py || fail "sliding_window.py holds other variants"
expect_exit 0 "$PDLAB" exercise topo_sort --out topo_sort.py
expect_in topo_sort.py "# The data: needs is a dict of 300 entries, int keys to list values"
expect_in topo_sort.py "#     cycle: {'a': ['c'], 'b': ['a'], 'c': ['b'], 'd': []} -> raises ValueError"
! grep -q "def kahn\|deque" topo_sort.py || fail "topo_sort.py gives the model answer away"
expect_exit 0 "$PDLAB" exercise lru_cache --out lru_cache.py
expect_in lru_cache.py "# The data: work is a tuple of 2: [0] the int 256; [1] a list of 20,000 int values"
expect_in lru_cache.py "def load(key):"
! grep -q "OrderedDict\|class _" lru_cache.py || fail "lru_cache.py gives the model answer away"
for starter in sliding_window topo_sort lru_cache; do
  # Filled in with the slow answer itself, the starter runs as a submission.
  slow=$(sed -n 's/^def \([a-z_]*\)(.*/\1/p' "$starter.py" | grep -v '^solve$\|^load$' | head -1)
  printf '\n\ndef solve(x):\n    return %s(x)\n' "$slow" >>"$starter.py"
  "$PYTHON" -c "import ast, sys; ast.parse(open(sys.argv[1]).read())" "$starter.py" ||
    fail "$starter.py does not parse"
done
# shellcheck disable=SC2086
expect_exit 11 "$PDLAB" check lru_cache.py ${ARGS[lru_cache]} "${QUICK_CHECK[@]}"
expect_in "$WORK/out" "right: the same values as the reference"

# A lesson whose preparer hangs or ends its process while the starter is
# written: an error naming the lesson, and no starter.
lesson=$SRC/tests/lessons/starter_misbehaves.py
PDLAB_TEST_STARTER=hang expect_exit 1 "$PDLAB" exercise "$lesson" --timeout 2 --out hang.py
expect_in "$WORK/err" "did not finish writing the starter within 2 s and was stopped"
PDLAB_TEST_STARTER=exit expect_exit 1 "$PDLAB" exercise "$lesson" --out exit.py
expect_in "$WORK/err" "ended the process writing the starter (exit 3)"
[ ! -e hang.py ] && [ ! -e exit.py ] || fail "a starter was written for a lesson that broke"
expect_exit 0 "$PDLAB" exercise "$lesson" --out fine.py
expect_in fine.py "def loop(values):"
echo "ok"
