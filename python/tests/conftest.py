"""Test set-up: import the package from this checkout (python/) unless an
installed copy is asked for, and locate Fluxion's shared test data."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if not os.environ.get("SCHEDSIM_TEST_INSTALLED"):
    sys.path.insert(0, os.path.dirname(HERE))

import pytest  # noqa: E402

SHARED = os.environ.get("SCHEDSIM_SHARED_DIR") or os.environ.get("SHARED") or "/work/shared"


def shared_path(*parts):
    """A file of the shared data directory, or skip the test when absent."""
    path = os.path.join(SHARED, *parts)
    if not os.path.exists(path):
        pytest.skip("shared data not found: %s (set SCHEDSIM_SHARED_DIR)" % path)
    return path


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()
