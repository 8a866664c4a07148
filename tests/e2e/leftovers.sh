# Threads and processes a variant leaves running fail it, named, and none
# outlives the run: tests/lessons/leftovers.py leaves a thread, an open
# process pool, a raw child process, and a pool it raised away from.
source "$(dirname "$0")/lib.bash"

# The run leads its own session, so that everything it started, however
# deep (workers lead their own process groups inside it), can be found
# afterwards by session id.
expect_exit 0 setsid --wait bash -c 'echo $$ > session; exec "$@"' run \
  "$PDLAB" run "$SRC/tests/lessons/leftovers.py" "${QUICK[@]}" --out left
sid=$(cat session)

check_json left/results.json \
  'variant("leftovers", 1000, "tidy")["status"] == "ok"' \
  'all(variant("leftovers", 1000, v)["status"] == "left_running" for v in ("spinning_thread", "open_pool", "raw_child", "raises_in_pool"))' \
  '"thread '"'"'forgotten-waiter'"'"'" in variant("leftovers", 1000, "spinning_thread")["error"]' \
  '"_handle_workers" in variant("leftovers", 1000, "open_pool")["error"]' \
  'variant("leftovers", 1000, "open_pool")["error"].count("child process") == 2' \
  '"time.sleep(300)" in variant("leftovers", 1000, "raw_child")["error"]' \
  '"child process" in variant("leftovers", 1000, "raises_in_pool")["error"]' \
  '"RuntimeError: gave up halfway" in variant("leftovers", 1000, "raises_in_pool")["error"]' \
  'all(not variant("leftovers", 1000, v)["samples_s"] for v in ("spinning_thread", "open_pool", "raw_child"))'
expect_in out "spinning_thread: left_running at n = 1,000: left running when it ended: thread 'forgotten-waiter'"

# The parent kills each worker's process group as it ends it; give the
# kernel a moment to deliver, then nothing of the session may remain.
for _ in 1 2 3 4 5 6 7 8 9 10; do
  left=$(ps -eo sid=,pid=,args= | awk -v s="$sid" '$1 == s' || true)
  [ -z "$left" ] && break
  sleep 0.2
done
[ -z "$left" ] || fail "still running after the run ended:
$left"

echo "leftovers: ok"
