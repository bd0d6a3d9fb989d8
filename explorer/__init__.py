"""explorer: see what torch.nn, its losses and information theory are doing.

The package is two layers: a Qt-free core (``engine``, ``info``, ``data``, ``model``,
``training``, ``inspect``, ``lossbench``, ``io``, ``cli``) and a thin Qt layer in
``explorer.ui``. docs/architecture.md is the map.
"""

__version__ = "0.1.0"
