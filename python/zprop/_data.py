"""IceCube data sets through the library's loader."""
import ctypes as C

import numpy as np

from ._errors import raise_for
from ._keys import keys
from ._lib import DataBin, Dataset, Error, lib
from ._results import Result, records

_COLUMNS = ("emin", "emax", "value", "lower", "upper", "cl", "is_ul")


def datasets():
    """The names of the built-in data sets (the `data` key's words)."""
    allowed = next(k for k in keys("fit") if k["name"] == "data")["allowed"]
    words = allowed.split(",")[0].split("|")
    return [w for w in words if w.isidentifier() and w != "PATH"]


def load_dataset(name_or_path):
    """A built-in data set by name, or a .dat file by path: a Result with
    arrays emin, emax (GeV), value, lower, upper (E^2 Phi), cl (percent),
    is_ul, and name, title, reference, channel, path."""
    out = C.POINTER(Dataset)()
    err = Error()
    raise_for(lib.zp_dataset_builtin(str(name_or_path).encode(), C.byref(out), C.byref(err)), err)
    try:
        d = out.contents
        rows = records(d.bins, d.nbins, DataBin) if d.nbins else None
        cols = {c: (rows[c].copy() if rows is not None else np.empty(0)) for c in _COLUMNS}
        cols["is_ul"] = cols["is_ul"].astype(bool)
        return Result(cols, name=d.name.decode(), title=d.title.decode(),
                      reference=d.reference.decode(), channel=lib.zp_channel_name(d.channel).decode(),
                      path=d.path.decode())
    finally:
        lib.zp_dataset_free(out)
