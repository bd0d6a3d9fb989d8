import pytest

from tests.ui.model.helpers import make_tab


@pytest.fixture
def tab(qtbot):
    return make_tab(qtbot)
