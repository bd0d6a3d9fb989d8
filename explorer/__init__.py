"""explorer: see what torch.nn, its losses and information theory are doing.

The package is two layers: a Qt-free core (``engine``, ``info``, ``data``,
``training``, ``export``) and a thin Qt layer in ``explorer.ui``.
"""

__version__ = "0.1.0"
