#!/usr/bin/env bash
# End-to-end test of `pdlab dataset` through the real binary.
#
#   dataset_cli.sh PDLAB SOURCE_DIR SCRATCH_DIR      (env PYTHON: with h5py)
#
# make, info, import, export and list must succeed with an empty stderr; h5py
# (an outside reader) must see the values the recipe promises, identical in
# two files made by two processes, and text equal to what pdlab exports; a
# missing or corrupt file must fail with a non-zero exit and a message naming
# the file.
set -euo pipefail

PDLAB=$1
SRC=$2
OUT=$3
PYTHON=${PYTHON:-/usr/bin/python3.11}

fail() {
    echo "dataset_cli: FAIL: $*" >&2
    exit 1
}

# Runs pdlab with stdout and stderr captured in $OUT/$name.out and .err, and
# fails unless it exits 0 with nothing on stderr.
ok() {
    local name=$1
    shift
    if ! "$PDLAB" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"; then
        fail "'pdlab $*' failed: $(cat "$OUT/$name.err")"
    fi
    [ ! -s "$OUT/$name.err" ] || fail "'pdlab $*' wrote to stderr: $(cat "$OUT/$name.err")"
}

# Runs pdlab expecting failure: a non-zero exit and stderr containing each
# of the remaining arguments after "--".
fails() {
    local name=$1
    shift
    local args=()
    while [ "$1" != "--" ]; do
        args+=("$1")
        shift
    done
    shift
    if "$PDLAB" "${args[@]}" >"$OUT/$name.out" 2>"$OUT/$name.err"; then
        fail "'pdlab ${args[*]}' exited 0; it should have failed"
    fi
    for want in "$@"; do
        grep -qF -- "$want" "$OUT/$name.err" ||
            fail "'pdlab ${args[*]}': stderr does not mention '$want': $(cat "$OUT/$name.err")"
    done
}

[ -x "$PDLAB" ] || fail "no pdlab binary at '$PDLAB'"
[ -d "$SRC" ] || fail "no source directory at '$SRC'"
"$PYTHON" -c 'import h5py, numpy' 2>/dev/null ||
    fail "$PYTHON cannot import h5py and numpy (apt-get install python3-h5py)"
rm -rf "$OUT"
mkdir -p "$OUT"
export PDLAB_CACHE="$OUT/cache"

# ---- make and info ----------------------------------------------------------
ok make1 dataset make mixed --rows 1000 --out "$OUT/m.h5"
ok make2 dataset make mixed --rows 1000 --out "$OUT/m2.h5"
[ -f "$OUT/m.h5" ] || fail "make did not write $OUT/m.h5"
cmp -s "$OUT/m.h5" "$OUT/m2.h5" || fail "two makes of the same recipe differ byte for byte"
ls "$OUT"/*.tmp >/dev/null 2>&1 && fail "make left a temporary file behind"

ok info dataset info "$OUT/m.h5"
grep -qE 'rows +1000' "$OUT/info.out" || fail "info does not say 'rows 1000': $(cat "$OUT/info.out")"
for col in id group x y price qty wait; do
    grep -qE "^ +$col +" "$OUT/info.out" || fail "info does not list column '$col'"
done
grep -qF 'north' "$OUT/info.out" || fail "info does not show the labels of 'group'"

# h5py, an outside reader, sees what the recipe promises, in both files.
"$PYTHON" - "$OUT/m.h5" "$OUT/m2.h5" <<'EOF' || fail "h5py check of the made file"
import sys
import h5py
import numpy as np

with h5py.File(sys.argv[1], "r") as a, h5py.File(sys.argv[2], "r") as b:
    g, h = a["mixed"], b["mixed"]
    cols = [c.decode() if isinstance(c, bytes) else c for c in g.attrs["columns"]]
    assert cols == ["id", "group", "x", "y", "price", "qty", "wait"], cols
    assert int(g.attrs["rows"]) == 1000
    for c in cols:
        assert np.array_equal(g[c][:], h[c][:], equal_nan=True), c
    assert (g["id"][:] == np.arange(1, 1001)).all()
    assert np.isnan(g["y"][:]).sum() == 50
    qty = g["qty"][:]
    assert qty.dtype == np.int32 and qty.min() >= 1 and qty.max() <= 20
    codes = g["group"][:]
    assert codes.dtype == np.int8 and codes.min() >= 0 and codes.max() <= 7
    labels = list(g["group"].attrs["labels"])
    assert len(labels) == 8 and labels[0] == "north", labels
    assert g["group"].attrs["kind"] == "categorical"
    x = g["x"][:]
    assert abs(x.mean()) < 0.15 and 0.85 < x.std() < 1.15
    assert (g["price"][:] > 0).all() and (g["wait"][:] >= 0).all()
EOF

# ---- a missing or corrupt file ---------------------------------------------
fails missing dataset info "$OUT/missing.h5" -- "$OUT/missing.h5" "does not exist"
head -c 4096 /dev/urandom >"$OUT/corrupt.h5"
fails corrupt dataset info "$OUT/corrupt.h5" -- "$OUT/corrupt.h5" "not an HDF5 file"
head -c 3000 "$OUT/m.h5" >"$OUT/cut.h5"
fails cut dataset info "$OUT/cut.h5" -- "$OUT/cut.h5" "corrupt or truncated"
# Zeros over object headers: HDF5 finds bad checksums. Nothing but pdlab's
# own message may reach stderr (HDF5 prints its error stack, and at exit
# "infinite loop closing library", unless told not to).
cp "$OUT/m.h5" "$OUT/zeroed.h5"
dd if=/dev/zero of="$OUT/zeroed.h5" bs=1 seek=600 count=400 conv=notrunc 2>/dev/null
fails zeroed dataset info "$OUT/zeroed.h5" -- "$OUT/zeroed.h5" "corrupt or truncated"
! grep -qE 'HDF5-DIAG|infinite loop' "$OUT/zeroed.err" ||
    fail "HDF5 printed to stderr: $(cat "$OUT/zeroed.err")"

# ---- CSV import ------------------------------------------------------------
printf 'city,km,fare,note\nOslo,3,12.5,"late, rainy"\nRome,10,,\nOslo,7,20.25,ok\nRome,1,3,ok\n' \
    >"$OUT/trips.csv"
ok import dataset import "$OUT/trips.csv" --name trips --out "$OUT/t.h5"
ok info_csv dataset info "$OUT/t.h5"
grep -qE 'rows +4' "$OUT/info_csv.out" || fail "info of the import does not say 'rows 4'"

"$PYTHON" - "$OUT/t.h5" <<'EOF' || fail "h5py check of the imported file"
import sys
import h5py
import numpy as np

with h5py.File(sys.argv[1], "r") as f:
    g = f["trips"]
    assert int(g.attrs["rows"]) == 4 and g.attrs["recipe"] == "csv:trips.csv"
    # Two labels over four rows: categorical. The notes repeat too little.
    assert list(g["city"].attrs["labels"]) == ["Oslo", "Rome"]
    assert list(g["city"][:]) == [0, 1, 0, 1]
    assert g["km"].dtype == np.int64 and list(g["km"][:]) == [3, 10, 7, 1]
    fare = g["fare"][:]
    assert fare.dtype == np.float64 and fare[0] == 12.5 and np.isnan(fare[1])
    assert list(g["note"].asstr()[:]) == ["late, rainy", "", "ok", "ok"]
EOF

# Export quotes what needs it: pandas reads back the text that was imported.
ok export_csv dataset export "$OUT/t.h5" --out "$OUT/t-back.csv"
"$PYTHON" - "$OUT/t-back.csv" <<'EOF' || fail "pandas check of the exported import"
import sys
import pandas as pd

df = pd.read_csv(sys.argv[1])
assert list(df.columns) == ["city", "km", "fare", "note"], list(df.columns)
assert df["note"][0] == "late, rainy" and df["note"].isna()[1], df["note"]
assert df["city"].tolist() == ["Oslo", "Rome", "Oslo", "Rome"]
EOF

printf 'a,b\n1,2\n3\n' >"$OUT/ragged.csv"
fails ragged dataset import "$OUT/ragged.csv" --name r --out "$OUT/r.h5" -- "ragged.csv" "line 3"
[ ! -e "$OUT/r.h5" ] || fail "a failed import left $OUT/r.h5 behind"

# ---- the recipes lessons are written against ---------------------------------
ok list dataset list
for recipe in mixed points events people column; do
    grep -qE "^$recipe " "$OUT/list.out" || fail "dataset list does not show '$recipe': $(cat "$OUT/list.out")"
done
for col in ts user item amount kind name email city age score value; do
    grep -qE "^ +$col " "$OUT/list.out" || fail "dataset list does not show column '$col'"
done

ok make_events dataset make events --rows 2000 --out "$OUT/e.h5"
ok make_people dataset make people --rows 2000 --out "$OUT/p.h5"
ok make_people2 dataset make people --rows 2000 --out "$OUT/p2.h5"
cmp -s "$OUT/p.h5" "$OUT/p2.h5" || fail "two makes of people differ byte for byte"
ok info_people dataset info "$OUT/p.h5"
for col in id name email city age score; do
    grep -qE "^ +$col +" "$OUT/info_people.out" || fail "info does not list column '$col' of people"
done
grep -qE '^ +name +object/string' "$OUT/info_people.out" ||
    fail "info does not call 'name' a text column: $(cat "$OUT/info_people.out")"
ok export_people dataset export "$OUT/p.h5" --out "$OUT/p.csv"

# h5py reads the text pdlab wrote, and pandas reads the same from pdlab's CSV.
"$PYTHON" - "$OUT/p.h5" "$OUT/p.csv" "$OUT/e.h5" <<'EOF' || fail "h5py and pandas check of people and events"
import sys
import h5py
import numpy as np
import pandas as pd

csv = pd.read_csv(sys.argv[2], keep_default_na=False, float_precision="round_trip")
with h5py.File(sys.argv[1], "r") as f:
    g = f["people"]
    for c in ["name", "email", "city"]:
        assert h5py.check_string_dtype(g[c].dtype).encoding == "utf-8", c
        text = list(g[c].asstr()[:])
        assert text == csv[c].tolist(), c
        assert all(isinstance(s, str) and s for s in text), c
    assert (g["id"][:] == np.arange(1, 2001)).all()
    assert (g["id"][:] == csv["id"]).all() and (g["age"][:] == csv["age"]).all()
    assert (g["score"][:] == csv["score"]).all()  # %.17g round-trips
    age = g["age"][:]
    assert age.dtype == np.int64 and age.min() >= 18 and age.max() <= 90
    assert csv["city"].nunique() <= 20 and csv["city"].value_counts().index[0] == "London"
    assert csv["email"].str.fullmatch(r"[a-z]+\.[a-z]+[0-9]{1,3}@[a-z.]+").all()
    assert csv["name"].str.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+").all()

with h5py.File(sys.argv[3], "r") as f:
    g = f["events"]
    cols = list(g.attrs["columns"])
    assert cols == ["ts", "user", "item", "amount", "kind"], cols
    user, item = g["user"][:], g["item"][:]
    assert user.dtype == np.int64 and user.min() >= 1 and user.max() <= 500
    assert len(np.unique(user)) < 2000 * 0.3  # about 4 events per user
    assert item.min() >= 1 and item.max() <= 40
    assert (g["amount"][:] > 0).all()
    assert list(g["kind"].attrs["labels"]) == ["view", "click", "buy"]
    shares = np.bincount(g["kind"][:], minlength=3) / 2000
    assert shares[0] > shares[1] > shares[2] > 0, shares
EOF

echo "dataset_cli: ok"
