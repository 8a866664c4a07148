# Hostile input, through the real binary: lesson files that exit or hang
# while loading (they run in a worker, never in pdlab itself), numbers
# that are not numbers, a directory where results.json should be, huge
# speedups on a chart's axis, and control characters in names. Each gets
# a clear message and its exit status; what was measured before stays in
# a valid results.json; nothing of the run is left running.
source "$(dirname "$0")/lib.bash"
L=$SRC/tests/lessons

cat > ok.py <<'PY'
import pdlab
lesson = pdlab.lesson(question="q", answer="a", signal="s", trivia="none",
                      dataset="mixed", sizes=[1000], reference="total")
@lesson.variant(kind="vectorized")
def total(df):
    return df["x"].sum()
PY

# no_process_left SID: nothing of the session the run led is still running.
no_process_left() {
  sleep 0.5
  if pgrep -s "$1" >/dev/null; then
    ps -o pid,pgid,sid,args -s "$1" >&2
    fail "processes of the run (session $1) are still running"
  fi
}

# run_in_session CODE ARGS...: pdlab ARGS in a session of its own, its
# exit status checked, then its session checked for leftovers.
run_in_session() {
  local want=$1 got=0
  shift
  setsid "$PDLAB" "$@" >"$WORK/out" 2>"$WORK/err" &
  local pid=$!
  wait "$pid" || got=$?
  [ "$got" -eq "$want" ] || { cat "$WORK/err" >&2; fail "'pdlab $*' exited $got, expected $want"; }
  no_process_left "$pid"
}

# 10: a file that exits or hangs at its top level costs that file only.
# The timeout is ok.py's too, start-up included: 8 s leaves room for a
# worker starting while ctest -j2 runs a dask cluster beside it.
run_in_session 3 run ok.py "$L/exits_at_import.py" "$L/hangs_at_import.py" \
  --timeout 8 "${QUICK[@]}" --out isolated
expect_in err "lesson 'exits_at_import'"
expect_in err "ended the process reading it (exit 7) while loading"
expect_in err "lesson 'hangs_at_import'"
expect_in err "did not finish loading within 8 s"
check_json isolated/results.json \
  'variant("ok", 1000, "total")["status"] == "ok"' \
  '"exit 7" in lesson("exits_at_import")["error"]' \
  '"within 8 s" in lesson("hangs_at_import")["error"]'

mkdir lessons
cp ok.py "$L/exits_at_import.py" lessons/
PDLAB_LESSONS=$WORK/lessons run_in_session 0 list
expect_in out "exits_at_import    (broken: lesson 'exits_at_import'"
expect_in out "ok                 q"
PDLAB_LESSONS=$WORK/lessons expect_exit 1 "$PDLAB" show exits_at_import
expect_in err "ended the process reading it (exit 7)"

# 15: strict numbers, each refused naming its option.
for bad in "--min-sample inf" "--min-sample nan" "--budget nan" "--budget -1" \
           "--sizes 0x10" "--sizes 1,,2" "--sizes 1000," "--sizes ,1000" \
           "--sizes 1000.5" "--sizes 100,100" "--sizes 1e12" "--timeout 1e999"; do
  # shellcheck disable=SC2086
  expect_exit 2 "$PDLAB" run ok.py $bad --out never
  expect_in err "pdlab run: ${bad%% *} wants"
  [ ! -e never ] || fail "$bad: a refused run wrote never/"
done
# Fractional and repeated sizes in a lesson: the lesson's error.
sed 's/sizes=\[1000\]/sizes=[1000, 1000]/' ok.py > twice.py
sed 's/sizes=\[1000\]/sizes=[1000.5]/' ok.py > fraction.py
expect_exit 3 "$PDLAB" run twice.py fraction.py "${QUICK[@]}" --out sizes
expect_in err "lesson 'twice'"
expect_in err "lesson 'fraction'"
expect_in err "sizes must be a non-empty list of distinct positive whole row counts"
# A memory limit too small to start Python says which limit to raise.
expect_exit 3 "$PDLAB" run ok.py --mem-limit 100 "${QUICK[@]}" --out small
expect_in err "raise --mem-limit"
# A directory where results.json should be.
mkdir -p dirrun/results.json
expect_exit 1 "$PDLAB" report dirrun
expect_in err "is a directory, not a results file"

# 11: a speedup of 1.7e308 on a chart's axis.
"$PYTHON" - isolated/results.json <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for l in doc["lessons"]:
    for s in l["results"]:
        for v in s["variants"]:
            v["speedup"] = 1.7e308
            v["speedup_lo"] = 1e308
            v["speedup_hi"] = 1.7e308
json.dump(doc, open(sys.argv[1], "w"))
PY
expect_exit 0 "$PDLAB" report isolated

# 16: control characters in names reach a terminal escaped; piped output
# stays as it is (it is data).
"$PYTHON" - <<'PY'
src = open("ok.py").read()
src = src.replace('question="q"', 'question="q\\x1b]0;PWNED\\x07 \\x1b[31mred"')
src = src.replace('reference="total"', 'reference="to\\x1b[2Jtal"')
src = src.replace('@lesson.variant(kind=', '@lesson.variant("to\\x1b[2Jtal", kind=')
open("evil.py", "w").write(src)
PY
if command -v script >/dev/null; then
  script -qec "$PDLAB run evil.py ${QUICK[*]} --out evil; $PDLAB compare evil evil" tty.log >/dev/null
  "$PYTHON" - tty.log <<'PY'
import sys
text = open(sys.argv[1], "rb").read()
assert b"\x1b[2J" not in text and b"\x1b]0;" not in text, "an escape reached the terminal"
assert b"to\\x1b[2Jtal" in text, "the escaped name is not shown"
PY
fi
expect_exit 0 "$PDLAB" run evil.py "${QUICK[@]}" --out evil2
check_json evil2/results.json 'lesson("evil")["variants"][0]["name"] == "to\x1b[2Jtal"'
