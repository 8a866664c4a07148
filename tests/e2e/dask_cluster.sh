# bigger_than_memory on a real dask.distributed cluster: Debian's
# dask-scheduler and two dask-worker processes on 127.0.0.1, each with a
# memory limit; pdlab run --scheduler; both workers did work by the
# scheduler's own count; the claims hold; the cluster is stopped by PID. Then
# the same lesson on the local cluster it starts itself.
source "$(dirname "$0")/lib.bash" "$@"
PIDS=()
# Workers first (a worker whose scheduler went first keeps trying to
# reconnect), SIGTERM for dask's own shutdown, then SIGKILL for one that
# takes over 10 s to close: either way, none is left when the test ends.
stop_cluster() {
  local pid i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[i]}" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
}
trap stop_cluster EXIT

dask-scheduler --host 127.0.0.1 --port 0 --no-dashboard --scheduler-file sched.json \
  --preload "$SRC/tests/e2e/dask/count_tasks.py" >scheduler.log 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -s sched.json ] && break; sleep 0.2; done
[ -s sched.json ] || fail "dask-scheduler did not start: $(cat scheduler.log)"
ADDRESS=$("$PYTHON" -c "import json; print(json.load(open('sched.json'))['address'])")
for i in 1 2; do
  dask-worker --scheduler-file sched.json --host 127.0.0.1 --nthreads 1 --no-nanny \
    --no-dashboard --memory-limit 1GiB --name "w$i" >"worker$i.log" 2>&1 &
  PIDS+=($!)
done
"$PYTHON" - "$ADDRESS" <<'PY'
import sys
from distributed import Client
with Client(sys.argv[1], timeout=60) as c:
    c.wait_for_workers(2, timeout=60)
PY

expect_exit 0 "$PDLAB" run bigger_than_memory --scheduler "$ADDRESS" --no-charts --quiet --out remote
expect_in out "confirmed     full_read failed with MemoryError at 2,000,000 rows"
expect_in out "tasks on 2 of 2 workers"
check_json remote/results.json \
  "variant('bigger_than_memory', 2000000, 'full_read')['status'] == 'no_memory'" \
  "all(c['outcome'] == 'confirmed' for c in lesson('bigger_than_memory')['claims'])"
"$PYTHON" - "$ADDRESS" <<'PY'
import sys
from distributed import Client
with Client(sys.argv[1]) as c:
    done = c.run_on_scheduler(
        lambda dask_scheduler: dict(dask_scheduler.plugins["pdlab-count-tasks"].done))
    workers = c.scheduler_info()["workers"]
print(done)
if len(workers) != 2 or any(done.get(w, 0) == 0 for w in workers):
    sys.exit(f"a worker did no tasks by the scheduler's count: {done}")
PY

stop_cluster
for pid in "${PIDS[@]}"; do
  for _ in $(seq 10); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && fail "dask process $pid still running after kill"
done
PIDS=()

# Without --scheduler: the lesson's own LocalCluster, stopped by its teardown.
expect_exit 0 "$PDLAB" run bigger_than_memory --no-charts --quiet --out local
expect_in out "tasks on 2 of 2 workers"
check_json local/results.json \
  "all(c['outcome'] == 'confirmed' for c in lesson('bigger_than_memory')['claims'])"
# The local cluster's worker processes are spawned Pythons: none is left.
[ -z "$(pgrep -f 'multiprocessing.spawn' || true)" ] || fail "a dask process outlived the run"
