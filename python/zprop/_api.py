"""The functions of the package: each sets the keys of one `zprop`
command in a libzprop parameter set and calls the library; nothing of the
physics is computed here."""
import ctypes as C
import threading

import numpy as np

from . import _results as R
from ._errors import ESTOPPED, raise_for
from ._keys import Params, _keys as keys
from ._lib import PROGRESS, SCAN_FIELDS, BatchResult, ContextOpts, Error, FitResult, Gm2Result
from ._lib import Axis, ScanPoint, Spectrum, lib

_WORKLOADS = {"default": 0, "batch": 1, "scan": 2}


def _word_index(command, key, word):
    row = next(k for k in keys(command) if k["name"] == key)
    return [w.lower() for w in row["allowed"].split("|")].index(word.lower())


def _word(command, key, pos):
    row = next(k for k in keys(command) if k["name"] == key)
    return row["allowed"].split("|")[pos]


class Context:
    """One backend (and GPU, when there is one) kept across calls.

    ``Context(backend="auto", workload="default")``; workload "scan" makes
    AUTO take a usable GPU whatever the size of a call.  Results equal those
    of the functions without a context.  Thread safety: calls on one
    Context are serialised by a lock (the library's context is used by one
    thread at a time); separate Contexts run in parallel, as the library
    releases the GIL during a computation.
    """

    def __init__(self, backend="auto", workload="default"):
        if workload not in _WORKLOADS:
            raise ValueError(f"workload = {workload}: allowed {'|'.join(_WORKLOADS)}")
        Params("spectrum", {"backend": backend})  # the CLI's check and message
        self.workload = workload
        self._ctx = C.c_void_p()
        self._lock = threading.Lock()
        opts = ContextOpts(_WORKLOADS[workload], 0, 0)
        err = Error()
        kind = _word_index("spectrum", "backend", backend)
        raise_for(lib.zp_context_create(kind, C.byref(opts), C.byref(self._ctx), C.byref(err)), err)

    @property
    def backend(self):
        """The backend chosen (may be decided at the first computation)."""
        return lib.zp_context_backend_name(self._ctx).decode()

    @property
    def notice(self):
        n = lib.zp_context_notice(self._ctx)
        return n.decode() if n else None

    def close(self):
        if getattr(self, "_ctx", None):
            lib.zp_context_free(self._ctx)
            self._ctx = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    def spectrum(self, **keys):
        return spectrum(context=self, **keys)

    def batch(self, **keys):
        return batch(context=self, **keys)

    def fit(self, **keys):
        return fit(context=self, **keys)

    def scan(self, **keys):
        return scan(context=self, **keys)


class _Held:
    """The library context of a call and its lock (none without a Context)."""

    def __init__(self, context):
        self.context = context

    def __enter__(self):
        if self.context is None:
            return None
        self.context._lock.acquire()
        return self.context._ctx

    def __exit__(self, *exc):
        if self.context is not None:
            self.context._lock.release()


def spectrum(context=None, **keys):
    p = Params("spectrum", keys)
    out = C.POINTER(Spectrum)()
    err = Error()
    with _Held(context) as ctx:
        st = lib.zp_params_spectrum(ctx, p.handle, C.byref(out), C.byref(err))
    raise_for(st, err)
    try:
        return R.spectrum_from(out.contents, p.effective())
    finally:
        lib.zp_spectrum_free(out)


def batch(context=None, **keys):
    p = Params("batch", keys)
    lists = C.c_void_p()
    err = Error()
    raise_for(lib.zp_batch_lists_create(p.handle, C.byref(lists), C.byref(err)), err)
    out = C.POINTER(BatchResult)()
    try:
        spec = lib.zp_batch_lists_spec(lists)
        with _Held(context) as ctx:
            if ctx is None:
                st = lib.zp_batch_compute(spec, C.byref(out), C.byref(err))
            else:
                st = lib.zp_batch_compute_ctx(ctx, spec, C.byref(out), C.byref(err))
        raise_for(st, err)
        return _batch_from(out.contents, lists, p.effective())
    finally:
        if out:
            lib.zp_batch_result_free(out)
        lib.zp_batch_lists_free(lists)


def _batch_from(r, lists, params):
    shape = (r.npoints, r.nsources, r.ngamma, 3, r.nbins)
    n = int(np.prod(shape))
    values = {"E_GeV": R.array(r.energy, r.nbins), "edges_GeV": R.array(r.edges, r.nbins + 1)}
    for block, prefix, names in (("phi_mass", "phi_", R.MASS), ("phi_flavour", "phi_", R.FLAVOUR),
                                 ("phi0_flavour", "phi0_", R.FLAVOUR)):
        a = R.array(getattr(r, block), n).reshape(shape)
        values.update({prefix + s: a[:, :, :, i, :] for i, s in enumerate(names)})
    values["norm_a"] = R.array(r.norm_a, r.nsources * r.ngamma).reshape(r.nsources, r.ngamma)
    cols = {k: np.empty(r.npoints) for k in ("mzp", "gzp", "gchi", "mchi", "sum_mnu")}
    ordering = []
    v, o = (C.c_double * 5)(), C.c_int()
    for i in range(r.npoints):
        lib.zp_batch_lists_point(lists, i, v, C.byref(o))
        for k, x in zip(cols, v):
            cols[k][i] = x
        ordering.append(_word("batch", "ordering", o.value))
    cols["ordering"] = np.array(ordering)
    sources = []
    kind, z0, zmax = C.c_int(), C.c_double(), C.c_double()
    for s in range(r.nsources):
        lib.zp_batch_lists_source(lists, s, C.byref(kind), C.byref(z0), C.byref(zmax))
        sources.append({"source": _word("batch", "source", kind.value), "z0": z0.value,
                        "zmax": zmax.value})
    gammas = np.array([lib.zp_batch_lists_gamma(lists, g) for g in range(r.ngamma)])
    return R.Batch(values, points=cols, sources=sources, gammas=gammas, params=params,
                   backend=(r.backend_name or b"").decode(), nshells=r.nshells)


def fit(context=None, spectrum=False, **keys):
    """`zprop fit`; ``spectrum=True`` adds the best-fit Spectrum as ``best``."""
    p = Params("fit", keys)
    res = FitResult()
    err = Error()
    with _Held(context) as ctx:
        st = lib.zp_params_fit(ctx, p.handle, int(bool(spectrum)), C.byref(res), C.byref(err))
    raise_for(st, err)
    best = None
    if res.best:
        try:
            best = R.spectrum_from(res.best.contents, p.effective())
        finally:
            lib.zp_spectrum_free(res.best)
    # A as `zprop fit` prints it: the paper's normalisation, all flavours.
    values = {"chi2": res.chi2, "gamma": res.gamma, "norm": res.norm, "A": 3.0 * res.norm / 3e-18,
              "chi2_0": res.chi2_0, "gamma_0": res.gamma_0, "norm_0": res.norm_0,
              "A_0": 3.0 * res.norm_0 / 3e-18, "delta_chi2": res.delta_chi2, "R": res.r,
              "npoints": res.npoints, "dof": res.dof, "mzp": float(p.get("mzp")),
              "gzp": float(p.get("gzp"))}
    return R.Fit(values, best=best, params=p.effective())


def _progress_bar(progress):
    """A callable(done, total) from the progress argument, and its closer."""
    if callable(progress):
        return progress, lambda: None
    if not progress:
        return None, lambda: None
    try:
        from tqdm import tqdm
    except ImportError:
        return None, lambda: None
    bar = tqdm(unit="pt", desc="zprop scan")

    def update(done, total):
        bar.total = total
        bar.update(done - bar.n)

    return update, bar.close


def scan(context=None, progress=True, **keys):
    """`zprop scan`: a grid of keys fitted point by point.

    Axes as for the CLI: ``mzp="1:20:96"`` or ``zprop.axis(1, 20, 96)``, for
    up to four of mzp, gzp, gchi, mchi, sum_mnu, z0, zmax, density_power,
    gamma and norm (the last two then held fixed per point).  The arrays are
    shaped by the grid's dimensions, ``result.dims`` (outer first; mzp and
    gzp always among them), whose values are ``result.axes[key]``.
    With ``output=PATH`` the scan keeps PATH.journal as the CLI does (a
    killed or interrupted scan continues from it when called again with the
    same keys; ``resume="restart"`` starts over) and writes the CLI's table
    to PATH at the end; without it nothing is written.  ``progress``: True
    (a tqdm bar when tqdm is installed), False, or a callable(done, total).
    Ctrl-C (KeyboardInterrupt) stops after the block being computed; the
    blocks finished are kept in the journal.
    """
    files = 1 if "output" in keys else 0
    keys = dict(keys)
    keys.setdefault("output", "-")
    p = Params("scan", keys)
    job = C.c_void_p()
    err = Error()
    raise_for(lib.zp_scan_job_create(p.handle, C.byref(job), C.byref(err)), err)
    try:
        return _run_job(context, job, files, p, progress)
    finally:
        lib.zp_scan_job_free(job)


def _run_job(context, job, files, p, progress):
    err = Error()
    resumed = C.c_size_t()
    raise_for(lib.zp_scan_job_start(job, files, C.byref(resumed), C.byref(err)), err)
    update, close = _progress_bar(progress)
    interrupted = []

    def on_block(_user, done, total):
        try:
            if update is not None:
                update(done, total)
            return 0
        except KeyboardInterrupt as e:  # ctypes would swallow it: stop, then re-raise
            interrupted.append(e)
            return 1

    cb = PROGRESS(on_block)
    own = context is None
    if own:
        context = Context(p.get("backend"), workload="scan")
    try:
        with _Held(context) as ctx:
            st = lib.zp_scan_job_run(ctx, job, cb, None, C.byref(err))
            backend = lib.zp_context_backend_name(ctx)
        close()
        if st == ESTOPPED and interrupted:
            raise interrupted[0]
        raise_for(st, err)
        raise_for(lib.zp_scan_job_finish(job, backend, C.byref(err)), err)
        return _scan_from(job, p, backend.decode())
    finally:
        if own:
            context.close()


def _scan_axes(job):
    """The grid's dimensions, outer first: [(key, column, values)]."""
    out = []
    for d in range(lib.zp_scan_job_naxes(job)):
        key, column, a = C.c_char_p(), C.c_char_p(), Axis()
        raise_for(lib.zp_scan_job_axis(job, d, C.byref(key), C.byref(column), C.byref(a)), Error())
        values = np.array([lib.zp_axis_value(C.byref(a), i) for i in range(a.n)])
        out.append((key.value.decode(), column.value.decode(), values))
    return out


def _scan_from(job, p, backend):
    n = lib.zp_scan_job_size(job)
    pts = R.records(lib.zp_scan_job_points(job), n, ScanPoint)
    dims = _scan_axes(job)
    shape = tuple(len(v) for _, _, v in dims)
    names = ("mzp_MeV", "gzp", "chi2", "delta_chi2", "R", "gamma", "norm", "delta_amu", "gm2_pull")
    values = {name: pts[f].astype(float).reshape(shape).copy()
              for name, f in zip(names, SCAN_FIELDS)}
    for d, (_, column, v) in enumerate(dims):
        if column not in values:  # z0, sum_mnu_eV, ...: the axis, broadcast over the grid
            index = [None] * len(dims)
            index[d] = slice(None)
            values[column] = np.broadcast_to(v[tuple(index)], shape).copy()
    ref = lib.zp_scan_job_reference(job).contents
    reference = {"chi2_0": ref.chi2_0, "gamma_0": ref.gamma_0, "norm_0": ref.norm_0,
                 "npoints": ref.npoints}
    axes = {key: v for key, _, v in dims}
    return R.Scan(values, mzp=axes["mzp"], gzp=axes["gzp"], axes=axes,
                  dims=tuple(key for key, _, _ in dims), reference=reference, backend=backend,
                  params=p.effective())


def axis(lo, hi, n):
    """A scan axis, ``axis(1, 20, 96)`` == ``"1:20:96"``."""
    return f"{lo!r}:{hi!r}:{int(n)}"


def _gm2(keys):
    p = Params("gm2", keys)
    res = Gm2Result()
    err = Error()
    raise_for(lib.zp_params_gm2(p.handle, C.byref(res), C.byref(err)), err)
    try:
        ref = {"label": res.label.decode(), "central": res.central, "sigma": res.sigma}
        if res.band == 0:
            return R.Gm2({"delta_amu": res.delta_amu, "pull": res.pull}, reference=ref,
                         params=p.effective())
        cols = {c: R.array(getattr(res, c), res.n)
                for c in ("mzp_mev", "g_low", "g_high", "delta_amu_per_g2")}
        cols["mzp_MeV"] = cols.pop("mzp_mev")
        return R.Gm2(cols, reference=ref, band=res.band, params=p.effective())
    finally:
        lib.zp_gm2_result_free(C.byref(res))


def gm2(**keys):
    """`zprop gm2` with band = 0: Delta a_mu of (mzp, gzp) and its pull."""
    if keys.get("band", 0) not in (0, "0"):
        raise ValueError("zprop.gm2() is the point (band = 0); use zprop.gm2_band()")
    return _gm2(keys)


def gm2_band(band=2, **keys):
    """`zprop gm2` with band = 1 or 2: the band of couplings over masses."""
    if band in (0, "0"):
        raise ValueError("band = 0: out of range, allowed [1, 2] (zprop.gm2() is the point)")
    return _gm2(dict(keys, band=band))
