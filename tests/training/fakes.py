"""A scripted training job for the run loop's tests (no engine needed)."""

from __future__ import annotations

import math

import numpy as np


class ScriptedJob:
    """Steps through ``losses``; an epoch every ``steps_per_epoch``; diverges on a NaN.

    Its "weights" are one array holding the number of steps taken.
    """

    def __init__(self, losses, steps_per_epoch=4, run_id=1, batch=8):
        self.run_id = run_id
        self.losses = list(losses)
        self.steps_per_epoch = steps_per_epoch
        self.batch = batch
        self.taken = 0
        self.diverged = None
        self.views = 0
        self.loaded = []

    @property
    def done(self):
        return self.taken >= len(self.losses) or self.diverged is not None

    def step(self):
        loss = self.losses[self.taken]
        self.taken += 1
        if not math.isfinite(loss):
            self.diverged = f"diverged at step {self.taken}"
        return {
            "step": self.taken,
            "loss": loss,
            "samples": self.batch,
            "epoch_finished": self.taken % self.steps_per_epoch == 0,
        }

    def epoch_report(self, full=True):
        return {"epoch": self.taken // self.steps_per_epoch, "val_loss": 0.5, "full": full}

    def view(self, final=False):
        self.views += 1
        return {"views": self.views, "final": final}

    def records(self):
        return None

    def state(self):
        return {"taken": np.array([self.taken])}

    def grads(self):
        return {"taken": np.array([1.0])}

    def load_state(self, state):
        self.loaded.append(state)
