#!/usr/bin/env bash
# Your own data, end to end, through the real binary: a CSV with the hard
# cases (BOM, CRLF, leading-zero codes, ISO dates and datetimes, a date
# column with a bad cell, '$', spaces and a repeat in the header, empty
# cells in every type, quoted commas and line breaks, a column of numbers
# but for one text cell) imported; its values read back exactly through
# python/pdlab_read.py; names, list, info; lessons run on it with --dataset
# and dataset="NAME", a column mapping, sizes over its rows; a damaged cache
# file made again, a damaged import refused; NUL bytes and 1e999 named by
# line.
#
#   own_data.sh PDLAB SOURCE_DIR SCRATCH_DIR      (env PYTHON: h5py, pandas)
source "$(dirname "$0")/lib.bash"
export PDLAB_CACHE=$WORK/cache
export PYTHONPATH=$SRC/python

# ---- the CSV ----------------------------------------------------------------
printf '\xef\xbb\xbf' >hard.csv
printf '%s\r\n' \
  'zip,Cost Total $,day,stamp,bad_day,city,note,flag,qty,score,almost,city' \
  '00501,1.5,2023-01-05,2023-01-05T10:30:00,2023-01-01,Oslo,"hello, world",true,1,0.1,1,a' \
  '10001,,2023-02-28,2023-01-06 11:00,2023-02-30,Oslo,"two' \
  'lines",False,2,,2,b' \
  '02134,2.25,,,2023-01-03,Rome,,,3,1e-300,x,c' \
  '90210,0.3,2024-02-29,2023-01-07T00:00:00.25,,Oslo,plain,TRUE,4,NaN,4,d' \
  ',4,2023-06-01,2023-01-08T08:00:00,2023-01-05,,"say ""hi""",false,5,2.5,5,e' \
  '00000,5,2023-06-02,2023-01-09T09:00:00,2023-01-06,Rome,x,true,6,3,6,f' >>hard.csv

expect_exit 0 "$PDLAB" dataset import hard.csv --name hard
[ ! -s err ] || fail "import wrote to stderr: $(cat err)"
expect_in out "imported 'hard': 6 rows, 12 columns"
expect_in out "column 12 'city' is stored as 'city.1' (a name used before)"
expect_in out "column 'zip' is kept as text: numbers with a leading zero"
expect_in out "column 'bad_day' is kept as text: 1 of 5 cells are not ISO dates (first at line 3: '2023-02-30')"
expect_in out "column 'almost' is kept as text: 1 of 6 cells are not numbers (first at line 5: 'x')"
expect_in out "  day                      datetime64[ns] (dates)"
expect_in out "  flag                     bool"

# ---- read back exactly, outside pdlab -----------------------------------------
"$PYTHON" - "$PDLAB_CACHE/imported/hard.h5" <<'PY' || fail "pdlab_read.py does not give the CSV's values"
import math, sys
import numpy as np, pandas as pd
import pdlab_read
df = pdlab_read.read(sys.argv[1])
nan, nat = float("nan"), pd.NaT
want = {
    "zip": ["00501", "10001", "02134", "90210", None, "00000"],
    "Cost Total $": [1.5, nan, 2.25, 0.3, 4.0, 5.0],
    "day": pd.to_datetime(["2023-01-05", "2023-02-28", None, "2024-02-29", "2023-06-01", "2023-06-02"]),
    "stamp": pd.to_datetime(["2023-01-05 10:30", "2023-01-06 11:00", None,
                             "2023-01-07 00:00:00.25", "2023-01-08 08:00", "2023-01-09 09:00"]),
    "bad_day": ["2023-01-01", "2023-02-30", "2023-01-03", None, "2023-01-05", "2023-01-06"],
    "city": ["Oslo", "Oslo", "Rome", "Oslo", nan, "Rome"],
    # A line break inside quotes is the file's own: CRLF here.
    "note": ["hello, world", "two\r\nlines", None, "plain", 'say "hi"', "x"],
    "flag": [True, False, pd.NA, True, False, True],
    "qty": [1, 2, 3, 4, 5, 6],
    "score": [0.1, nan, 1e-300, nan, 2.5, 3.0],
    "almost": ["1", "2", "x", "4", "5", "6"],
    "city.1": ["a", "b", "c", "d", "e", "f"],
}
assert list(df.columns) == list(want), list(df.columns)
assert str(df["city"].dtype) == "category" and str(df["flag"].dtype) == "boolean"
assert str(df["qty"].dtype) == "int64" and str(df["day"].dtype) == "datetime64[ns]"
for name, values in want.items():
    got = df[name].tolist()
    exp = list(values)
    same = all((pd.isna(a) and pd.isna(b)) if (pd.isna(a) is True or pd.isna(b) is True) else a == b
               for a, b in zip(got, exp))
    assert same and len(got) == len(exp), f"{name}: {got} != {exp}"
PY

# Export writes the shortest text that reads back the same double.
expect_exit 0 "$PDLAB" dataset export hard --out back.csv
grep -q '^00501,1.5,2023-01-05,2023-01-05T10:30:00,2023-01-01,Oslo,"hello, world",True,1,0.1,1,a$' back.csv ||
  fail "export: $(head -2 back.csv)"
expect_in back.csv ',4,2023-06-01,2023-01-08T08:00:00,2023-01-05,,"say ""hi""",False,5,2.5,5,e'

# ---- names, list, info -------------------------------------------------------
expect_exit 1 "$PDLAB" dataset import hard.csv --name hard
expect_in err "dataset 'hard' is already imported (from $WORK/hard.csv"
expect_in err "Add --replace"
expect_exit 0 "$PDLAB" dataset import hard.csv --name hard --replace
expect_exit 2 "$PDLAB" dataset import hard.csv --name mixed
expect_in err "'mixed' is a built-in dataset"
expect_in err "--name my_mixed"
expect_exit 2 "$PDLAB" dataset import hard.csv --name "my data"
expect_in err "cannot name a dataset"
expect_exit 0 "$PDLAB" dataset list
expect_in out "hard       6 rows from $WORK/hard.csv, imported 20"
expect_exit 0 "$PDLAB" dataset info hard
expect_in out "source       $WORK/hard.csv"
expect_in out "labels (2): Oslo, Rome"
expect_in out "the first rows (at most 5), as \`pdlab dataset export\` writes them:"
[ "$(grep -c ',Oslo,' out)" -ge 2 ] || fail "info shows no sample rows"

# Many labels: a few are shown, with the count.
"$PYTHON" -c 'print("name"); [print(f"city-{i % 50}") for i in range(200)]' >many.csv
expect_exit 0 "$PDLAB" dataset import many.csv --name many
expect_exit 0 "$PDLAB" dataset info many
expect_in out "labels (50): city-0, city-1,"
expect_in out ", ..."
[ "$(wc -c <out)" -lt 3000 ] || fail "info of 50 labels is $(wc -c <out) bytes"

# ---- types given, bad cells --------------------------------------------------
expect_exit 0 "$PDLAB" dataset import hard.csv --name hard2 --type bad_day=datetime,zip=category
expect_in out "column 'bad_day' (--type datetime): cells that are not datetime are read as missing: 1 (first at line 3: '2023-02-30')"
expect_in out "  zip                      category"
printf 'a,b\n1,2\n3,x\0y\n' >nul.csv
expect_exit 1 "$PDLAB" dataset import nul.csv --name nul
expect_in err "line 3 holds a NUL byte"
printf 'a,b\n1,2\n1e999,3\n' >huge.csv
expect_exit 1 "$PDLAB" dataset import huge.csv --name huge
expect_in err "line 3, column 'a': '1e999' is out of float64's range"
expect_exit 0 "$PDLAB" dataset import huge.csv --name huge --type a=str

# ---- lessons on it -----------------------------------------------------------
# dataset="hard" in the lesson; sizes 2 and 6: the first 2 rows, then all.
expect_exit 0 "$PDLAB" run "$SRC/tests/lessons/own_kinds.py" --out run1 "${FAST[@]}"
check_json run1/results.json "$(ok_everywhere own_kinds)" \
  "[s['n'] for s in lesson('own_kinds')['results']] == [2, 6]"

# A lesson written against an imported dataset named shop, with a mapping.
cp hard.csv shop.csv
expect_exit 0 "$PDLAB" dataset import shop.csv --name shop
expect_exit 3 "$PDLAB" run "$SRC/tests/lessons/spend_by_city.py" --out run2 "${FAST[@]}"
expect_in err "lacks the columns the lesson needs: 'price' (number, missing)"
expect_in err "--columns NAME=COLUMN"
expect_exit 0 "$PDLAB" run "$SRC/tests/lessons/spend_by_city.py" --out run3 \
  --columns 'price=Cost Total $' "${FAST[@]}"
check_json run3/results.json "$(ok_everywhere spend_by_city)" \
  "[s['n'] for s in lesson('spend_by_city')['results']] == [3, 6, 1000000]" \
  "variant('spend_by_city', 1000000, 'groupby_sum')['skip'] == 'over data rows'" \
  "variant('spend_by_city', 1000000, 'groupby_sum').get('median_s') is None"

# A built-in lesson on the imported data, through --dataset.
expect_exit 4 "$PDLAB" run vectorize --dataset shop --out run4 \
  --columns 'price=Cost Total $,wait=score' "${QUICK[@]}"
check_json run4/results.json "$(ok_everywhere vectorize)" "lesson('vectorize')['dataset'] == 'shop'"
expect_in err "vectorize: 3 of 3 claims not confirmed"
check_json run4/results.json "variant('vectorize', 10000, 'columns')['skip'] == 'over data rows'"
expect_in out "(over data"

# A file path works as well as a name.
expect_exit 0 "$PDLAB" run "$SRC/tests/lessons/own_kinds.py" --dataset "$PDLAB_CACHE/imported/hard.h5" \
  --out run5 "${FAST[@]}"

# ---- checksums ---------------------------------------------------------------
# Flips a byte inside the first chunk of a column of numbers.
flip() {
  "$PYTHON" - "$1" "$2" <<'PY'
import sys, h5py
path, column = sys.argv[1], sys.argv[2]
with h5py.File(path, "r") as f:
    group = next(iter(f.values()))
    info = group[column].id.get_chunk_info(0)
with open(path, "r+b") as f:
    f.seek(info.byte_offset + 3)
    b = f.read(1)
    f.seek(info.byte_offset + 3)
    f.write(bytes([b[0] ^ 0x10]))
PY
}
flip "$PDLAB_CACHE/imported/shop.h5" qty
expect_exit 3 "$PDLAB" run "$SRC/tests/lessons/spend_by_city.py" --out run6 \
  --columns 'price=Cost Total $' "${FAST[@]}"
expect_in err "dataset 'shop' cannot be used (import the CSV again"
expect_in err "$PDLAB_CACHE/imported/shop.h5"

"$PDLAB" run "$SRC/tests/lessons/claims_lesson.py" --sizes 300 --out run7 "${FAST[@]}" >out 2>err || true
[ -f "$PDLAB_CACHE/mixed-300.h5" ] || fail "no cached mixed-300.h5: $(cat err)"
flip "$PDLAB_CACHE/mixed-300.h5" x
"$PDLAB" run "$SRC/tests/lessons/claims_lesson.py" --sizes 300 --out run8 "${FAST[@]}" >out 2>err || true
expect_in err "$PDLAB_CACHE/mixed-300.h5 failed its checks and is made again"
check_json run8/results.json "all(v['status'] in ('ok', 'wrong', 'not_run') for v in lesson('claims_lesson')['results'][0]['variants'])"
echo "own_data: ok"
