"""libzprop through ctypes: loading, the mirrored structures, the prototypes.

Every structure mirrored here is checked against the loaded library with
zp_abi_sizeof(), so a library of another layout fails at import, not with
wrong numbers.
"""
import ctypes as C
import ctypes.util
import glob
import os

_HERE = os.path.dirname(os.path.abspath(__file__))

size_t = C.c_size_t
dptr = C.POINTER(C.c_double)


class Error(C.Structure):
    _fields_ = [("code", C.c_int), ("msg", C.c_char * 512)]


class ParamInfo(C.Structure):
    _fields_ = [("name", C.c_char_p), ("kind", C.c_int), ("default", C.c_char_p),
                ("unit", C.c_char_p), ("allowed", C.c_char_p), ("help", C.c_char_p),
                ("commands", C.c_uint)]


LEDGER_FIELDS = ("energy_final", "energy_below", "energy_dark", "energy_free", "number_final",
                 "number_below", "number_free", "scatterings", "scatterings_dark")


class Ledger(C.Structure):
    _fields_ = [(n, C.c_double) for n in LEDGER_FIELDS]


class Spectrum(C.Structure):
    _fields_ = [("nbins", size_t), ("edges", dptr), ("energy", dptr), ("phi_mass", dptr),
                ("phi_flavour", dptr), ("phi0_mass", dptr), ("phi0_flavour", dptr),
                ("norm_a", C.c_double), ("ledger", Ledger), ("backend_name", C.c_char_p),
                ("backend_notice", C.c_char_p), ("nshells", size_t)]


class BatchResult(C.Structure):
    _fields_ = [("npoints", size_t), ("nsources", size_t), ("ngamma", size_t), ("nbins", size_t),
                ("nshells", size_t), ("edges", dptr), ("energy", dptr), ("phi_mass", dptr),
                ("phi_flavour", dptr), ("phi0_flavour", dptr), ("norm_a", dptr),
                ("backend_name", C.c_char_p), ("backend_notice", C.c_char_p)]


class FitResult(C.Structure):
    _fields_ = [(n, C.c_double) for n in ("chi2", "gamma", "norm", "chi2_0", "gamma_0", "norm_0",
                                          "delta_chi2", "r")] + [
        ("npoints", size_t), ("dof", size_t), ("best", C.POINTER(Spectrum))]


SCAN_FIELDS = ("mzp_mev", "gzp", "chi2", "delta_chi2", "r", "gamma", "norm", "delta_amu",
               "gm2_pull")


class ScanPoint(C.Structure):
    _fields_ = [("index", size_t)] + [(n, C.c_double) for n in SCAN_FIELDS]


class Axis(C.Structure):
    _fields_ = [("lo", C.c_double), ("hi", C.c_double), ("n", size_t), ("log", C.c_int)]


class ScanSpec(C.Structure):
    _fields_ = [("mzp", Axis), ("gzp", Axis), ("gm2_ref", C.c_int), ("chunk", size_t)]


class ScanReference(C.Structure):
    _fields_ = [("chi2_0", C.c_double), ("gamma_0", C.c_double), ("norm_0", C.c_double),
                ("npoints", size_t)]


class Gm2Result(C.Structure):
    _fields_ = [("band", C.c_int), ("central", C.c_double), ("sigma", C.c_double),
                ("label", C.c_char_p), ("delta_amu", C.c_double), ("pull", C.c_double),
                ("n", size_t), ("mzp_mev", dptr), ("g_low", dptr), ("g_high", dptr),
                ("delta_amu_per_g2", dptr)]


class DataBin(C.Structure):
    _fields_ = [(n, C.c_double) for n in ("emin", "emax", "value", "lower", "upper", "cl")] + [
        ("is_ul", C.c_int)]


class Dataset(C.Structure):
    _fields_ = [("name", C.c_char * 64), ("title", C.c_char * 256), ("reference", C.c_char * 256),
                ("channel", C.c_int), ("nbins", size_t), ("bins", C.POINTER(DataBin)),
                ("path", C.c_char * 1024)]


class ContextOpts(C.Structure):
    _fields_ = [("workload", C.c_int), ("npoints", size_t), ("nbins", size_t)]


_MIRRORS = {"zp_context_opts": ContextOpts, "zp_spectrum": Spectrum, "zp_batch_result": BatchResult, "zp_fit_result": FitResult,
            "zp_scan_point": ScanPoint, "zp_scan_spec": ScanSpec,
            "zp_scan_reference": ScanReference, "zp_gm2_result": Gm2Result,
            "zp_param_info": ParamInfo, "zp_error": Error, "zp_dataset": Dataset,
            "zp_data_bin": DataBin}

PROGRESS = C.CFUNCTYPE(C.c_int, C.c_void_p, size_t, size_t)

_P = C.c_void_p
_E = C.POINTER(Error)
# name: (restype, argtypes)
_PROTOTYPES = {
    "zp_strerror": (C.c_char_p, [C.c_int]),
    "zp_abi_sizeof": (size_t, [C.c_char_p]),
    "zp_param_count": (size_t, []),
    "zp_param_at": (C.POINTER(ParamInfo), [size_t]),
    "zp_param_find_in": (C.POINTER(ParamInfo), [C.c_char_p, C.c_uint]),
    "zp_param_command": (C.c_uint, [C.c_char_p]),
    "zp_params_create": (C.c_int, [C.c_char_p, C.POINTER(_P), _E]),
    "zp_params_free": (None, [_P]),
    "zp_params_set": (C.c_int, [_P, C.c_char_p, C.c_char_p, _E]),
    "zp_params_get": (C.c_char_p, [_P, C.c_char_p]),
    "zp_params_write": (C.c_int, [_P, C.c_void_p, _E]),
    "zp_context_create": (C.c_int, [C.c_int, C.POINTER(ContextOpts), C.POINTER(_P), _E]),
    "zp_context_free": (None, [_P]),
    "zp_context_backend_name": (C.c_char_p, [_P]),
    "zp_context_notice": (C.c_char_p, [_P]),
    "zp_params_spectrum": (C.c_int, [_P, _P, C.POINTER(C.POINTER(Spectrum)), _E]),
    "zp_spectrum_free": (None, [C.POINTER(Spectrum)]),
    "zp_params_fit": (C.c_int, [_P, _P, C.c_int, C.POINTER(FitResult), _E]),
    "zp_batch_lists_create": (C.c_int, [_P, C.POINTER(_P), _E]),
    "zp_batch_lists_spec": (_P, [_P]),
    "zp_batch_lists_point": (C.c_int, [_P, size_t, C.c_double * 5, C.POINTER(C.c_int)]),
    "zp_batch_lists_source": (C.c_int, [_P, size_t, C.POINTER(C.c_int), dptr, dptr]),
    "zp_batch_lists_gamma": (C.c_double, [_P, size_t]),
    "zp_batch_lists_free": (None, [_P]),
    "zp_batch_compute_ctx": (C.c_int, [_P, _P, C.POINTER(C.POINTER(BatchResult)), _E]),
    "zp_batch_compute": (C.c_int, [_P, C.POINTER(C.POINTER(BatchResult)), _E]),
    "zp_batch_result_free": (None, [C.POINTER(BatchResult)]),
    "zp_scan_job_create": (C.c_int, [_P, C.POINTER(_P), _E]),
    "zp_scan_job_start": (C.c_int, [_P, C.c_int, C.POINTER(size_t), _E]),
    "zp_scan_job_spec": (C.POINTER(ScanSpec), [_P]),
    "zp_scan_job_reference": (C.POINTER(ScanReference), [_P]),
    "zp_scan_job_size": (size_t, [_P]),
    "zp_scan_job_naxes": (size_t, [_P]),
    "zp_scan_job_axis": (C.c_int, [_P, size_t, C.POINTER(C.c_char_p), C.POINTER(C.c_char_p),
                                   C.POINTER(Axis)]),
    "zp_axis_value": (C.c_double, [C.POINTER(Axis), size_t]),
    "zp_profile_level": (C.c_double, [C.c_double, C.c_int]),
    "zp_scan_job_done": (size_t, [_P]),
    "zp_scan_job_run": (C.c_int, [_P, _P, PROGRESS, C.c_void_p, _E]),
    "zp_scan_job_points": (C.POINTER(ScanPoint), [_P]),
    "zp_scan_job_finish": (C.c_int, [_P, C.c_char_p, _E]),
    "zp_scan_job_free": (None, [_P]),
    "zp_params_gm2": (C.c_int, [_P, C.POINTER(Gm2Result), _E]),
    "zp_gm2_result_free": (None, [C.POINTER(Gm2Result)]),
    "zp_dataset_builtin": (C.c_int, [C.c_char_p, C.POINTER(C.POINTER(Dataset)), _E]),
    "zp_dataset_free": (None, [C.POINTER(Dataset)]),
    "zp_channel_name": (C.c_char_p, [C.c_int]),
}


def _candidates():
    env = os.environ.get("ZPROP_LIBRARY")
    if env:
        return [env]
    bundled = sorted(glob.glob(os.path.join(_HERE, "_native", "lib*", "libzprop.so*")) +
                     glob.glob(os.path.join(_HERE, "_native", "lib*", "*", "libzprop.so*")))
    found = ctypes.util.find_library("zprop")
    return bundled[:1] + ([found] if found else [])


def _load():
    tried = []
    for path in _candidates():
        try:
            lib = C.CDLL(path)
        except OSError as e:
            tried.append(f"{path}: {e}")
            continue
        for name, (res, args) in _PROTOTYPES.items():
            fn = getattr(lib, name)
            fn.restype, fn.argtypes = res, args
        for cname, mirror in _MIRRORS.items():
            if lib.zp_abi_sizeof(cname.encode()) != C.sizeof(mirror):
                raise ImportError(f"zprop: {path} has another layout of {cname} "
                                  f"({lib.zp_abi_sizeof(cname.encode())} bytes, the package "
                                  f"expects {C.sizeof(mirror)}); reinstall the package")
        lib.path = path
        return lib
    raise ImportError("zprop: libzprop not found (set ZPROP_LIBRARY to its path); tried: " +
                      ("; ".join(tried) or "nothing bundled, none installed"))


lib = _load()
