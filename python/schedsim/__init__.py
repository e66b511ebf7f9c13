"""schedsim: Python access to schedsim's matching engine and simulator.

Modules:
  schedsim.reapi_cli     ReapiCli, ReapiError: Fluxion's resource API in-process
  schedsim.reapi_module  ReapiModule: the same calls on a live Flux instance
  schedsim.sim           run a trace replay and read its results

The engine library (libschedsim.so) is loaded on first use, not at import;
set SCHEDSIM_LIB to its path when it is not found on its own.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
