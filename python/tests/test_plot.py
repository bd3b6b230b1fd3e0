"""zprop.plot draws what it is given (matplotlib, Agg)."""
import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import zprop  # noqa: E402
import zprop.plot  # noqa: E402
from conftest import SCAN, SMALL  # noqa: E402


def test_spectrum_plot_has_the_model_and_the_points(tmp_path):
    s = zprop.spectrum(**dict(SMALL, mzp=13, gzp=3e-3))
    ax = zprop.plot.spectrum(s, data="v2024")
    lines = ax.get_lines()
    model = lines[0].get_ydata()
    np.testing.assert_allclose(model, s.E_GeV**2 * (s.phi_e + s.phi_mu + s.phi_tau) / 3)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "without Z'" in labels and any(t.startswith("cascades6yr") for t in labels)
    ax.figure.savefig(tmp_path / "s.png")
    assert (tmp_path / "s.png").stat().st_size > 10000


def test_scan_map_has_the_band_of_the_reference(tmp_path):
    scan = zprop.scan(progress=False, **SCAN)
    ax = zprop.plot.scan_map(scan, gm2_ref="bmw2025")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["g-2 bmw2025 (2 sigma)"]
    ax.figure.savefig(tmp_path / "m.png")
    assert (tmp_path / "m.png").stat().st_size > 10000


def test_scan_map_of_a_profile_and_not_of_a_grid(tmp_path):
    scan = zprop.scan(progress=False, **dict(SCAN, gamma="2.4:2.8:2", profile="norm"))
    with pytest.raises(ValueError, match=r"dims are \('mzp', 'gzp', 'gamma'\)"):
        zprop.plot.scan_map(scan)
    p = scan.profile(over="gamma")
    ax = zprop.plot.scan_map(p, quantity="dchi2_min", gm2_ref=None)
    mesh = ax.collections[0]
    np.testing.assert_array_equal(mesh.get_array().reshape(p.chi2.T.shape), p.dchi2_min.T)
    ax.figure.savefig(tmp_path / "p.png")
    assert (tmp_path / "p.png").stat().st_size > 10000
