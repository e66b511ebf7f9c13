"""Finding libschedsim.so: import never needs it; a bad SCHEDSIM_LIB is a
clear error at first use."""

import os
import subprocess
import sys

PKG = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(code, **env):
    e = dict(os.environ, PYTHONPATH=PKG, **env)
    return subprocess.run([sys.executable, "-c", code], env=e, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)


def test_import_needs_no_library():
    p = run("import schedsim, schedsim.reapi_cli, schedsim.reapi_module, schedsim.sim; "
            "print(schedsim.__version__)", SCHEDSIM_LIB="/nonexistent/libschedsim.so")
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "0.1.0"


def test_bad_schedsim_lib_is_a_clear_error():
    p = run("from schedsim.reapi_cli import ReapiCli; ReapiCli()",
            SCHEDSIM_LIB="/nonexistent/libschedsim.so")
    assert p.returncode != 0
    assert "LibraryNotFound" in p.stderr
    assert "SCHEDSIM_LIB=/nonexistent/libschedsim.so names no loadable library" in p.stderr


def test_schedsim_lib_may_name_a_directory():
    lib = os.environ.get("SCHEDSIM_LIB")
    if not lib or not os.path.isfile(lib):
        import pytest
        pytest.skip("SCHEDSIM_LIB does not name the library file")
    p = run("from schedsim import _ffi; _ffi.lib(); print(_ffi.candidates()[0])",
            SCHEDSIM_LIB=os.path.dirname(lib))
    assert p.returncode == 0, p.stderr
    assert os.path.dirname(p.stdout.strip()) == os.path.dirname(lib)
