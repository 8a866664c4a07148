# Shared by the end-to-end tests: sourced with the binary, source tree and a
# scratch directory as $1 $2 $3. Each test runs pdlab for real.
set -euo pipefail
PDLAB=$1
SRC=$2
WORK=$3
PYTHON=${PYTHON:-/usr/bin/python3.11}
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"

fail() { echo "FAIL: $*" >&2; exit 1; }

# A run without --out writes under the results root: keep it in the
# scratch directory, never the source tree's results/.
export PDLAB_RESULTS=$WORK/results

# expect_exit CODE CMD...: runs CMD, keeps stdout/stderr in $WORK/out, $WORK/err.
expect_exit() {
  local want=$1 got=0
  shift
  "$@" >"$WORK/out" 2>"$WORK/err" || got=$?
  [ "$got" -eq "$want" ] || {
    echo "--- stdout"; cat "$WORK/out"; echo "--- stderr"; cat "$WORK/err"
    fail "'$*' exited $got, expected $want"
  } >&2
}

# expect_in FILE TEXT: FILE contains TEXT (fixed string).
expect_in() {
  grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "$1 does not contain '$2'"; }
}

# table_row FILE HEADING VARIANT: the row of VARIANT in the table under the
# line that starts with HEADING (rows run to the next blank line).
table_row() {
  awk -v h="$2" -v v="$3" '
    index($0, h) == 1 { on = 1; next }
    on && /^$/ { exit }
    on && $1 == v { print; exit }' "$1"
}

# expect_row FILE HEADING VARIANT ERE: that row is there and matches ERE.
expect_row() {
  local row
  row=$(table_row "$1" "$2" "$3")
  [ -n "$row" ] || { cat "$1" >&2; fail "$1: no row '$3' under '$2'"; }
  grep -qE -- "$4" <<<"$row" || fail "$1: row '$row' does not match /$4/"
}

# Quick runs for tests: short samples, no charts, no progress; FAST adds
# no budget, so that every variant runs at every size.
QUICK=(--min-sample 0.002 --samples 3 --no-charts --quiet)
FAST=("${QUICK[@]}" --budget 0)

# Expressions for check_json.
# ok_everywhere ID: every variant of lesson ID agreed with its reference at
# every size it ran at (above its max_n a variant is not_run, not wrong).
ok_everywhere() {
  echo "all(v['status'] in ('ok', 'not_run') for s in lesson('$1')['results'] for v in s['variants'])"
}
# median ID N VARIANT: its median time at size N.
median() {
  echo "variant('$1', $2, '$3')['median_s']"
}
# exponent ID VARIANT: its fitted time exponent.
exponent() {
  echo "next(g['time_exponent'] for g in lesson('$1')['growth'] if g['variant'] == '$2')"
}

# check_json FILE PYTHON-EXPRESSIONS: asserts on results.json, with `doc`,
# `lesson(id)` and `variant(id, n, name)` at hand.
check_json() {
  local file=$1
  shift
  "$PYTHON" - "$file" "$@" <<'PY'
import json, math, sys
doc = json.load(open(sys.argv[1]))
def lesson(i):
    return next(l for l in doc["lessons"] if l["id"] == i)
def variant(i, n, name):
    size = next(s for s in lesson(i)["results"] if s["n"] == n)
    return next(v for v in size["variants"] if v["name"] == name)
for check in sys.argv[2:]:
    if not eval(check):
        sys.exit(f"results.json check failed: {check}")
PY
}
