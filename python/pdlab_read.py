"""Read a pdlab dataset file into a pandas DataFrame, without pdlab.

pdlab writes plain HDF5 (one group, one 1-D dataset per column), which
h5py reads directly but pandas.read_hdf does not: read_hdf only opens files
in PyTables' own layout. This file is the one call pandas users need:

    import pdlab_read
    df = pdlab_read.read("~/.cache/pdlab/imported/weather.h5")

It needs only h5py, NumPy and pandas, and gives each column the meaning
pdlab stored with it (attribute "kind"):

    categorical      int8/int16 codes (-1 missing) and a "labels" attribute:
                     pandas.Categorical
    bool             int8 0/1: bool
    boolean          int8 0/1, -1 missing: pandas' nullable "boolean"
    datetime64[ns]   int64 nanoseconds since 1970, NaT as int64's minimum:
                     datetime64[ns]
    (none)           numbers as stored (NaN is missing in floats); text as
                     str, a null string as None

Copy the file next to your code, or put this directory on PYTHONPATH.
"""

import os

import h5py
import numpy as np
import pandas as pd


def read(path, group=None):
    """The dataset group in path (its only group, or `group`) as a DataFrame
    with the columns in pdlab's order."""
    with h5py.File(os.path.expanduser(path), "r") as f:
        if group is None:
            groups = [k for k in f if isinstance(f[k], h5py.Group)]
            if len(groups) != 1:
                raise ValueError(f"{path} holds {len(groups)} groups; name one with group=")
            group = groups[0]
        g = f[group]
        names = [_text(n) for n in g.attrs["columns"]] if "columns" in g.attrs else list(g)
        return pd.DataFrame({name: column(g[name]) for name in names})


def column(ds):
    """One h5py dataset written by pdlab as the array pandas should hold."""
    kind = _text(ds.attrs.get("kind", ""))
    if kind == "categorical":
        labels = [_text(x) for x in ds.attrs["labels"]]
        return pd.Categorical.from_codes(ds[:], labels)
    if kind == "bool":
        return ds[:].view(bool)
    if kind == "boolean":
        codes = ds[:]
        return pd.arrays.BooleanArray(codes == 1, codes < 0)
    if kind == "datetime64[ns]":
        return ds[:].view("datetime64[ns]")
    if h5py.check_string_dtype(ds.dtype) is not None:
        # pdlab stores a missing text value as a null string, which h5py
        # reads as "" (pdlab never stores an empty string: an empty cell is
        # missing).
        values = ds.asstr()[:]
        return np.array([v if v else None for v in values], dtype=object)
    return ds[:]


def _text(v):
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)
