# csv_only=True: the worker loads no DataFrame (the preparer gets None, no
# load is reported), and under a lesson's mem_limit a thread reserves a
# 2 MiB stack, not glibc's 8 MiB (address space that is not memory).
source "$(dirname "$0")/lib.bash" "$@"

expect_exit 0 "$PDLAB" run "$SRC/tests/lessons/csv_only.py" "${FAST[@]}" --out run
expect_in out "in_a_thread at n = 5,000: preparer got NoneType; a thread took"
check_json run/results.json \
  "all(s['load']['bytes'] == 0 for s in lesson('csv_only')['results'])" \
  "all(v['status'] == 'ok' for s in lesson('csv_only')['results'] for v in s['variants'])"
took=$(grep -oE 'a thread took [0-9.]+ MiB' out | head -1 | grep -oE '[0-9.]+')
"$PYTHON" -c "import sys; sys.exit(0 if 1.5 <= float('$took') <= 3 else 1)" \
  || fail "a thread under a lesson limit took $took MiB of address space, not about 2"

# A csv_only lesson without a preparer would hand its variants None.
sed '/^@lesson.prepare/,/^    return lesson.csv_path/d' "$SRC/tests/lessons/csv_only.py" >no_prepare.py
expect_exit 3 "$PDLAB" run no_prepare.py "${FAST[@]}" --out bad
expect_in err "csv_only=True loads no DataFrame"
