"""Learning-rate schedules (notebook 09, Nielsen ch3): callbacks of ``mlp.train.sgd``.

A large learning rate makes fast progress at first; a smaller one later settles into the
minimum. Each schedule changes ``run.eta``, the rate of the coming epoch:

- :class:`StepDecay` multiplies it by ``gamma`` every ``step_size`` epochs;
- :class:`ExponentialDecay` multiplies it by ``gamma`` every epoch;
- :class:`HalveOnPlateau` is Nielsen's rule: halve it whenever the validation accuracy
  has not improved for ``patience`` epochs, and stop once it has fallen to 1/128 of its
  first value.

Use them as ``sgd(..., callbacks=[ExponentialDecay(0.9)])``; :data:`SCHEDULES` maps names
to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlp.train import Run, check_number

__all__ = ["SCHEDULES", "ExponentialDecay", "HalveOnPlateau", "StepDecay"]


@dataclass
class StepDecay:
    """``eta = eta_0 * gamma ** ((epoch - 1) // step_size)``."""

    gamma: float = 0.5
    step_size: int = 10
    eta_0: float = 0.0

    def __post_init__(self) -> None:
        check_number(self.gamma, "gamma", 0, low_open=True)
        check_number(self.step_size, "step_size", 1, whole=True)

    def train_start(self, run: Run) -> None:
        self.eta_0 = run.eta

    def epoch_start(self, run: Run) -> None:
        run.eta = self.eta_0 * self.gamma ** ((run.epoch - 1) // self.step_size)


@dataclass
class ExponentialDecay:
    """``eta = eta_0 * gamma ** (epoch - 1)``."""

    gamma: float = 0.9
    eta_0: float = 0.0

    def __post_init__(self) -> None:
        check_number(self.gamma, "gamma", 0, low_open=True)

    def train_start(self, run: Run) -> None:
        self.eta_0 = run.eta

    def epoch_start(self, run: Run) -> None:
        run.eta = self.eta_0 * self.gamma ** (run.epoch - 1)


@dataclass
class HalveOnPlateau:
    """Nielsen's schedule: halve ``eta`` after ``patience`` epochs without a better
    validation accuracy; stop at 1/128 of the first ``eta``."""

    patience: int = 10
    eta_0: float = 0.0
    best: float = -1.0
    waited: int = 0

    def __post_init__(self) -> None:
        check_number(self.patience, "patience", 1, whole=True)

    def train_start(self, run: Run) -> None:
        if run.validation_data is None:
            raise ValueError(
                "the halve schedule watches the validation accuracy: pass validation_data"
            )
        self.eta_0 = run.eta

    def epoch_end(self, run: Run) -> None:
        accuracy = run.history.validation_accuracy[-1]
        self.best, self.waited = (
            (accuracy, 0) if accuracy > self.best else (self.best, self.waited + 1)
        )
        if self.waited >= self.patience:
            run.eta /= 2
            self.waited = 0
            if run.eta <= self.eta_0 / 128:
                run.history.stop_reason = "the learning rate has fallen to 1/128 of its first value"


#: name -> schedule (a callback class), for the command line.
SCHEDULES: dict[str, type] = {
    "halve": HalveOnPlateau,
    "step": StepDecay,
    "exponential": ExponentialDecay,
}
