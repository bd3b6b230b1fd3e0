"""What the tests share: the `zprop` program to compare with, small grids."""
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]

# Grids small enough for a test, with every mechanism on (resonance inside
# the grid, regeneration, thermal targets).
SMALL = {"emin": 1e4, "emax": 1e7, "bins_per_decade": 10}
SCAN = dict(SMALL, data="v2024", emin=1e3, emax=1e8, mzp="5:20:3", gzp="1e-4:1e-2:4", chunk=4)

# The CLI writes %.10e: 11 significant digits, so a value read back is
# within half a unit of the 11th digit, 5e-11 relative; 1e-10 allows for it.
PRINT_RTOL = 1e-10


def cli_path():
    env = os.environ.get("ZPROP_CLI")
    path = Path(env) if env else ROOT / "build" / "zprop"
    if not path.is_file():
        pytest.fail(f"the zprop program is not at {path}: build it or set ZPROP_CLI")
    return path


def args(keys):
    from zprop._keys import to_text
    return [f"{k}={to_text(k, v)}" for k, v in keys.items()]


def run_cli(command, keys, check=True, **kw):
    """Runs `zprop command key=value ...`, as a user would type it."""
    return subprocess.run([str(cli_path()), command] + args(keys), capture_output=True, text=True,
                          check=check, **kw)


def read_table(path):
    """The column names and rows of a zprop table."""
    names = None
    with open(path) as f:
        for line in f:
            if line.startswith("# ") and " = " not in line:
                names = line[2:].split()
    data = np.loadtxt(path, comments="#", dtype=str, ndmin=2)
    return names, data


def column(names, data, name):
    return data[:, names.index(name)].astype(float)


@pytest.fixture
def cli():
    return run_cli
