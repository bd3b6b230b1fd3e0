"""Overhead of a Python call: zprop.spectrum() against the bare C call it
wraps (zp_params_create, zp_params_spectrum, zp_spectrum_free through
ctypes, whose own cost is about a microsecond per call), default spectrum,
alternated in one process so that both see the same machine.

    build/pyenv/bin/python bench/bench_python.py [repeats] >> bench/results/python_vm.csv
"""
import ctypes as C
import os
import statistics
import sys
import time

import zprop
from zprop._lib import Error, Spectrum, lib


def c_call():
    p, out, err = C.c_void_p(), C.POINTER(Spectrum)(), Error()
    lib.zp_params_create(b"spectrum", C.byref(p), C.byref(err))
    st = lib.zp_params_spectrum(None, p, C.byref(out), C.byref(err))
    lib.zp_spectrum_free(out)
    lib.zp_params_free(p)
    assert st == 0, err.msg


def timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    for _ in range(10):
        c_call(), zprop.spectrum()
    tc, tp = [], []
    for _ in range(n):
        tc.append(timed(c_call))
        tp.append(timed(zprop.spectrum))
    mc, mp = statistics.median(tc), statistics.median(tp)
    print("what,repeats,threads,c_median_ms,python_median_ms,overhead_ms,ratio,load1")
    print(f"default spectrum,{n},{os.environ.get('OMP_NUM_THREADS', 'default')},{mc * 1e3:.3f},"
          f"{mp * 1e3:.3f},{(mp - mc) * 1e3:.3f},{mp / mc:.3f},{os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
