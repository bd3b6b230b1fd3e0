"""Bad input: the CLI's one-line message as ValueError, unknown keys as
TypeError, files as OSError; and the package's hygiene (memory, import)."""
import os
import subprocess
import sys

import pytest

import zprop
from conftest import SCAN, run_cli

BAD = [("spectrum", {"gzp": 2}), ("spectrum", {"mzp": "abc"}), ("spectrum", {"ordering": "XO"}),
       ("spectrum", {"emin": 1e6, "emax": 1e5}), ("fit", {"errors": "both"}),
       ("batch", {"mzp": [10, -1]}), ("scan", dict(SCAN, mzp="1:2")),
       ("gm2", {"gm2_ref": "nope"})]


def call(command, keys):
    return {"spectrum": zprop.spectrum, "batch": zprop.batch, "fit": zprop.fit,
            "scan": lambda **k: zprop.scan(progress=False, **k), "gm2": zprop.gm2}[command](**keys)


@pytest.mark.parametrize("command,keys", BAD)
def test_bad_value_raises_the_cli_message(command, keys):
    p = run_cli(command, keys, check=False)
    assert p.returncode == 2
    with pytest.raises(ValueError) as e:
        call(command, keys)
    assert p.stderr.strip() == "zprop: " + str(e.value)


def test_unknown_key_names_the_closest():
    with pytest.raises(TypeError, match="'bins_per_decade'"):
        zprop.spectrum(bins_per_decad=10)
    with pytest.raises(TypeError, match="unknown key 'frobnicate'"):
        zprop.fit(frobnicate=1)


def test_missing_data_file_is_an_os_error(tmp_path):
    with pytest.raises(OSError) as e:
        zprop.fit(data=str(tmp_path / "none.dat"))
    assert isinstance(e.value, zprop.ZpropError) and "none.dat" in str(e.value)
    bad = tmp_path / "bad.dat"
    bad.write_text("this is not a table\n")
    with pytest.raises(zprop.ZpropError):
        zprop.load_dataset(bad)


def rss_kib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def test_no_memory_growth_over_1000_calls():
    keys = {"emin": 1e4, "emax": 1e6, "bins_per_decade": 5, "mzp": 13, "gzp": 3e-3}
    for _ in range(100):
        zprop.spectrum(**keys)
    before = rss_kib()
    for _ in range(1000):
        zprop.spectrum(**keys)
    # a leak of one spectrum's arrays per call (~2 kB) would be 2 MB here
    assert rss_kib() - before < 1024


def test_importable_from_any_directory(tmp_path):
    p = subprocess.run([sys.executable, "-c", "import zprop; print(zprop.library_path)"],
                       cwd=tmp_path, capture_output=True, text=True, check=True)
    assert os.path.isfile(p.stdout.strip())
