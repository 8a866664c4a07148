# pdlab exercise, check and hint through the real binary: for each lesson
# with an exercise, the model answer passes, and a wrong answer, the slow
# answer resubmitted, one that raises, one that hangs and one that eats
# memory each fail with their own exit status and feedback. The
# submissions are in tests/exercises/LESSON/. Small sizes (and for two
# lessons a smaller target) keep it quick; the lessons' own targets are
# what `pdlab check` uses without options.
source "$(dirname "$0")/lib.bash"

SUBS=$SRC/tests/exercises
LIMITS=(--quiet --mem-limit 2048)

# Sizes and, where those sizes cannot reach the lesson's own factor, a target.
declare -A ARGS=(
  [vectorize]="--sizes 1000,10000"
  [chained_indexing]="--sizes 1000,10000 --target 20x"
  [membership]="--sizes 1000,3000 --target 5x"
  [groupby]="--sizes 10000,100000 --target 5x"
  [chunked_csv]="--sizes 100000,300000 --target 2x"
)

# check_case LESSON CASE STATUS TEXT...: `pdlab check` of the submission
# exits STATUS and its feedback holds every TEXT.
check_case() {
  local lesson=$1 case=$2 status=$3 text timeout=()
  shift 3
  # The time limit covers a variant's checks, samples and profile: only the
  # answer that hangs gets a short one.
  [ "$case" != hangs ] || timeout=(--timeout 3)
  # shellcheck disable=SC2086
  expect_exit "$status" "$PDLAB" check "$SUBS/$lesson/$case.py" ${ARGS[$lesson]} "${LIMITS[@]}" \
    "${timeout[@]}"
  for text in "$@"; do expect_in "$WORK/out" "$text"; done
  [ ! -s "$WORK/err" ] || { cat "$WORK/err"; fail "$lesson/$case: stderr not empty"; }
}

for lesson in vectorize chained_indexing membership groupby chunked_csv; do
  check_case "$lesson" model 0 "right: the same values as the reference" "PASSED (exit status 0)"
  check_case "$lesson" wrong 10 "WRONG at" "wrong (exit status 10)" "hint 1"
  check_case "$lesson" slow 11 "NOT PASSED" "too slow (exit status 11)"
  check_case "$lesson" raises 12 "raised an exception" "raises.py\", line" "broke (exit status 12)"
  check_case "$lesson" hangs 12 "timed out" "it never returned" "broke (exit status 12)"
  check_case "$lesson" eats 12 "out of memory" "MemoryError" "broke (exit status 12)"
done

# The loop resubmitted: the profile sees a call per row.
check_case vectorize slow 11 "a Python call per row is still there"
# The chained assignment: the first difference is shown.
check_case chained_indexing wrong 10 "values differ from the reference"

# A starter: no model answer in it, the slow answer and the data are; run
# as it is, it says what is missing.
expect_exit 0 "$PDLAB" exercise vectorize --out "$WORK/vectorize.py"
for text in 'LESSON = "vectorize"' "def iterrows(df):" "def solve(df):" "Columns and dtypes:" \
            "wait       float64" "at least 100x faster than iterrows at 100,000 rows"; do
  expect_in "$WORK/vectorize.py" "$text"
done
! grep -q "mask\|np.where" "$WORK/vectorize.py" || fail "the starter gives the model answer away"
expect_exit 1 "$PDLAB" exercise vectorize --out "$WORK/vectorize.py"
expect_in "$WORK/err" "may hold your work"
expect_exit 13 "$PDLAB" check "$WORK/vectorize.py" --sizes 1000,2000 --quiet
expect_in "$WORK/out" "not written yet: fill in solve()"
! grep -q Traceback "$WORK/out" || fail "an unfilled starter shows a traceback"
expect_exit 0 "$PDLAB" exercise chunked_csv --out - 
expect_in "$WORK/out" "the path of a CSV file"
expect_in "$WORK/out" "ts,user,item,amount,kind"

# --json for machines.
expect_exit 10 "$PDLAB" check "$SUBS/groupby/wrong.py" ${ARGS[groupby]} --quiet --json
check_json "$WORK/out" "doc['grade'] == 'wrong'" "doc['exit'] == 10" "doc['status'] == 'wrong'" \
  "doc['target']['slow'] == 'dict_loop'" "doc['hint'].startswith('Say what you want')"
expect_exit 0 "$PDLAB" check "$SUBS/groupby/model.py" ${ARGS[groupby]} --quiet --json
check_json "$WORK/out" "doc['grade'] == 'passed'" "doc['vs_slow'] >= 5" \
  "doc['vs_slow_lo'] <= doc['vs_slow'] <= doc['vs_slow_hi']" "doc['peak_bytes'] > 0"

# Hints, one at a time; misuse.
expect_exit 0 "$PDLAB" hint groupby
expect_in "$WORK/out" "hint 1 of 3"
expect_in "$WORK/out" "pdlab hint groupby 2"
expect_exit 0 "$PDLAB" hint groupby 3
expect_in "$WORK/out" "df.groupby('item')['amount'].sum()"
expect_exit 2 "$PDLAB" hint groupby 4
expect_exit 2 "$PDLAB" check
printf 'def solve(df):\n    return df\n' >"$WORK/nolesson.py"
expect_exit 1 "$PDLAB" check "$WORK/nolesson.py"
expect_in "$WORK/err" 'no line LESSON = "name"'
echo "ok"
