"""Figures with matplotlib (an optional dependency), as `zprop plot` draws
them: spectra E^2 Phi per flavour with IceCube points, and scan maps with
the muon g-2 band.  Each function draws into ``ax`` (a new figure when
None) and returns it."""
import numpy as np

from ._api import gm2_band
from ._data import load_dataset

_PRESETS = {"v2024": ("cascades6yr", "tracks9yr")}


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt
        _, ax = plt.subplots(figsize=(6.4, 4.4), layout="constrained")
    return ax


def _datasets(data):
    if data is None:
        return []
    if isinstance(data, str):
        data = _PRESETS.get(data, data.split(","))
    return [load_dataset(d) if isinstance(d, str) else d for d in data]


def spectrum(spectra, data=None, labels=None, flavour="average", free=True, ax=None):
    """E^2 Phi (GeV cm^-2 s^-1 sr^-1, nu + nubar per flavour) against E.

    ``spectra``: one zprop.Spectrum or a list; ``flavour``: "average" (the
    mean of the three, as the data's per-flavour points), "e", "mu" or
    "tau"; ``free``: also the free-streaming spectrum of the first, dashed;
    ``data``: "v2024", names or paths of data sets, or loaded ones.
    """
    ax = _axes(ax)
    spectra = [spectra] if hasattr(spectra, "E_GeV") else list(spectra)
    labels = labels or [f"M = {s.params['mzp']} MeV, g = {s.params['gzp']}" for s in spectra]

    def flux(s, prefix):
        if flavour == "average":
            return sum(s[f"{prefix}_{a}"] for a in ("e", "mu", "tau")) / 3.0
        return s[f"{prefix}_{flavour}"]

    for s, label in zip(spectra, labels):
        ax.loglog(s.E_GeV, s.E_GeV**2 * flux(s, "phi"), label=label)
    if free and spectra:
        s = spectra[0]
        ax.loglog(s.E_GeV, s.E_GeV**2 * flux(s, "phi0"), "k--", lw=1, label="without Z'")
    for d in _datasets(data):
        e = np.sqrt(d.emin * d.emax)
        xerr = [e - d.emin, d.emax - e]
        m = ~d.is_ul
        ax.errorbar(e[m], d.value[m], xerr=[x[m] for x in xerr],
                    yerr=[d.value[m] - d.lower[m], d.upper[m] - d.value[m]], fmt="o", ms=3,
                    capsize=0, label=f"{d.name} ({d.channel})")
        if (~m).any():
            ax.errorbar(e[~m], d.upper[~m], xerr=[x[~m] for x in xerr],
                        yerr=0.4 * d.upper[~m], uplims=True, fmt="none", ecolor="grey")
    ax.set_xlabel("E [GeV]")
    ax.set_ylabel(r"$E^2\,\Phi$ [GeV cm$^{-2}$ s$^{-1}$ sr$^{-1}$]")
    ax.legend(fontsize="small")
    return ax


def scan_map(scan, quantity="delta_chi2", levels=(2.30, 6.18), gm2_ref="wp2020", band=2,
             ax=None):
    """A scan's ``quantity`` over (M, g), contours where it reaches
    ``levels`` (for delta_chi2, against the plain power law: 2.30 and 6.18
    are 1 and 2 sigma for the two parameters M and g), and the ``band``
    sigma g-2 band of ``gm2_ref`` (None: no band).  ``scan`` is a scan of the
    (mzp, gzp) plane, or one of more keys profiled down to it
    (``scan.profile(over=("gamma", "norm"))``)."""
    dims = getattr(scan, "dims", ("mzp", "gzp"))
    if tuple(dims) != ("mzp", "gzp"):
        raise ValueError(f"scan_map draws the (mzp, gzp) plane; this scan's dims are "
                         f"{tuple(dims)}: profile the others first, scan.profile(over=...)")
    ax = _axes(ax)
    z = scan[quantity].T
    mzp, gzp = scan.axes["mzp"], scan.axes["gzp"]
    mesh = ax.pcolormesh(mzp, gzp, z, shading="nearest", cmap="viridis")
    ax.figure.colorbar(mesh, ax=ax, label=quantity)
    if levels and len(mzp) > 1 and len(gzp) > 1:
        ax.contour(mzp, gzp, z, levels=sorted(levels), colors="w", linewidths=1)
    if gm2_ref is not None:
        b = gm2_band(band=band, gm2_ref=gm2_ref, mzp_min=float(mzp.min()),
                     mzp_max=float(mzp.max()), npoints=200)
        low = np.where(b.g_low > 0, b.g_low, np.nan)
        ax.fill_between(b.mzp_MeV, np.nan_to_num(low, nan=gzp.min()), b.g_high,
                        color="tab:red", alpha=0.3,
                        label=f"g-2 {b.reference['label']} ({band} sigma)")
        ax.legend(fontsize="small", loc="lower right")
    ax.set_xscale("log" if mzp.min() > 0 and mzp.max() / mzp.min() > 10 else
                  "linear")
    ax.set_yscale("log")
    ax.set_ylim(gzp.min(), gzp.max())
    ax.set_xlabel("M [MeV]")
    ax.set_ylabel("g")
    return ax
