"""A small (M, g) map as in the second paper's Fig. 2: each point fitted to
the cascade and track data (data = v2024) with gamma and the normalisation
profiled, Delta chi2 against the plain power law, and the 2 sigma g-2 band.
24 x 20 points take about half a minute on two cores; `output=` keeps a
journal, so an interrupted run (Ctrl-C) continues where it stopped.

    python3 examples/python/scan_map.py [out.png]
"""
import sys

import matplotlib

matplotlib.use("Agg")
import zprop  # noqa: E402
import zprop.plot  # noqa: E402

scan = zprop.scan(data="v2024", mzp=zprop.axis(1, 100, 24), gzp=zprop.axis(1e-5, 1e-1, 20),
                  mzp_scale="log", output="scan_map.tsv")  # the CLI's table, resumable

best = scan.delta_chi2.argmin()
i, j = divmod(best, scan.delta_chi2.shape[1])
print(f"best: M = {scan.mzp[i]:.3g} MeV, g = {scan.gzp[j]:.3g}, "
      f"delta_chi2 = {scan.delta_chi2[i, j]:.2f}, gamma = {scan.gamma[i, j]:.2f}")
print(f"reference (no Z'): chi2_0 = {scan.reference['chi2_0']:.2f} "
      f"over {scan.reference['npoints']} points")

ax = zprop.plot.scan_map(scan, gm2_ref="wp2020")
ax.set_title("IceCube cascades + tracks (v2024): Delta chi2")
ax.figure.savefig(sys.argv[1] if len(sys.argv) > 1 else "scan_map.png", dpi=150)
