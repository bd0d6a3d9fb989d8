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
