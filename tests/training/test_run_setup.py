import numpy as np
import pytest

from explorer.training import DEFAULT_RUN, setup_run
from explorer.training.run_setup import RunSetup, dataset_from_message, dataset_message
from explorer.training.wire import decode, encode


def small_run(**changes):
    spec = DEFAULT_RUN.with_training(**({"epochs": 3, "batch_size": 16} | changes))
    spec.dataset_params = {"n_samples": 150, "seed": 1}
    return setup_run(spec)


def test_a_dataset_survives_the_trip():
    data = small_run().train
    back = dataset_from_message(decode(encode(dataset_message(data))))
    np.testing.assert_array_equal(back.x, data.x)
    np.testing.assert_array_equal(back.y, data.y)
    assert (back.name, back.class_names, back.feature_shape) == (
        data.name,
        data.class_names,
        data.feature_shape,
    )



def test_a_setup_is_checked_where_it_is_made_and_must_come_first():
    from dataclasses import replace

    from explorer.training import TrainingConfig

    run = small_run()
    state, config = run.model.state_dict(), run.model_config
    good = RunSetup.create(1, config, state, run.train, run.val, run.spec.training)
    assert good.steps_per_epoch == 8  # 120 training samples in batches of 16
    with pytest.raises(ValueError, match="the model takes 5 inputs but the data has 2 features"):
        RunSetup.create(1, config.adapted(5, 3), state, run.train, run.val, run.spec.training)
    with pytest.raises(ValueError, match="the model gives 4 outputs but the data has 3 classes"):
        RunSetup.create(1, config.adapted(2, 4), state, run.train, run.val, run.spec.training)
    wider = replace(config, hidden_sizes=(7,))
    with pytest.raises(ValueError, match=r"'linear1.weight' has shape \(256, 2\); 2-7-3 needs"):
        RunSetup.create(1, wider, state, run.train, run.val, run.spec.training)
    with pytest.raises(ValueError, match="lr must be"):
        RunSetup.create(1, config, state, run.train, run.val, TrainingConfig(lr=-1))
    with pytest.raises(ValueError, match="expected a setup message first; got 'run'"):
        RunSetup.from_message({"kind": "run"})




def test_a_setup_survives_the_trip_and_its_trainer_starts_from_its_weights():
    run = small_run()
    setup = run.run_setup(4)
    back = RunSetup.from_message(decode(encode(setup.to_message())))
    assert (back.run_id, back.model, back.config) == (4, setup.model, setup.config)
    trainer = back.trainer()
    for key, value in run.model.state_dict().items():
        np.testing.assert_array_equal(trainer.model.state_dict()[key], value)
    assert trainer.steps_per_epoch == setup.steps_per_epoch
