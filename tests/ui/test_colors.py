from explorer.ui.colors import BLUE, ORANGE, TABLEAU
from explorer.ui.distributions.style import P_COLOR, Q_COLOR
from explorer.ui.training.palette import color


def test_every_tab_draws_from_the_one_tableau_palette():
    assert len(TABLEAU) == 10 and TABLEAU[0] == BLUE == (31, 119, 180)
    assert [color(i) for i in range(11)] == [*TABLEAU, TABLEAU[0]]
    assert P_COLOR.getRgb()[:3] == BLUE and Q_COLOR.getRgb()[:3] == ORANGE
