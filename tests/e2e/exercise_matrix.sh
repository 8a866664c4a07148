# Every failure a learner can hand in, on the four DataFrame exercises that
# exercise_check.sh (vectorize) and exercise_catalogue.sh (one failure
# each) leave out: a wrong answer, the slow answer resubmitted, one that
# raises, one that hangs and one that eats memory, each graded with its own
# exit status and feedback.
source "$(dirname "$0")/lib.bash"

SUBS=$SRC/tests/exercises
source "$SUBS/check_args.bash"

# check_case LESSON CASE STATUS TEXT...
check_case() {
  local lesson=$1 case=$2 status=$3 text timeout=()
  shift 3
  [ "$case" != hangs ] || timeout=(--timeout 2)
  # shellcheck disable=SC2086
  expect_exit "$status" "$PDLAB" check "$SUBS/$lesson/$case.py" ${ARGS[$lesson]} \
    "${QUICK_CHECK[@]}" "${timeout[@]}"
  for text in "$@"; do expect_in "$WORK/out" "$text"; done
}

for lesson in chained_indexing membership chunked_csv groupby; do
  [ "$lesson" = chained_indexing ] || check_case "$lesson" wrong 10 "wrong (exit status 10)"
  [ "$lesson" = chunked_csv ] || check_case "$lesson" slow 11 "NOT PASSED" "too slow (exit status 11)"
  check_case "$lesson" raises 12 "raised an exception" "raises.py\", line" "broke (exit status 12)"
  check_case "$lesson" hangs 12 "timed out" "broke (exit status 12)"
  check_case "$lesson" eats 12 "out of memory" "broke (exit status 12)"
done
echo "exercise_matrix: ok"
