"""mlp: a multilayer perceptron in NumPy, built step by step in the course notebooks.

Each module is introduced by one notebook and imports only what that notebook or earlier
ones introduced; the table is ``mlp._chapters.INTRODUCED_IN``.

The package itself exports only the network and saving/loading: ``mlp.Network``,
``mlp.save`` and ``mlp.load``; everything else is imported from its module. They are
imported when first used, so that ``import mlp.data`` (notebook 00) does not load
``mlp.io`` (notebook 12).
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"
__all__ = ["Network", "__version__", "load", "save"]

_EXPORTS = {"Network": "mlp.network", "save": "mlp.io", "load": "mlp.io"}


def __getattr__(name: str) -> object:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'mlp' has no attribute {name!r}")
