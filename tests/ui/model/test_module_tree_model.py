import numpy as np
import pytest
from PySide6.QtCore import QModelIndex, Qt

from explorer.engine import Tensor
from explorer.model.config import MLPConfig
from explorer.ui.model.module_tree_model import ModuleTreeModel


def small_model():
    config = {"input_features": 4, "hidden_sizes": [3, 2], "output_features": 2}
    return MLPConfig.from_dict(config).build()


def test_model_passes_qts_item_model_checks(qtmodeltester):
    model = ModuleTreeModel()
    model.set_model(small_model())
    qtmodeltester.check(model, force_py=True)
    model.set_model(None)
    qtmodeltester.check(model, force_py=True)


def test_rows_follow_the_registries():
    model = ModuleTreeModel()
    mlp = small_model()
    model.set_model(mlp)
    root = model.index(0, 0)
    assert model.rowCount() == 1 and root.data() == "model"
    children = [model.index(r, 0, root).data() for r in range(model.rowCount(root))]
    assert children == list(mlp._modules)
    linear2 = model.index_of("linear2")
    assert [model.index(r, 0, linear2).data() for r in range(model.rowCount(linear2))] == [
        "weight",
        "bias",
    ]
    assert model.node(model.index_of("linear2.bias")).obj is mlp.linear2.bias
    assert not model.index_of("linear9").isValid()
    assert model.headerData(8, Qt.Orientation.Horizontal) == "grad norm"


def test_refresh_announces_changed_statistics_and_rereads_them(qtbot):
    model = ModuleTreeModel()
    mlp = small_model()
    model.set_model(mlp)
    index = model.index_of("linear1.weight")
    mean = model.index(index.row(), 6, index.parent())
    grad = model.index(index.row(), 8, index.parent())
    assert grad.data() == "—"
    mlp(Tensor(np.ones((2, 4), dtype=np.float32))).sum().backward()
    mlp.linear1.weight.data += 1.0
    read_now = []

    def visible(idx):
        read_now.append(model.node(idx).path)
        return idx == index

    with qtbot.waitSignal(model.dataChanged):
        model.refresh_statistics(visible)
    assert "linear1.weight" in read_now
    assert float(mean.data()) == pytest.approx(mlp.linear1.weight.data.mean(), rel=1e-3)
    assert float(grad.data()) > 0
    assert model.rowCount(QModelIndex()) == 1
