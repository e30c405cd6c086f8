"""mlp: a multilayer perceptron in NumPy, built step by step in the course notebooks.

The modules follow the course: ``data`` (notebook 00), ``activations`` and ``network``
(01), ``costs`` (02), ``gradcheck`` (03), ``train`` and ``metrics`` (05), ``init`` (07),
``regularization`` and ``augment`` (08), ``optim`` (09), ``io`` (12).
"""

from __future__ import annotations

__version__ = "0.1.0"
