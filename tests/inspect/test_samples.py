import numpy as np
import pytest

from explorer.inspect.samples import IndexedSamples


def test_an_index_gives_its_sample_and_label():
    x = np.arange(12.0).reshape(6, 2)
    samples = IndexedSamples(x, np.array([3, 1, 4, 1, 5, 9]), "the validation set")
    assert len(samples) == 6
    features, label = samples(4)
    np.testing.assert_array_equal(features, [8.0, 9.0])
    assert label == 5 and isinstance(label, int)
    assert IndexedSamples(x, None, "unlabelled")(0)[1] is None


@pytest.mark.parametrize("index", [6, 5000, -1])
def test_an_index_outside_the_set_is_refused_not_wrapped(index):
    samples = IndexedSamples(np.zeros((6, 2)), None, "the validation set of digits")
    with pytest.raises(IndexError) as error:
        samples(index)
    assert str(error.value) == (
        f"sample #{index} is out of range: the validation set of digits has 6 samples (#0 to #5)"
    )


def test_the_docstring_example_runs():
    import doctest

    import explorer.inspect.samples

    result = doctest.testmod(explorer.inspect.samples, optionflags=doctest.ELLIPSIS)
    assert result.attempted and not result.failed
