"""Install the schedsim Python package:  pip install ./python

Offline with Debian's tools: no build dependency beyond setuptools, no
compiler (the engine is bound with cffi's ABI mode), and no pyproject.toml
on purpose, so pip builds in place instead of fetching setuptools into an
isolated environment.

The engine library is found at run time (see schedsim/_ffi.py).  To ship it
inside the installed package, name it at install time:
    SCHEDSIM_LIB=$PWD/build/release/engine/libschedsim.so pip install ./python
"""

import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithLib(build_py):
    """build_py that also copies $SCHEDSIM_LIB into the package, if set."""

    def run(self):
        super().run()
        lib = os.environ.get("SCHEDSIM_LIB")
        if lib and os.path.isfile(lib):
            dest = os.path.join(self.build_lib, "schedsim", "libschedsim.so")
            shutil.copyfile(os.path.realpath(lib), dest)


setup(
    name="schedsim",
    version="0.1.0",
    description="Fluxion-compatible resource matching (ReapiCli, ReapiModule) and "
                "batch-scheduling simulation from Python",
    packages=["schedsim"],
    python_requires=">=3.8",
    install_requires=["cffi>=1.12"],
    cmdclass={"build_py": BuildPyWithLib},
    zip_safe=False,
)
