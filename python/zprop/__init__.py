"""zprop: high-energy neutrino spectra through the relic neutrino background
with a U(1)_{Lmu-Ltau} Z', fits to IceCube data and (M, g) scans, as numpy
arrays, computed by libzprop.

    import zprop
    s = zprop.spectrum(mzp=13, gzp=5e-4)          # keys of `zprop spectrum`
    s.E_GeV, s.phi_mu, s.phi0_mu                  # arrays of the CLI's table
    f = zprop.fit(data="v2024", mzp=13, gzp=3e-3) # f.chi2, f.gamma, f["R"], ...

Keys, defaults, units and ranges are those of the command line (one table,
in the library); help(zprop.spectrum) lists them.  A bad value raises
ValueError with the CLI's message, an unknown key TypeError.
"""
from . import _api, _keys
from ._api import Context, axis
from ._data import datasets, load_dataset
from ._errors import ZpropError, ZpropFileError, ZpropValueError
from ._keys import keys
from ._lib import lib as _lib

__version__ = "0.1.0"
library_path = _lib.path


def _with_keys(fn, command, summary):
    def wrapper(*args, **kw):
        return fn(*args, **kw)

    wrapper.__name__ = wrapper.__qualname__ = fn.__name__
    wrapper.__doc__ = (f"{summary}\n\n{(fn.__doc__ or '').strip()}\n\n"
                       f"Keys of `zprop {command}` (name [unit] = default):\n"
                       f"{_keys.key_doc(command)}\n")
    return wrapper


spectrum = _with_keys(_api.spectrum, "spectrum",
                      "One spectrum at Earth -> zprop.Spectrum (context=Context to reuse a backend).")
batch = _with_keys(_api.batch, "batch",
                   "Many spectra, list-valued keys (mzp=[10, 13]) -> arrays (point, source, gamma, bin).")
fit = _with_keys(_api.fit, "fit", "A fit to IceCube data -> the keys `zprop fit` prints.")
scan = _with_keys(_api.scan, "scan", "An (mzp, gzp) scan -> arrays shaped (mzp, gzp).")
gm2 = _with_keys(_api.gm2, "gm2", "Muon g-2 of (mzp, gzp): delta_amu and pull.")
gm2_band = _with_keys(_api.gm2_band, "gm2", "The 1 or 2 sigma g-2 band of couplings over masses.")

__all__ = ["spectrum", "batch", "fit", "scan", "gm2", "gm2_band", "datasets", "load_dataset",
           "Context", "axis", "keys", "ZpropError", "ZpropValueError", "ZpropFileError"]
