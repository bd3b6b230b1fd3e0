"""Builds libzprop for the package, or takes one already built.

The shared library and its data sets are installed by CMake into
zprop/_native (lib/ and share/zprop/data/ side by side, where the library
looks for its data).  Where they come from, in order:
  ZPROP_USE_INSTALLED=1   nothing is bundled; the package loads the libzprop
                          found by the dynamic loader (or $ZPROP_LIBRARY)
  ZPROP_BUILD_DIR=DIR     `cmake --install DIR` of a tree already built
  otherwise               a fresh CMake build of the checkout above python/
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent


def run(cmd):
    print("zprop setup:", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True)


class BuildWithLibrary(build_py):
    def run(self):
        super().run()
        if os.environ.get("ZPROP_USE_INSTALLED") == "1":
            return
        stage = Path(self.build_lib) / "zprop" / "_native"
        if stage.exists():
            shutil.rmtree(stage)
        tree = os.environ.get("ZPROP_BUILD_DIR")
        if not tree:
            if not (SOURCE / "CMakeLists.txt").is_file():
                sys.exit("zprop setup: no checkout above python/; set ZPROP_BUILD_DIR "
                         "or ZPROP_USE_INSTALLED=1")
            tree = Path(self.get_finalized_command("build").build_temp).resolve() / "libzprop"
            run(["cmake", "-S", SOURCE, "-B", tree, "-DCMAKE_BUILD_TYPE=Release",
                 "-DZP_BUILD_TESTS=OFF"])
            run(["cmake", "--build", tree, "-j", str(os.cpu_count() or 2)])
        run(["cmake", "--install", tree, "--prefix", stage.resolve()])


class BinaryDistribution(Distribution):
    """The wheel carries libzprop: tag it for this platform, not as pure Python."""

    def has_ext_modules(self):
        return os.environ.get("ZPROP_USE_INSTALLED") != "1"


setup(cmdclass={"build_py": BuildWithLibrary}, distclass=BinaryDistribution)
