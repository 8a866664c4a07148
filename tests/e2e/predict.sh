# pdlab run --predict: the learner's factor is asked (or given) before
# anything is measured; after the run, the prediction stands against the
# measured figure with how far off it was, and only then does the strong
# answer show. No timing is asserted: only what is said, and in what order.
source "$(dirname "$0")/lib.bash"

lesson=$SRC/tests/lessons/starter_misbehaves.py
RUN=(--sizes 1000,2000 --min-sample 0.002 --samples 3 --no-charts --quiet --out run)
answer="The starter is written in a worker with a time limit."

# run_predict ARGS...: a run that measured (exit 0, or 4 when the busy
# machine left the lesson's claim unconfirmed: no timing is asserted here).
run_predict() {
  local got=0
  "$PDLAB" run "$lesson" "$@" "${RUN[@]}" >"$WORK/out" 2>"$WORK/err" || got=$?
  [ "$got" -eq 0 ] || [ "$got" -eq 4 ] || { cat "$WORK/err" >&2; fail "run $* exited $got"; }
}

run_predict --predict 50x
expect_in err "Predict: at 2,000 rows, how many times faster will total be than loop? 50x"
expect_in err "prediction: 50x, measured "
"$PYTHON" - "$WORK/err" "$answer" run/results.json <<'PY'
import json, re, sys
err = open(sys.argv[1]).read()
answer = sys.argv[2]
doc = json.load(open(sys.argv[3]))
ask = err.index("Predict:")
said = err.index("prediction:")
if answer not in err or err.index(answer) < said:
    sys.exit("the strong answer shows before the prediction is set against the run")
if err.index("results: run/results.json") < ask:
    sys.exit("the prediction was asked after measuring")
m = re.search(r"prediction: 50x, measured ([0-9.]+)x \(total vs loop\): off by a factor of ([0-9.]+)", err)
if not m:
    sys.exit("no 'measured ... off by a factor of' line")
claim = doc["lessons"][0]["claims"][0]
measured, off = float(m.group(1)), float(m.group(2))
if abs(measured - claim["figure"]) > 0.051 * claim["figure"] + 0.05:
    sys.exit(f"measured {measured}x said, results.json has {claim['figure']}")
want = max(measured, 50) / min(measured, 50)
if abs(off - want) > 0.051 * want + 0.05:
    sys.exit(f"off by {off}, but 50x against {measured}x is {want:.2f}")
PY
! grep -q "$answer" out || fail "the strong answer in the tables"

# --predict ask reads the factor from stdin; a factor that is not one is
# refused before anything runs.
echo 20 | run_predict --predict ask
expect_in err "prediction: 20x, measured "
expect_exit 2 "$PDLAB" run "$lesson" --predict fast "${RUN[@]}"
echo "ok"
