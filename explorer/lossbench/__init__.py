"""The Losses tab's Qt-free core: the loss catalogue, evaluation, PyTorch code and curves."""
