import numpy as np
import pytest

from explorer.data import DataError, load_csv
from explorer.model.config import MLPConfig
from explorer.training import (
    DATASET_NAMES,
    DEFAULT_RUN,
    DIGITS_RUN,
    build_model,
    default_run_for,
    load_dataset,
    prepare_data,
    setup_run,
)


def test_dataset_names_and_loading():
    assert DATASET_NAMES == ("spiral", "moons", "circles", "xor", "blobs", "digits")
    assert load_dataset("digits").feature_shape == (8, 8)
    assert load_dataset("blobs", num_classes=4).num_classes == 4
    with pytest.raises(DataError, match="unknown dataset 'mnist'; choose one of spiral"):
        load_dataset("mnist")
    with pytest.raises(DataError, match="digits takes no parameters"):
        load_dataset("digits", noise=0.1)


def test_default_runs():
    assert DEFAULT_RUN.dataset == "spiral" and DEFAULT_RUN.training.loss == "cross_entropy"
    assert default_run_for("digits") == DIGITS_RUN
    assert default_run_for("digits") is not DIGITS_RUN
    assert default_run_for("spiral") == DEFAULT_RUN
    moons = default_run_for("moons")
    assert moons.dataset == "moons" and moons.training == DEFAULT_RUN.training
    assert moons.training is not DEFAULT_RUN.training


def test_prepare_data_standardizes_images_but_not_the_plane():
    _, _, none = prepare_data(load_dataset("spiral"), DEFAULT_RUN.training)
    assert none is None
    train, val, scaler = prepare_data(load_dataset("digits"), DIGITS_RUN.training)
    assert scaler is not None
    np.testing.assert_allclose(train.x.mean(axis=0), 0, atol=1e-5)
    assert len(val) == pytest.approx(0.2 * 1797, abs=5)


def test_build_model_is_seeded():
    a = build_model(DEFAULT_RUN, 2, 3)
    b = build_model(DEFAULT_RUN, 2, 3)
    assert a.hidden_sizes == DEFAULT_RUN.model.hidden_sizes
    for key, value in a.state_dict().items():
        np.testing.assert_array_equal(b.state_dict()[key], value)


def test_setup_run_with_a_loaded_file(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 3))
    y = (x[:, 0] > 0).astype(int)
    lines = ["a,b,c,label"] + [
        f"{r[0]},{r[1]},{r[2]},{'yes' if t else 'no'}" for r, t in zip(x, y, strict=True)
    ]
    (tmp_path / "t.csv").write_text("\n".join(lines))
    run = setup_run(DEFAULT_RUN.with_training(epochs=2), dataset=load_csv(tmp_path / "t.csv"))
    assert run.model.input_features == 3 and run.model.output_features == 2
    assert run.standardizer is not None
    run.trainer.run()
    assert len(run.trainer.history.epochs) == 2


def test_default_spiral_run_learns_within_a_small_budget():
    run = setup_run(DEFAULT_RUN.with_training(epochs=25))
    run.trainer.run()
    assert run.trainer.history.last_epoch.val_accuracy >= 0.90


def test_the_full_default_run_reaches_95_percent():
    run = setup_run(DEFAULT_RUN)
    run.trainer.run()
    assert run.trainer.history.last_epoch.val_accuracy >= 0.95


def test_default_run_is_the_lecture_model_adapted():
    # 784-256-10 (relu, he, zero) with the spiral's 2 inputs and 3 classes: the app's first run.
    model = DEFAULT_RUN.model
    assert model.hidden_sizes == (256,) and model == MLPConfig()
    assert (model.activation, model.init_weight, model.init_bias) == (
        "relu",
        "he",
        "zero",
    )


def test_digits_run_learns_within_a_few_epochs():
    run = setup_run(DIGITS_RUN.with_training(epochs=4))
    run.trainer.run()
    assert run.trainer.history.last_epoch.val_accuracy > 0.90


def test_a_model_above_the_budget_is_refused_before_it_is_built(monkeypatch):
    from dataclasses import replace

    from explorer.model.budget import BudgetError, ParameterBudget

    monkeypatch.setattr(MLPConfig, "build", lambda config: pytest.fail("allocated"))
    spec = replace(DIGITS_RUN, model=MLPConfig(hidden_sizes=(16384,) * 3))
    with pytest.raises(BudgetError, match=r"64-16384-16384-16384-10 would hold 538,\d{3},\d{3} "):
        setup_run(spec)
    with pytest.raises(BudgetError, match="budget of 1,000"):
        setup_run(DEFAULT_RUN, budget=ParameterBudget(1_000))
