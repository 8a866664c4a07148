# pdlab compare flags a change only when a Mann-Whitney U test on the samples
# of both runs says it is real: two real runs of the same command show none,
# a variant made to sleep longer in the second run is found, runs with too
# few samples say so, and sizes only one run has are listed.
source "$(dirname "$0")/lib.bash" "$@"
LESSON=$SRC/tests/lessons/sleepy.py
RUN=(--min-sample 0.002 --samples 15 --no-charts --quiet --budget 0)

expect_exit 0 "$PDLAB" run "$LESSON" "${RUN[@]}" --out a
expect_exit 0 "$PDLAB" run "$LESSON" "${RUN[@]}" --out b
expect_exit 0 "$PDLAB" compare a b --out same
expect_in out "0 changes, marked *"

PDLAB_TEST_NAP_MS=8 expect_exit 0 "$PDLAB" run "$LESSON" "${RUN[@]}" --out slow
expect_exit 0 "$PDLAB" compare a slow --out changed
expect_in out "1 change, marked *"
grep -E '^ +nap .*slower \(p = [0-9.e-]+\) \*' out >/dev/null || { cat out >&2; fail "nap not flagged slower"; }

# Three samples a side can never reach p < 0.002: said, not guessed.
expect_exit 0 "$PDLAB" run "$LESSON" "${RUN[@]}" --samples 3 --out few
PDLAB_TEST_NAP_MS=8 expect_exit 0 "$PDLAB" run "$LESSON" "${RUN[@]}" --samples 3 \
  --sizes 1000,2000 --out few_slow
expect_exit 0 "$PDLAB" compare few few_slow --out few_cmp
expect_in out "too few samples (3, 3)"
expect_in out "0 changes, marked *"
expect_in out "sizes only B ran: 2,000: not compared"
