# pdlab run and pdlab show agree on where runs live, wherever each is
# started: by default results/ beside the lessons directory (not the
# current directory), PDLAB_RESULTS or show --results to choose another.
# `pdlab show path/to/lesson.py` with no evidence yet suggests a command
# that works as typed.
source "$(dirname "$0")/lib.bash"

unset PDLAB_RESULTS
mkdir -p proj/lessons elsewhere deep/down
cp "$SRC/tests/lessons/markup_source.py" "$SRC/tests/lessons/sleepy.py" proj/lessons/
export PDLAB_LESSONS=$WORK/proj/lessons
SMALL=(--sizes 1000 --min-sample 0.002 --samples 3 --no-charts --quiet)

# ---- run from one directory, show from others
(cd elsewhere && expect_exit 0 "$PDLAB" run markup_source "${SMALL[@]}")
[ -s proj/results/latest/results.json ] || fail "the run did not write beside the lessons (proj/results/latest)"
[ ! -e elsewhere/results ] || fail "the run wrote into the current directory"
for dir in deep/down / elsewhere; do
  (cd "$dir" && expect_exit 0 "$PDLAB" show markup_source)
  expect_in out "Evidence from $WORK/proj/results/"
done
(cd deep/down && expect_exit 0 "$PDLAB" show ../../proj/lessons/markup_source.py)
expect_in out "Evidence from $WORK/proj/results/"

# ---- no evidence yet: the suggestion names the lesson as it was given,
# and runs as printed from the same directory
(cd deep/down && expect_exit 0 "$PDLAB" show ../../proj/lessons/sleepy.py)
expect_in out "No measured evidence yet under $WORK/proj/results: run \`pdlab run ../../proj/lessons/sleepy.py\`"
cmd=$(sed -n 's/.*run `pdlab \(run [^`]*\)`.*/\1/p' out)
(cd deep/down && expect_exit 0 "$PDLAB" $cmd "${SMALL[@]}")
(cd / && expect_exit 0 "$PDLAB" show sleepy)
expect_in out "Evidence from $WORK/proj/results/"

# ---- PDLAB_RESULTS moves the root for both; show --results names a root
# or one run
(cd elsewhere && PDLAB_RESULTS=$WORK/mine expect_exit 0 "$PDLAB" run sleepy "${SMALL[@]}")
[ -s mine/latest/results.json ] || fail "PDLAB_RESULTS=mine: the run did not write there"
PDLAB_RESULTS=$WORK/mine expect_exit 0 "$PDLAB" show markup_source
expect_in out "No measured evidence yet under $WORK/mine"
PDLAB_RESULTS=$WORK/mine expect_exit 0 "$PDLAB" show sleepy
expect_in out "Evidence from $WORK/mine/"
expect_exit 0 "$PDLAB" show sleepy --results "$WORK/mine"
expect_in out "Evidence from $WORK/mine/"
expect_exit 0 "$PDLAB" show sleepy --results "$WORK/mine/latest"
expect_in out "Evidence from $WORK/mine/latest/results.json"
echo "show anywhere: ok"
