"""mlp: a multilayer perceptron in NumPy, built step by step in the course notebooks.

The modules follow the course: ``data`` and ``progress`` (notebook 00), ``activations``
and ``network`` (01), ``costs`` and ``descent`` (02), ``gradcheck`` (03), ``train`` and
``metrics`` (05), ``init`` (07), ``regularization`` and ``augment`` (08), ``optim`` (09),
``io`` (12).

The package itself exports only the network and saving/loading: ``mlp.Network``,
``mlp.save`` and ``mlp.load``; everything else is imported from its module.
"""

from __future__ import annotations

from mlp.io import load, save
from mlp.network import Network

__version__ = "0.1.0"
__all__ = ["Network", "__version__", "load", "save"]
