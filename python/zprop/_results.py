"""Result objects: numpy arrays copied out of the library's structures,
usable as attributes or like a read-only mapping."""
from collections.abc import Mapping

import numpy as np

from ._lib import LEDGER_FIELDS

MASS = ("1", "2", "3")
FLAVOUR = ("e", "mu", "tau")


def array(ptr, n):
    """A copy of n doubles at ptr (the library frees its own)."""
    if n == 0:
        return np.empty(0)
    return np.ctypeslib.as_array(ptr, shape=(n,)).copy()


def records(ptr, n, ctype):
    """A copy of n C structures at ptr as a numpy record array, its dtype
    built from the structure's own fields and offsets."""
    import ctypes as C
    kinds = {C.c_double: "f8", C.c_int: "i4", C.c_size_t: "u8"}
    fields = [(name, kinds[t]) for name, t in ctype._fields_]
    dtype = np.dtype({"names": [f for f, _ in fields], "formats": [k for _, k in fields],
                      "offsets": [getattr(ctype, f).offset for f, _ in fields],
                      "itemsize": C.sizeof(ctype)})
    if n == 0:
        return np.empty(0, dtype)
    raw = (C.c_char * (n * C.sizeof(ctype))).from_address(C.addressof(ptr.contents))
    return np.frombuffer(raw, dtype).copy()


class Result(Mapping):
    """Arrays and numbers by name; ``r.chi2`` and ``r["chi2"]`` alike."""

    def __init__(self, values, **extra):
        self._values = values
        self.__dict__.update(extra)

    def __getitem__(self, key):
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(self._values)

    def __getattr__(self, key):
        try:
            return self.__dict__["_values"][key]
        except KeyError:
            raise AttributeError(key) from None

    def __repr__(self):
        return f"<zprop.{type(self).__name__}: {', '.join(self._values)}>"


class Spectrum(Result):
    """One spectrum: ``E_GeV``, ``edges_GeV``, the columns of the CLI's table
    (``phi_1..3``, ``phi_e, phi_mu, phi_tau`` and the same with ``phi0``,
    free streaming), plus ``params`` (the effective keys), ``ledger``,
    ``norm_a``, ``backend``, ``nshells``."""


def spectrum_from(sp, params):
    n = sp.nbins
    values = {"E_GeV": array(sp.energy, n)}
    for block, names in (("phi_mass", ["phi_" + m for m in MASS]),
                         ("phi_flavour", ["phi_" + a for a in FLAVOUR]),
                         ("phi0_mass", ["phi0_" + m for m in MASS]),
                         ("phi0_flavour", ["phi0_" + a for a in FLAVOUR])):
        cols = array(getattr(sp, block), 3 * n).reshape(3, n)
        values.update(zip(names, cols))
    values["edges_GeV"] = array(sp.edges, n + 1)
    ledger = {f: getattr(sp.ledger, f) for f in LEDGER_FIELDS}
    return Spectrum(values, params=params, ledger=ledger, norm_a=sp.norm_a,
                    backend=(sp.backend_name or b"").decode(), nshells=sp.nshells,
                    notice=sp.backend_notice.decode() if sp.backend_notice else None)


class Batch(Result):
    """Many spectra: ``phi_e`` ... shaped (point, source, gamma, bin), the
    mass states ``phi_1..3`` likewise, ``E_GeV``, ``norm_a`` (source, gamma),
    and the axes ``points`` (a dict of arrays per point), ``sources``,
    ``gammas``."""


class Fit(Result):
    """The keys `zprop fit` prints (chi2, gamma, norm, A, chi2_0, ...,
    delta_chi2, R, npoints, dof, mzp, gzp); ``best`` is the best-fit
    Spectrum when asked for."""


class Scan(Result):
    """The scan table as arrays shaped by the grid, ``dims`` (keys, outer
    first: (mzp, gzp) for a plane): mzp_MeV, gzp, chi2, delta_chi2, R, gamma,
    norm, delta_amu, gm2_pull and a column per other dimension (sum_mnu_eV,
    z0, ...); ``axes`` the values of each dimension by key, ``mzp`` and
    ``gzp`` theirs, ``reference`` the plain power-law fit, ``backend``."""

    def profile(self, over, cl=(90, 95), dof=2):
        """`zprop profile`: chi2 minimised over the dimensions ``over``
        (a key or keys, not all), e.g. ``over=("mzp", "gzp")`` on a scan of
        (mzp, gzp, gamma, norm) for V-Fig. 1.  Every array of the result is
        that of the scanned point of lowest chi2 over ``over`` (the first in
        grid order on a tie, as the CLI), shaped by the remaining ``dims``,
        plus ``dchi2_min`` = chi2 - chi2_min; ``levels`` maps each confidence
        level in ``cl`` (percent) to its Delta chi2 for ``dof`` parameters
        (4.61 and 5.99 for 90% and 95% with two)."""
        from ._lib import lib
        over = (over,) if isinstance(over, str) else tuple(over)
        bad = [k for k in over if k not in self.dims]
        if bad or len(set(over)) != len(over) or len(over) >= len(self.dims):
            raise ValueError(f"over = {','.join(over)}: allowed distinct axes of the scan, not "
                             f"all ({','.join(self.dims)})")
        levels = {c: lib.zp_profile_level(float(c), int(dof)) for c in cl}
        if any(not np.isfinite(v) for v in levels.values()):
            raise ValueError(f"cl = {cl}, dof = {dof}: allowed levels in (0, 100), dof >= 1")
        gone = sorted(self.dims.index(k) for k in over)  # grid order, for the tie rule
        kept = [d for d in range(len(self.dims)) if d not in gone]
        shape = tuple(self.chi2.shape[d] for d in kept)

        def flat(a):
            return np.moveaxis(a, gone, range(len(kept), len(self.dims))).reshape(shape + (-1,))
        best = flat(self.chi2).argmin(axis=-1)[..., None]
        values = {k: np.take_along_axis(flat(v), best, axis=-1)[..., 0] for k, v in self.items()}
        chi2_min = float(values["chi2"].min())
        values["dchi2_min"] = values["chi2"] - chi2_min
        dims = tuple(self.dims[d] for d in kept)
        return Profile(values, dims=dims, axes={k: self.axes[k] for k in dims}, over=over,
                       chi2_min=chi2_min, levels=levels, reference=self.reference,
                       params=self.params)


class Profile(Result):
    """A scan minimised over some of its dimensions (Scan.profile): the
    scan's arrays at the best point over ``over``, shaped by ``dims``, and
    ``dchi2_min``; ``chi2_min``, ``levels`` {cl: Delta chi2}, ``axes``."""


class Gm2(Result):
    """`zprop gm2`: delta_amu and pull, or the band's columns."""
