# Bad input gets a clear error naming what failed and loses nothing already
# measured.
source "$(dirname "$0")/lib.bash"
L=$SRC/tests/lessons

# Variants that raise, hang, crash and eat memory each cost one variant.
expect_exit 0 "$PDLAB" run "$L/misbehaving.py" --timeout 8 --mem-limit 1024 \
  --min-sample 0.002 --samples 3 --out bad
check_json bad/results.json \
  'variant("misbehaving", 1000, "fine")["status"] == "ok"' \
  'variant("misbehaving", 1000, "raises")["status"] == "raised"' \
  '"ValueError: a bug in the variant" in variant("misbehaving", 1000, "raises")["error"]' \
  '"Traceback" in variant("misbehaving", 1000, "raises")["error"]' \
  'variant("misbehaving", 1000, "hangs")["status"] == "timeout"' \
  '"--timeout" in variant("misbehaving", 1000, "hangs")["error"]' \
  'variant("misbehaving", 1000, "crashes")["status"] == "crashed"' \
  '"signal 6" in variant("misbehaving", 1000, "crashes")["error"]' \
  'variant("misbehaving", 1000, "eats_memory")["status"] == "no_memory"' \
  'variant("misbehaving", 1000, "fine_again")["status"] == "ok"' \
  'variant("misbehaving", 1000, "sneaky")["status"] == "wrong"' \
  '"changed its shared input" in variant("misbehaving", 1000, "sneaky")["mismatch"]' \
  'variant("misbehaving", 1000, "after_sneaky")["status"] == "ok"' \
  'all(variant("misbehaving", 1000, v)["speedup"] is None for v in ("raises", "hangs", "crashes", "eats_memory"))'
expect_in out "raised"
expect_in out "timed out"
expect_in out "out of memory"
expect_in out "crashed"

# A lesson that does not compile: named, with the line, and the lesson before
# it keeps its results (exit 3: the run finished, one lesson could not run).
cat > ok.py <<'PY'
import pdlab
lesson = pdlab.lesson(question="q", answer="a", signal="s", trivia="none",
                      dataset="mixed", sizes=[1000], reference="total")
@lesson.variant(kind="vectorized")
def total(df):
    return df["x"].sum()
PY
expect_exit 3 "$PDLAB" run ok.py "$L/syntax_error.py" --min-sample 0.002 --out partial
expect_in err "lesson 'syntax_error'"
expect_in err "does not compile"
expect_in err "SyntaxError"
expect_in err "syntax_error.py\", line"
check_json partial/results.json \
  'variant("ok", 1000, "total")["status"] == "ok"' \
  '"SyntaxError" in lesson("syntax_error")["error"]'

# A lesson that asks for a dataset pdlab does not have.
sed 's/dataset="mixed"/dataset="nonesuch"/' ok.py > nodata.py
expect_exit 3 "$PDLAB" run nodata.py --out nodata
expect_in err "dataset 'nonesuch'"
expect_in err "pdlab dataset list"

# A variant kind outside the documented list, and a claim naming a variant
# the lesson does not have: the lesson file's error, naming what is allowed.
sed 's/kind="vectorized"/kind="fast"/' ok.py > badkind.py
expect_exit 3 "$PDLAB" run badkind.py --out badkind
expect_in err "got 'fast'"
expect_in err "kind must be one of"
sed 's/reference="total")/reference="total", claims=[pdlab.faster("total", than="nope", at=1000, by=2)])/' ok.py > badclaim.py
expect_exit 3 "$PDLAB" run badclaim.py --out badclaim
expect_in err "pdlab.faster('total', ...) names 'nope', which is not a variant"

# A corrupt cached dataset is remade, not trusted.
export PDLAB_CACHE=$WORK/cache
expect_exit 0 "$PDLAB" run ok.py --min-sample 0.002 --out first
echo "not an HDF5 file" > "$PDLAB_CACHE/mixed-1000.h5"
expect_exit 0 "$PDLAB" run ok.py --min-sample 0.002 --out second
check_json second/results.json 'variant("ok", 1000, "total")["status"] == "ok"'

# Missing and corrupt files given by the user: named, with what to do.
expect_exit 1 "$PDLAB" dataset info missing.h5
expect_in err "missing.h5"
echo "garbage" > corrupt.h5
expect_exit 1 "$PDLAB" dataset info corrupt.h5
expect_in err "corrupt.h5"

# Unwritable output: the run fails with the path named.
touch not_a_dir
expect_exit 1 "$PDLAB" run ok.py --out not_a_dir/run
expect_in err "not_a_dir"
echo "bad input: ok"
