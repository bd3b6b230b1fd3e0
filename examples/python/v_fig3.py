"""The second paper's Fig. 3: spectra at Earth for the IceCube-like power
law (A, gamma) = (1.4, 2.6) from star-forming sources, with a Z' of
M = 6.5 MeV at g = 5e-4 (NA64's 2024 limit) and g = 1e-4 (its reach at
1e11 muons on target), against the cascade and track points.

    python3 examples/python/v_fig3.py [out.png]
"""
import sys

import matplotlib

matplotlib.use("Agg")
import zprop  # noqa: E402
import zprop.plot  # noqa: E402

# The keys of examples/v_fig3.ini; everything else at zprop's defaults.
model = dict(source="sfr", zmax=6, sum_mnu=0.1, ordering="NO", flavor_ratio="equal", gamma=2.6,
             norm=1.4e-18, mzp=6.5)

with zprop.Context() as ctx:  # one backend for both spectra
    spectra = [ctx.spectrum(gzp=g, **model) for g in (5e-4, 1e-4)]

for s in spectra:
    dip = s.E_GeV[(s.phi_mu / s.phi0_mu).argmin()]
    print(f"g = {s.params['gzp']}: deepest nu_mu dip at {dip:.3g} GeV, "
          f"{1 - (s.phi_mu / s.phi0_mu).min():.0%} absorbed")

ax = zprop.plot.spectrum(spectra, data="v2024",
                         labels=["M = 6.5 MeV, g = 5e-4 (NA64 2024 limit)",
                                 "M = 6.5 MeV, g = 1e-4 (NA64 1e11 MOT reach)"])
ax.set_xlim(1e4, 1e8)
ax.figure.savefig(sys.argv[1] if len(sys.argv) > 1 else "v_fig3.png", dpi=150)
