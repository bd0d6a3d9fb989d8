import pytest

from explorer.ui.colors import (
    BLUE,
    DARK,
    GRAPHICS_CONTRAST,
    LIGHT,
    ORANGE,
    TABLEAU,
    TEXT_CONTRAST,
    contrast,
    ink_on,
    mix,
    readable,
)


def test_the_palettes_are_tableau_and_every_tab_draws_from_the_current_one():
    from explorer.ui.training.palette import color

    assert len(TABLEAU) == 10 and TABLEAU[0] == BLUE == (31, 119, 180)
    # Tableau's own where it reads well on white; its light orange, deepened just enough.
    assert LIGHT.p == BLUE and LIGHT.kl == TABLEAU[3] and LIGHT.q != ORANGE
    assert LIGHT.q[0] > LIGHT.q[1] > LIGHT.q[2]  # still orange
    assert [color(i) for i in range(11)] == [*LIGHT.series, LIGHT.series[0]]


def test_contrast_is_the_wcag_ratio():
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast((255, 255, 255), (255, 255, 255)) == pytest.approx(1.0)
    assert contrast(BLUE, (255, 255, 255)) == pytest.approx(4.8, abs=0.05)


def test_readable_moves_a_colour_only_as_far_as_the_ratio_needs():
    night = DARK.background
    lighter = readable(BLUE, night, 4.5)
    assert contrast(lighter, night) >= 4.5
    assert contrast(readable(BLUE, night, 4.4), night) < contrast(lighter, night) + 1e-9
    assert readable((255, 255, 255), night, 4.5) == (255, 255, 255)  # already enough
    assert contrast(readable(ORANGE, (255, 255, 255), 4.5), (255, 255, 255)) >= 4.5
    assert mix((0, 0, 0), (255, 255, 255), 0.5) == (128, 128, 128)


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=["light", "dark"])
def test_every_data_colour_and_text_keeps_its_contrast(palette):
    # Runs, classes, P, Q, KL and cross entropy: lines and bars readable on the plots...
    for color in palette.series:
        assert contrast(color, palette.background) >= GRAPHICS_CONTRAST - 0.01
    # ...and as text (read-outs, keys in titles) on the plots and on cards.
    for role in ("p", "q", "kl", "cross", "error", "warning", "good", "muted"):
        for background in (palette.background, palette.panel):
            text = palette.text_color(getattr(palette, role), background)
            assert contrast(text, background) >= TEXT_CONTRAST - 0.01
    assert contrast(palette.text, palette.background) >= 7
    assert contrast(palette.axis, palette.background) >= 4.5
    assert contrast(palette.focus, palette.background) >= GRAPHICS_CONTRAST


def test_the_dark_palette_is_dark_and_the_light_one_is_not():
    assert DARK.dark and not LIGHT.dark
    assert ink_on((255, 255, 255)) != ink_on((0, 0, 60))
