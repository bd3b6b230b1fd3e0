"""zprop.spectrum and zprop.batch against the `zprop` program."""
import numpy as np
import pytest

import zprop
from conftest import PRINT_RTOL, SMALL, column, read_table, run_cli

CASES = [dict(SMALL, mzp=13, gzp=3e-3),
         dict(SMALL, mzp=20, gzp=1e-2, gchi=0.5, mchi=1, thermal="always", source="sfr")]

COLUMNS = ["E_GeV"] + [f"phi{z}_{s}" for z in ("", "0") for s in ("1", "2", "3", "e", "mu", "tau")]


@pytest.mark.parametrize("keys", CASES)
def test_spectrum_equals_the_cli_table(tmp_path, keys):
    out = tmp_path / "s.tsv"
    run_cli("spectrum", dict(keys, output=out))
    names, data = read_table(out)
    s = zprop.spectrum(**keys)
    assert set(COLUMNS) <= set(s)
    for c in COLUMNS:
        np.testing.assert_allclose(s[c], column(names, data, c), rtol=PRINT_RTOL, atol=0, err_msg=c)
    header = dict(line[3:].strip().split(" = ", 1) for line in open(out)
                  if line.startswith("## ") and " = " in line)
    assert float(header["norm_a"]) == pytest.approx(s.norm_a, rel=PRINT_RTOL)
    assert float(header["scatterings"]) == pytest.approx(s.ledger["scatterings"], rel=PRINT_RTOL)
    assert header["backend"] == s.backend
    assert int(header["shells"]) == s.nshells


def test_effective_parameters_are_the_dry_run(tmp_path):
    keys = CASES[1]
    text = run_cli("spectrum", dict(keys, output="-"), check=True).stdout
    cli = dict(line[2:].split(" = ", 1) for line in text.splitlines()
               if line.startswith("# ") and " = " in line)
    py = zprop.spectrum(**dict(keys, output="-")).params
    assert py == cli


def test_context_gives_the_same_numbers():
    keys = CASES[0]
    plain = zprop.spectrum(**keys)
    with zprop.Context(backend="cpu_fast") as ctx:
        a, b = ctx.spectrum(**keys), zprop.spectrum(context=ctx, **keys)
        assert ctx.backend == "cpu_fast"
    for c in COLUMNS:
        np.testing.assert_array_equal(a[c], plain[c])
        np.testing.assert_array_equal(b[c], plain[c])


def test_batch_equals_the_cli_table(tmp_path):
    keys = dict(SMALL, mzp=[10, 13], gzp=[1e-3, 3e-3], source=["sfr", "delta"], z0=[0.5, 1],
                zmax=[4, 1], gamma=[2.0, 2.7], ordering=["NO", "IO"])
    out = tmp_path / "b.tsv"
    run_cli("batch", dict(keys, output=out))
    names, data = read_table(out)
    b = zprop.batch(**keys)
    npts, nsrc, ng, nb = b.phi_e.shape
    assert (npts, nsrc, ng, nb) == (8, 2, 2, len(b.E_GeV))
    for c in ("phi_e", "phi_mu", "phi_tau", "phi0_e", "phi0_mu", "phi0_tau"):
        np.testing.assert_allclose(b[c].ravel(), column(names, data, c), rtol=PRINT_RTOL, atol=0)
    rows = data.reshape(npts, nsrc, ng, nb, -1)
    np.testing.assert_allclose(b.points["mzp"], rows[:, 0, 0, 0, names.index("mzp")].astype(float))
    assert list(b.points["ordering"]) == list(rows[:, 0, 0, 0, names.index("ordering")])
    assert [s["source"] for s in b.sources] == list(rows[0, :, 0, 0, names.index("source")])
    np.testing.assert_array_equal(b.gammas, [2.0, 2.7])


def test_help_lists_every_key():
    for fn, command in ((zprop.spectrum, "spectrum"), (zprop.batch, "batch"), (zprop.fit, "fit"),
                        (zprop.scan, "scan"), (zprop.gm2, "gm2")):
        for k in zprop.keys(command):
            assert f"    {k['name']}" in fn.__doc__, (command, k["name"])
