"""The second paper's Fig. 1 from Python: chi2 at fixed (A, gamma), minimised
over (M, g), with its 90% and 95% CL contours.  A scan over four keys (gamma
and norm held fixed per point, so one propagation per spectral index serves
every normalisation), then Scan.profile over the model axes.  This coarse
grid (16 x 8 x 15 x 15 = 28800 points) takes a few seconds on two cores;
examples/v_fig1.ini is the full one.

    python3 examples/python/v_fig1.py [out.png]
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import zprop  # noqa: E402

scan = zprop.scan(data="v2024", source="sfr", zmax=6, sum_mnu=0.1, flavor_ratio="equal",
                  profile="none", mzp=zprop.axis(1, 20, 16), gzp=zprop.axis(1e-5, 5e-4, 8),
                  gamma=zprop.axis(2.2, 2.9, 15), norm=zprop.axis(0.8e-18, 2.2e-18, 15),
                  progress=False)
p = scan.profile(over=("mzp", "gzp"))  # dims ("gamma", "norm")
best = p.dchi2_min.argmin()
i, j = divmod(best, p.dchi2_min.shape[1])
print(f"best: A = {p.norm[i, j] / 1e-18:.2f}, gamma = {p.gamma[i, j]:.3f} "
      f"at M = {p.mzp_MeV[i, j]:.3g} MeV, g = {p.gzp[i, j]:.3g}, chi2 = {p.chi2_min:.2f}")

fig, ax = plt.subplots()
A = p.axes["norm"] / 1e-18
mesh = ax.pcolormesh(p.axes["gamma"], A, p.dchi2_min.T, shading="nearest", vmax=12)
fig.colorbar(mesh, ax=ax, label="chi2 - chi2_min (min over M, g)")
levels = sorted(p.levels.values())
ax.contour(p.axes["gamma"], A, p.dchi2_min.T, levels=levels, colors="w",
           linestyles=["solid", "dashed"])
ax.plot([2.5, 2.6], [1.5, 1.4], "r+", label="P1, P2 (paper)")
ax.legend(fontsize="small")
ax.set_xlabel("gamma")
ax.set_ylabel("A = norm / 1e-18")
ax.set_title(", ".join(f"{cl}% CL: {v:.2f}" for cl, v in p.levels.items()))
fig.savefig(sys.argv[1] if len(sys.argv) > 1 else "v_fig1.png", dpi=150)
