import numpy as np

from explorer.lossbench.hints import tensor_hints
from explorer.lossbench.spec import LossOptions
from explorer.lossbench.tensors import random_tensor


def test_proper_distributions_give_no_hint():
    x = random_tensor("real", 3, 5, 0, 0)
    p = random_tensor("probabilities", 3, 5, 0, 1)
    assert tensor_hints("KLDiv", LossOptions(), x, p) == []
    logp = random_tensor("log_probabilities", 3, 5, 0, 0)
    assert tensor_hints("KLDiv", LossOptions(log_softmax_input=False), logp, p) == []
    assert tensor_hints("MSE", LossOptions(), x, x) == []


def test_raw_scores_fed_as_log_probabilities_are_named():
    x = random_tensor("real", 3, 5, 0, 0)
    idx = random_tensor("class_indices", 3, 5, 0, 1)
    (hint,) = tensor_hints("NLL", LossOptions(log_softmax_input=False), x, idx)
    assert hint.startswith("input row 0 is not log-probabilities")
    assert "NLLLoss expects log_softmax output" in hint


def test_a_target_row_that_does_not_sum_to_one_is_named():
    x = random_tensor("real", 2, 2, 0, 0)
    (hint,) = tensor_hints("KLDiv", LossOptions(), x, np.array([[0.5, 0.5], [0.5, 0.2]]))
    assert hint.startswith("target row 1 sums to 0.7, not 1")
    logt = np.log(np.array([[0.5, 0.5], [0.9, 0.9]]))
    (hint,) = tensor_hints("KLDiv", LossOptions(log_target=True), x, logt)
    assert hint.startswith("exp(target) row 1 sums to 1.8")
    (hint,) = tensor_hints(
        "CrossEntropy", LossOptions(probability_target=True), x, np.array([[1, 1], [0, 1.0]])
    )
    assert "target row 0 sums to 2" in hint


def test_result_notes_explain_overflow_and_nan():
    import warnings

    from explorer.lossbench.evaluate import evaluate
    from explorer.lossbench.hints import result_notes

    x = np.array([[1e300, 0.0], [1.0, 2.0]])
    t = np.zeros((2, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the engine's numpy overflow stays quiet
        result = evaluate("MSE", LossOptions(reduction="none"), x, t, "float64")
    assert result.warnings == ()
    (note,) = result_notes("MSE", LossOptions(reduction="none"), t, result, "float64")
    assert note.startswith("the loss overflows: output[0, 0] is inf")
    assert "1.8e+308" in note
    fine = evaluate("L1", LossOptions(), x, t, "float64")
    assert result_notes("L1", LossOptions(), t, fine, "float64") == []
    options = LossOptions(ignore_index=1)
    ignored = evaluate("CrossEntropy", options, x, np.array([1, 1]), "float64")
    (note,) = result_notes("CrossEntropy", options, np.array([1, 1]), ignored, "float64")
    assert "every target is ignore_index (1)" in note and "nan" in note
