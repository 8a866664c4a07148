# Hardening at run time: signals, a reference a variant changes, huge
# sizes, two runs into one directory, floods of output, file-size limits and
# the working directory. Each case checks the message, the exit status, that
# what was measured before the fault is in a valid results.json, and that no
# process of the run is left: pdlab starts as the leader of a new session
# (setsid), and the session is searched afterwards, whatever process groups
# the workers made inside it.
source "$(dirname "$0")/lib.bash"
L=$SRC/tests/lessons
export PDLAB_CACHE=$WORK/cache

cat > ok.py <<'PY'
import pdlab
lesson = pdlab.lesson(question="q", answer="a", signal="s", trivia="none",
                      dataset="mixed", sizes=[1000], reference="total")
@lesson.variant(kind="vectorized")
def total(df):
    return df["x"].sum()
PY

# start_run LOG ARGS...: pdlab in the background, leading its own session,
# with the signals a non-interactive shell would ignore in a background job
# set back to their defaults. Its pid (= session id) in $RUN_PID.
start_run() {
  local log=$1
  shift
  env --default-signal=INT,TERM,HUP setsid "$PDLAB" "$@" >"$log.out" 2>"$log.err" &
  RUN_PID=$!
}

# wait_for PATTERN: until a file matches it (at most 60 s).
wait_for() {
  for _ in $(seq 1200); do compgen -G "$1" >/dev/null && return 0; sleep 0.05; done
  fail "$1 never appeared"
}

# finish_run LOG WANT: waits for the run started by start_run and checks
# its exit status; its output in LOG.out, LOG.err.
finish_run() {
  local got=0
  wait "$RUN_PID" || got=$?
  [ "$got" -eq "$2" ] || { cat "$1.out" "$1.err" >&2; fail "run exited $got, expected $2"; }
}

# no_process_left SID: nothing of that session is alive (a moment allowed
# for a SIGKILL to land). A zombie is dead already: what a variant forked is
# reaped by init, on init's schedule, not pdlab's.
no_process_left() {
  for _ in $(seq 50); do
    ps -o stat= -s "$1" | grep -qv '^Z' || return 0
    sleep 0.1
  done
  ps -o pid,pgid,sid,args -s "$1" >&2
  fail "processes of the run (session $1) are still alive"
}

# no_temporaries DIR...: no temporary file of pdlab's is left there.
no_temporaries() {
  local left
  left=$(find "$@" \( -name '*.tmp' -o -name '*.tmp.*' \) 2>/dev/null || true)
  [ -z "$left" ] || fail "temporary files left: $left"
}

# ---- item 1: Ctrl-C and SIGTERM ----------------------------------------

# ^C while a variant hangs: the lesson before keeps its results, the size in
# progress is recorded as interrupted (its samples are taken together, once
# every variant is checked, so none were; nothing is blamed on what comes
# next), the worker and what it forked are gone, exit 130.
export PDLAB_TEST_MARK=$WORK/mark
rm -f "$PDLAB_TEST_MARK"
start_run int run ok.py "$L/waits.py" "$L/mutates_reference.py" --out int "${QUICK[@]}"
wait_for "$PDLAB_TEST_MARK"
kill -INT "$RUN_PID"
finish_run int 130
expect_in int.err "interrupted by SIGINT: results so far in int/results.json"
check_json int/results.json \
  'variant("ok", 1000, "total")["status"] == "ok"' \
  'variant("waits", 1000, "total")["skip"] == "interrupted"' \
  'variant("waits", 1000, "waits")["skip"] == "interrupted"' \
  '"interrupted by SIGINT" in lesson("waits")["error"]' \
  'len(doc["lessons"]) == 2'
no_process_left "$RUN_PID"
no_temporaries int
[ ! -e int/charts ] || fail "an interrupted run drew charts"

# SIGTERM the same, exit 143.
rm -f "$PDLAB_TEST_MARK"
start_run term run "$L/waits.py" --out term "${QUICK[@]}"
wait_for "$PDLAB_TEST_MARK"
kill -TERM "$RUN_PID"
finish_run term 143
expect_in term.err "interrupted by SIGTERM: results so far in term/results.json"
check_json term/results.json 'variant("waits", 1000, "waits")["skip"] == "interrupted"'
no_process_left "$RUN_PID"

# SIGHUP while a dataset is being made: its temporary file is removed.
sed 's/sizes=\[1000\]/sizes=[3_000_000]/' ok.py > big.py
start_run hup run ok.py big.py --out hup "${QUICK[@]}"
wait_for "$PDLAB_CACHE/mixed-3000000.h5.*tmp"
kill -HUP "$RUN_PID"
finish_run hup 129
expect_in hup.err "interrupted by SIGHUP while writing the dataset $PDLAB_CACHE/mixed-3000000.h5"
check_json hup/results.json 'variant("ok", 1000, "total")["status"] == "ok"'
no_process_left "$RUN_PID"
no_temporaries "$PDLAB_CACHE" hup
[ ! -e "$PDLAB_CACHE/mixed-3000000.h5" ] || fail "an interrupted dataset was kept"

# ^C during `pdlab dataset make`: the same.
start_run make dataset make mixed --rows 3000000 --out made.h5
wait_for "made.h5.*tmp"
kill -INT "$RUN_PID"
finish_run make 130
expect_in make.err "interrupted by SIGINT while writing the dataset made.h5"
no_process_left "$RUN_PID"
no_temporaries .
[ ! -e made.h5 ] || fail "an interrupted dataset was kept"

# ---- item 3: an undeclared mutation and the stored reference -----------

expect_exit 0 "$PDLAB" run "$L/mutates_reference.py" --out ref "${QUICK[@]}"
check_json ref/results.json \
  'variant("mutates_reference", 1000, "doubles_in_place")["status"] == "wrong"' \
  '"changed its shared input" in variant("mutates_reference", 1000, "doubles_in_place")["mismatch"]' \
  'variant("mutates_reference", 1000, "copied")["status"] == "ok"'

# ---- item 7: huge sizes ---------------------------------------------------

# Refused before a byte is written, with the figures: over a worker's
# --mem-limit, over the machine's memory, over the cache's free disk. The
# size before is kept, and nothing is left in the cache.
sed 's/sizes=\[1000\]/sizes=[1000, 300_000_000]/' ok.py > huge.py
expect_exit 3 "$PDLAB" run huge.py --out huge --mem-limit 4096 "${QUICK[@]}"
expect_in err "lesson 'huge' at n = 300000000: the dataset 'mixed' alone takes about 13 GiB loaded, over a worker's memory limit of 4096 MiB: raise --mem-limit"
check_json huge/results.json 'variant("huge", 1000, "total")["status"] == "ok"' \
  '"13 GiB" in lesson("huge")["error"]'
sed 's/sizes=\[1000\]/sizes=[1000, 10_000_000_000]/' ok.py > huger.py
expect_exit 3 "$PDLAB" run huger.py --out huger --mem-limit 100000000 "${QUICK[@]}"
expect_in err "more than this machine's memory"
check_json huger/results.json 'variant("huger", 1000, "total")["status"] == "ok"'
expect_exit 1 "$PDLAB" dataset make mixed --rows 10000000000000 --out "$PDLAB_CACHE/mixed-vast.h5"
expect_in err "dataset 'mixed' at 10,000,000,000,000 rows needs up to 409 TiB on disk, and the file system of $PDLAB_CACHE/mixed-vast.h5 has"
[ -z "$(find "$PDLAB_CACHE" -name '*00000000*')" ] || fail "a huge dataset was started"
no_temporaries "$PDLAB_CACHE"

# The temporary of a writer killed outright (SIGKILL) is removed the next
# time that file is made; one whose writer is alive (this shell) is not.
sleep 0 & dead=$!
wait "$dead"
touch "orphan.h5.$dead-0.tmp" "orphan.h5.$$-0.tmp"
expect_exit 0 "$PDLAB" dataset make mixed --rows 1000 --out orphan.h5
[ ! -e "orphan.h5.$dead-0.tmp" ] || fail "the temporary of a killed writer was kept"
[ -e "orphan.h5.$$-0.tmp" ] || fail "the temporary of a live writer was removed"
rm "orphan.h5.$$-0.tmp"

# Making a dataset says so on stderr, unless --quiet.
expect_exit 0 "$PDLAB" run ok.py --sizes 1500 --out progress --min-sample 0.002 --samples 3 --no-charts
expect_in err "making dataset mixed with 1,500 rows"

# ---- item 8: two runs into one --out -----------------------------------

# The second is refused, naming the first's PID; the first is unharmed.
rm -f "$PDLAB_TEST_MARK"
start_run first run ok.py "$L/waits.py" --out shared "${QUICK[@]}"
wait_for "$PDLAB_TEST_MARK"
expect_exit 1 "$PDLAB" run ok.py --out shared "${QUICK[@]}"
expect_in err "another pdlab run (PID $RUN_PID) is writing to shared"
kill -INT "$RUN_PID"
finish_run first 130
check_json shared/results.json 'variant("ok", 1000, "total")["status"] == "ok"' \
  'lesson("waits")["error"] is not None'
no_process_left "$RUN_PID"

# Running again into a finished run's directory replaces it: charts and
# logs of a lesson the new run does not have are gone, a file pdlab did
# not write stays.
expect_exit 0 "$PDLAB" run "$L/mutates_reference.py" --out again --min-sample 0.002 --samples 3 --quiet
[ -e again/charts/mutates_reference-time.svg ] || fail "no charts drawn"
touch again/charts/notes.txt
expect_exit 0 "$PDLAB" run ok.py --out again --min-sample 0.002 --samples 3 --quiet
[ -e again/charts/ok-time.svg ] || fail "no charts drawn on the second run"
[ ! -e again/charts/mutates_reference-time.svg ] || fail "a chart of the earlier run was kept"
[ ! -e again/logs/mutates_reference.log ] || fail "a log of the earlier run was kept"
[ -e again/charts/notes.txt ] || fail "a file pdlab did not write was removed"
check_json again/results.json 'len(doc["lessons"]) == 1'

# ---- item 18: a file-size limit ----------------------------------------

# Past `ulimit -f` the write fails with EFBIG, named; results.json keeps
# the lessons written before, and no temporary is left.
expect_exit 0 "$PDLAB" run ok.py --out fsize-one "${QUICK[@]}"
limit=$(( $(stat -c %s fsize-one/results.json) / 1024 + 2 ))
got=0
( ulimit -f "$limit"; exec "$PDLAB" run ok.py "$L/mutates_reference.py" --out fsize "${QUICK[@]}" ) \
  >fsize.out 2>fsize.err || got=$?
[ "$got" -eq 1 ] || { cat fsize.err >&2; fail "under ulimit -f the run exited $got, expected 1"; }
expect_in fsize.err "fsize/results.json: File too large"
check_json fsize/results.json 'variant("ok", 1000, "total")["status"] == "ok"'
no_temporaries fsize

# ---- item 9: a variant that prints without end --------------------------

# 200 MB printed, then a crash: the log keeps its first and last 64 KiB with
# a note, the crash report quotes the end, and the parent's peak resident
# set (read from /proc while it runs) stays that of a run without the
# flood: reading the whole log, as pdlab once did, held all 200 MB. (The
# baseline is measured, not assumed: under ASan it is 200 MB on its own.)
# peak_of LOG ARGS...: runs pdlab, leaves its peak resident KiB in $PEAK.
peak_of() {
  start_run "$@"
  PEAK=0
  while kill -0 "$RUN_PID" 2>/dev/null; do
    h=$(awk '/^VmHWM/ {print $2}' "/proc/$RUN_PID/status" 2>/dev/null || true)
    [ -n "$h" ] && PEAK=$h
    sleep 0.1
  done
}
peak_of calm run ok.py --out calm "${QUICK[@]}"
finish_run calm 0
calm=$PEAK
peak_of flood run ok.py "$L/floods.py" --out flood "${QUICK[@]}"
finish_run flood 0
[ "$calm" -gt 0 ] && [ "$PEAK" -lt $((calm + 50000)) ] ||
  fail "the parent's peak was $PEAK KiB while a variant printed 200 MB, $calm KiB without"
size=$(stat -c %s flood/logs/floods.log)
[ "$size" -lt 200000 ] || fail "the worker log grew to $size bytes"
expect_in flood/logs/floods.log "bytes of this worker's output left out"
expect_in flood/logs/floods.log "last words of the flood"
check_json flood/results.json \
  'variant("ok", 1000, "total")["status"] == "ok"' \
  'variant("floods", 1000, "floods")["status"] == "crashed"' \
  '"flood/logs/floods.log ends with" in variant("floods", 1000, "floods")["error"]'
no_process_left "$RUN_PID"

# ---- item 19: the working directory -------------------------------------

# A variant that deletes every file in its working directory runs in a
# scratch directory of the worker's (gone after the run), not in the
# caller's; another's os.chdir does not carry over to it.
mkdir -p caller && echo keep > caller/keep.txt
rm -f "$PDLAB_TEST_MARK"
( cd caller && exec "$PDLAB" run "$L/moves_around.py" --out ../moves "${QUICK[@]}" ) >moves.out 2>&1 ||
  { cat moves.out >&2; fail "moves_around did not run"; }
[ -e caller/keep.txt ] || fail "a variant deleted a file in the caller's directory"
scratch=$(cat "$PDLAB_TEST_MARK")
case "$scratch" in
  */pdlab-worker-*) ;;
  *) fail "the variant ran in $scratch, not in a scratch directory" ;;
esac
[ ! -e "$scratch" ] || fail "the scratch directory $scratch was left behind"
check_json moves/results.json \
  'variant("moves_around", 1000, "wanders")["status"] == "ok"' \
  'variant("moves_around", 1000, "cleans_up")["status"] == "ok"'

# ---- items 2, 4, 6: a lesson hostile to the harness -----------------------

# '%' in the lesson's id and a variant's name: every chart and the report
# are drawn. A variant forging malformed events (a warning that is not a
# string among them) costs at most itself. A mutating variant's fresh copy
# of a dict holding a frame is deep: the variant after it sees the frame
# as it was. A process of the run must not be left either.
mkdir -p hostile && cp "$L/hostile.py" "hostile/50%_off.py"
start_run hostile run "hostile/50%_off.py" --out hostile-out --min-sample 0.002 --samples 3 --quiet
finish_run hostile 0
for kind in speedup time memory; do
  [ -s "hostile-out/charts/50__off-$kind.svg" ] || fail "no $kind chart for a lesson with '%' in its id"
done
[ -s hostile-out/charts/overview.svg ] || fail "no overview for a lesson with '%' in its id"
expect_in hostile-out/report.html "100% vec"
check_json hostile-out/results.json \
  'all(variant("50%_off", n, v)["status"] == "ok" for n in (1000, 2000) for v in ("100% vec", "doubles_inside", "after_doubling"))' \
  'variant("50%_off", 2000, "forges_events")["status"] in ("ok", "raised")'
no_process_left "$RUN_PID"
expect_exit 0 "$PDLAB" report hostile-out

# ---- item 5: a variant that forks ------------------------------------------

# The fork holds the event pipe open and would outlive the run: it is
# killed with its worker's process group, and the variant is measured, not
# timed out.
export PDLAB_TEST_PIDFILE=$WORK/forks.pids
rm -f "$PDLAB_TEST_PIDFILE"
start_run forks run "$L/forks.py" --out forks --timeout 60 "${QUICK[@]}"
finish_run forks 0
check_json forks/results.json 'variant("forks", 1000, "forks")["status"] == "left_running" and "child process" in variant("forks", 1000, "forks")["error"]'
[ -s "$PDLAB_TEST_PIDFILE" ] || fail "the forking variant did not run"
no_process_left "$RUN_PID"

# ---- item 14: --quiet keeps errors ------------------------------------------

expect_exit 3 "$PDLAB" run ok.py "$L/syntax_error.py" --out quiet "${QUICK[@]}"
expect_in err "lesson 'syntax_error'"
expect_in err "does not compile"
check_json quiet/results.json 'variant("ok", 1000, "total")["status"] == "ok"'

echo "hardening: ok"
