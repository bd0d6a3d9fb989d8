import pytest

from explorer.lossbench.spec import (
    CLASS_INDICES,
    LOG_PROBABILITIES,
    LOSSES,
    PROBABILITIES,
    REAL,
    UNIT_INTERVAL,
    LossOptions,
    effective_reduction,
    input_kind,
    replace_options,
    target_kind,
    uses_legacy,
)


def test_the_nine_losses_with_their_torch_names():
    assert [s.class_name for s in LOSSES.values()] == [
        "L1Loss",
        "MSELoss",
        "CrossEntropyLoss",
        "NLLLoss",
        "KLDivLoss",
        "BCELoss",
        "BCEWithLogitsLoss",
        "HuberLoss",
        "SmoothL1Loss",
    ]


def test_only_kldiv_offers_batchmean():
    for spec in LOSSES.values():
        assert ("batchmean" in spec.reductions) == (spec.kind == "KLDiv")
        assert {"none", "mean", "sum"} <= set(spec.reductions)


def test_options_are_those_of_the_torch_constructors():
    assert LOSSES["Huber"].options == ("reduction", "delta")
    assert not LOSSES["Huber"].has_legacy
    assert "beta" in LOSSES["SmoothL1"].options and LOSSES["SmoothL1"].has_legacy
    assert "log_target" in LOSSES["KLDiv"].options
    assert {"weight", "ignore_index", "label_smoothing"} <= set(LOSSES["CrossEntropy"].options)
    assert "pos_weight" in LOSSES["BCEWithLogits"].options
    assert "pos_weight" not in LOSSES["BCE"].options


@pytest.mark.parametrize(
    ("size_average", "reduce", "expected"),
    [
        (None, None, "batchmean"),
        (True, None, "mean"),
        (False, None, "sum"),
        (None, True, "mean"),
        (None, False, "none"),
        (False, False, "none"),
        (False, True, "sum"),
    ],
)
def test_deprecated_flags_override_reduction_as_loss_init_does(size_average, reduce, expected):
    options = LossOptions(reduction="batchmean", size_average=size_average, reduce=reduce)
    assert effective_reduction(options, LOSSES["KLDiv"]) == expected
    assert uses_legacy(LOSSES["KLDiv"], options) == (expected != "batchmean")


def test_huber_has_no_deprecated_flags_so_they_change_nothing():
    options = LossOptions(reduction="sum", size_average=False, reduce=False)
    assert effective_reduction(options, LOSSES["Huber"]) == "sum"
    assert not uses_legacy(LOSSES["Huber"], options)


def test_tensor_kinds_follow_the_loss_and_its_switches():
    o = LossOptions()
    assert target_kind(LOSSES["CrossEntropy"], o) == CLASS_INDICES
    assert target_kind(LOSSES["CrossEntropy"], replace_options(o, probability_target=True)) == (
        PROBABILITIES
    )
    assert target_kind(LOSSES["NLL"], o) == CLASS_INDICES
    assert target_kind(LOSSES["KLDiv"], o) == PROBABILITIES
    assert target_kind(LOSSES["KLDiv"], replace_options(o, log_target=True)) == LOG_PROBABILITIES
    assert target_kind(LOSSES["BCE"], o) == UNIT_INTERVAL
    assert input_kind(LOSSES["BCE"], o) == UNIT_INTERVAL
    assert input_kind(LOSSES["KLDiv"], o) == REAL
    assert input_kind(LOSSES["KLDiv"], replace_options(o, log_softmax_input=False)) == (
        LOG_PROBABILITIES
    )
    assert target_kind(LOSSES["MSE"], o) == REAL


def test_options_round_trip_through_a_json_dict():
    options = LossOptions(reduction="sum", weight=(1.0, 2.0), size_average=False, delta=0.5)
    assert LossOptions.from_dict(options.to_dict()) == options


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"colour": 1}, "unknown loss option 'colour'"),
        ({"size_average": "yes"}, "size_average must be True, False or None; got 'yes'"),
        ({"weight": ["a"]}, "weight must be a list of numbers or None"),
        ({"weight": [1.0, float("nan")]}, "weight must hold one finite number per class"),
        ({"ignore_index": 1.5}, "ignore_index must be an integer; got 1.5"),
        ({"ignore_index": 2**63}, "ignore_index must be an int64"),  # torch: Overflow
        ({"weight": [10**400]}, "weight must be a list of numbers or None"),
        ({"delta": 10**400}, "delta must be a finite number; got 1000"),
        ({"label_smoothing": -(10**400)}, "label_smoothing must be a finite number"),
        ({"delta": "big"}, "delta must be a number; got 'big'"),
        ({"reduction": "avg"}, "reduction must be 'none', 'mean', 'sum' or 'batchmean'"),
        ({"log_target": 1}, "log_target must be True or False; got 1"),
    ],
)
def test_bad_options_are_named_and_quoted(changes, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        replace_options(LossOptions(), **changes)
