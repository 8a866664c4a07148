# pdlab exercise, check and hint through the real binary, on vectorize: the
# model answer passes, and a wrong answer, the slow answer resubmitted, one
# that raises, one that hangs and one that eats memory each fail with their
# own exit status and feedback; the starter runs as it is and says what is
# missing; hints one at a time; misuse. The other lessons' exercises are in
# exercise_catalogue.sh. Small sizes and short samples keep it quick; the
# lessons' own sizes and targets are what `pdlab check` uses without options.
source "$(dirname "$0")/lib.bash"

SUBS=$SRC/tests/exercises
QUICK_CHECK=(--quiet --mem-limit 2048 --samples 3 --min-sample 0.002 --sizes 1000,3000)

# check_case CASE STATUS TEXT...: `pdlab check` of vectorize's submission
# CASE exits STATUS and its feedback holds every TEXT; stderr stays empty.
check_case() {
  local case=$1 status=$2 text timeout=()
  shift 2
  # The time limit covers a variant's checks, samples and profile: only the
  # answer that hangs gets a short one.
  [ "$case" != hangs ] || timeout=(--timeout 2)
  expect_exit "$status" "$PDLAB" check "$SUBS/vectorize/$case.py" "${QUICK_CHECK[@]}" "${timeout[@]}"
  for text in "$@"; do expect_in "$WORK/out" "$text"; done
  [ ! -s "$WORK/err" ] || { cat "$WORK/err"; fail "vectorize/$case: stderr not empty"; }
}

check_case model 0 "right: the same values as the reference" "PASSED (exit status 0)"
check_case wrong 10 "WRONG at" "values differ from the reference" "wrong (exit status 10)" "hint 1"
# The loop resubmitted: the profile sees a call per row.
check_case slow 11 "NOT PASSED" "too slow (exit status 11)" "a Python call per row is still there"
check_case raises 12 "raised an exception" "raises.py\", line" "broke (exit status 12)"
check_case hangs 12 "timed out" "it never returned" "broke (exit status 12)"
check_case eats 12 "out of memory" "MemoryError" "broke (exit status 12)"

# A starter: no model answer in it, the slow answer and the data are; run
# as it is, it says what is missing.
expect_exit 0 "$PDLAB" exercise vectorize --out "$WORK/vectorize.py"
for text in 'LESSON = "vectorize"' "def iterrows(df):" "def solve(df):" "Columns and dtypes:" \
            "wait       float64" "at least 100x faster than iterrows at 10,000 rows"; do
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

# Hints, one at a time; misuse.
expect_exit 0 "$PDLAB" hint groupby
expect_in "$WORK/out" "hint 1 of 3"
expect_in "$WORK/out" "pdlab hint groupby 2"
expect_exit 0 "$PDLAB" hint groupby 3
expect_in "$WORK/out" "df.groupby('item')['amount'].sum()"
expect_exit 2 "$PDLAB" hint groupby 4
expect_exit 2 "$PDLAB" check
expect_exit 2 "$PDLAB" check "$SUBS/vectorize/model.py" --samples 2
printf 'def solve(df):\n    return df\n' >"$WORK/nolesson.py"
expect_exit 1 "$PDLAB" check "$WORK/nolesson.py"
expect_in "$WORK/err" 'no line LESSON = "name"'
echo "ok"
