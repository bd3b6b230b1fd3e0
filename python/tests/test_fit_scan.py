"""zprop.fit, zprop.scan and zprop.gm2 against the `zprop` program."""
import filecmp
import os
import signal
import subprocess
import sys

import numpy as np
import pytest

import zprop
from conftest import PRINT_RTOL, SCAN, SMALL, cli_path, column, read_table, run_cli

FIT = dict(SMALL, data="v2024", emin=1e3, emax=1e8, mzp=13, gzp=3e-3)
SCAN_COLUMNS = ("mzp_MeV", "gzp", "chi2", "delta_chi2", "R", "gamma", "norm", "delta_amu",
                "gm2_pull")


def key_lines(text):
    return dict(line.split(" = ", 1) for line in text.splitlines() if " = " in line)


def test_fit_equals_the_cli():
    printed = key_lines(run_cli("fit", dict(FIT, output="none")).stdout)
    f = zprop.fit(**FIT)
    # `zprop fit` prints %.10g: 10 significant digits, 5e-10 relative
    for k in ("chi2", "gamma", "norm", "A", "chi2_0", "gamma_0", "norm_0", "A_0", "delta_chi2",
              "R", "npoints", "dof", "mzp", "gzp"):
        assert f[k] == pytest.approx(float(printed[k]), rel=1e-9), k


def test_fit_best_spectrum_is_the_spectrum_at_the_fit(tmp_path):
    f = zprop.fit(spectrum=True, **FIT)
    out = tmp_path / "best.tsv"
    run_cli("fit", dict(FIT, output=out))
    names, data = read_table(out)
    np.testing.assert_allclose(f.best.phi_mu, column(names, data, "phi_mu"), rtol=PRINT_RTOL)


def test_scan_writes_the_cli_table(tmp_path):
    out = tmp_path / "scan.tsv"
    run_cli("scan", dict(SCAN, output=out))
    os.rename(out, tmp_path / "cli.tsv")
    s = zprop.scan(progress=False, output=out, **SCAN)
    assert filecmp.cmp(out, tmp_path / "cli.tsv", shallow=False)
    assert not (tmp_path / "scan.tsv.journal").exists()
    names, data = read_table(out)
    assert s.chi2.shape == (3, 4)
    for c in SCAN_COLUMNS:
        np.testing.assert_allclose(s[c].ravel(), column(names, data, c), rtol=PRINT_RTOL, atol=0)


def test_scan_over_four_keys_is_shaped_by_its_grid(tmp_path):
    keys = dict(SCAN, mzp="5:20:3", gzp="1e-4:1e-2:2", sum_mnu="0.06:0.2:2", gamma="2.3:2.9:3")
    out = tmp_path / "scan.tsv"
    run_cli("scan", dict(keys, output=out))
    s = zprop.scan(progress=False, **keys)
    assert s.dims == ("sum_mnu", "mzp", "gzp", "gamma")
    assert s.chi2.shape == (2, 3, 2, 3)
    np.testing.assert_allclose(s.axes["sum_mnu"], [0.06, 0.2], rtol=1e-15)
    np.testing.assert_allclose(s.axes["gamma"], [2.3, 2.6, 2.9], rtol=1e-15)
    # each axis varies along its own dimension only
    assert np.all(s.sum_mnu_eV[1] == 0.2) and np.all(s.gamma[..., 2] == s.axes["gamma"][2])
    names, data = read_table(out)
    assert names[:4] == ["sum_mnu_eV", "mzp_MeV", "gzp", "chi2"]
    for c in SCAN_COLUMNS + ("sum_mnu_eV",):
        np.testing.assert_allclose(s[c].ravel(), column(names, data, c), rtol=PRINT_RTOL, atol=0)


def test_profile_equals_the_cli(tmp_path):
    keys = dict(SCAN, mzp="5:20:3", gzp="1e-4:1e-2:2", gamma="2.3:2.9:3", norm="0.8e-18:1.6e-18:2",
                profile="none")
    out = tmp_path / "scan.tsv"
    s = zprop.scan(progress=False, output=out, **keys)
    subprocess.run([str(cli_path()), "profile", str(out), "over=mzp,gzp"], check=True,
                   capture_output=True)
    p = s.profile(over=("gzp", "mzp"))
    assert p.dims == ("gamma", "norm") and p.chi2.shape == (3, 2)
    assert p.levels[90] == pytest.approx(4.60517, abs=1e-5)
    names, data = read_table(tmp_path / "scan_profile.tsv")
    for c in SCAN_COLUMNS:
        np.testing.assert_allclose(p[c].ravel(), column(names, data, c), rtol=PRINT_RTOL, atol=0)
    # the CLI subtracts the printed chi2 values: each within PRINT_RTOL of chi2 (< 100 here)
    np.testing.assert_allclose(p.dchi2_min.ravel(), column(names, data, "dchi2_min"), rtol=0,
                               atol=2 * PRINT_RTOL * 100)
    with pytest.raises(ValueError, match="over = mzp,gzp,gamma,norm"):
        s.profile(over=("mzp", "gzp", "gamma", "norm"))


def test_scan_without_output_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    calls = []
    s = zprop.scan(progress=lambda done, total: calls.append((done, total)), **SCAN)
    assert os.listdir(tmp_path) == []
    assert calls[-1] == (12, 12) and len(calls) == 3  # chunk = 4: one call per block
    assert s.reference["npoints"] == 16


def test_interrupted_scan_resumes_to_the_identical_table(tmp_path):
    out = tmp_path / "scan.tsv"
    run_cli("scan", dict(SCAN, output=tmp_path / "ref.tsv"))

    def interrupt(done, total):
        if done >= 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        zprop.scan(progress=interrupt, output=out, **SCAN)
    journal = tmp_path / "scan.tsv.journal"
    assert not out.exists() and len(journal.read_text().splitlines()) == 1 + 4
    zprop.scan(progress=False, output=out, **SCAN)
    text = out.read_text().replace(str(out), "X")
    assert text == (tmp_path / "ref.tsv").read_text().replace(str(tmp_path / "ref.tsv"), "X")


def test_ctrl_c_keeps_the_journal_for_the_cli(tmp_path):
    """A real SIGINT in a Python process; the CLI then finishes its journal."""
    out = tmp_path / "scan.tsv"
    script = (
        "import os, signal, zprop\n"
        "def cb(done, total):\n"
        "    if done == 4: os.kill(os.getpid(), signal.SIGINT)\n"
        f"zprop.scan(progress=cb, output={str(out)!r}, **{SCAN!r})\n")
    p = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert p.returncode != 0 and "KeyboardInterrupt" in p.stderr
    lines = (tmp_path / "scan.tsv.journal").read_text().splitlines()
    assert 5 <= len(lines) < 13
    resumed = run_cli("scan", dict(SCAN, output=out))
    assert "resum" in resumed.stderr.lower()
    run_cli("scan", dict(SCAN, output=tmp_path / "ref.tsv"))
    assert out.read_text().replace(str(out), "X") == \
        (tmp_path / "ref.tsv").read_text().replace(str(tmp_path / "ref.tsv"), "X")


def test_gm2_point_and_band_equal_the_cli(tmp_path):
    printed = key_lines(run_cli("gm2", {"mzp": 20, "gzp": 5e-4, "gm2_ref": "bmw2025"}).stdout)
    g = zprop.gm2(mzp=20, gzp=5e-4, gm2_ref="bmw2025")
    assert g.delta_amu == pytest.approx(float(printed["delta_amu"]), rel=1e-6)  # %.6e
    assert g.pull == pytest.approx(float(printed["pull"]), abs=1e-4)  # %.4f
    assert printed["reference"].startswith(g.reference["label"])
    out = tmp_path / "band.tsv"
    run_cli("gm2", {"band": 1, "npoints": 7, "mzp_min": 2, "mzp_max": 300, "output": out})
    names, data = read_table(out)
    b = zprop.gm2_band(band=1, npoints=7, mzp_min=2, mzp_max=300)
    for c in ("mzp_MeV", "g_low", "g_high", "delta_amu_per_g2"):
        np.testing.assert_allclose(b[c], column(names, data, c), rtol=PRINT_RTOL, atol=0)


def test_datasets_are_the_files():
    assert set(zprop.datasets()) == {"cascades6yr", "tracks9yr", "hese7yr"}
    d = zprop.load_dataset("tracks9yr")
    assert d.channel == "numu" and len(d.emin) == len(d.value) > 0
    assert np.all(d.emax > d.emin) and d.is_ul.dtype == bool
    same = zprop.load_dataset(d.path)
    np.testing.assert_array_equal(same.value, d.value)


def test_progress_bar_is_tqdm_when_installed(monkeypatch):
    """progress=True drives tqdm's bar (a stand-in module: tqdm is optional)."""
    import types
    seen = {}

    class Bar:
        def __init__(self, **kw):
            self.n, self.total = 0, None
            seen["bar"] = self

        def update(self, k):
            self.n += k

        def close(self):
            seen["closed"] = True

    monkeypatch.setitem(sys.modules, "tqdm", types.SimpleNamespace(tqdm=Bar))
    zprop.scan(progress=True, **SCAN)
    assert seen["bar"].n == seen["bar"].total == 12 and seen["closed"]
