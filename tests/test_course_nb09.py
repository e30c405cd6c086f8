"""Notebook 09's helpers: the reference update rules agree with mlp.optim, the ravine behaves
as the notebook says, and the checks accept right answers, name typical mistakes and never
crash on a buggy function."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from verdicts import not_yet, passes, raises, stub

from course import nb09
from mlp import schedules
from mlp.train import History, Run

matplotlib.use("Agg")


pytestmark = pytest.mark.usefixtures("grading")


# ---------------------------------------------------------------------------------------
# Model answers, as in the notebook
# ---------------------------------------------------------------------------------------


def momentum_step(w, v, grad, eta, mu=0.9):
    v = mu * v - eta * grad
    w = w + v
    return w, v


def adagrad_step(w, s, grad, eta, epsilon=1e-8):
    s = s + grad * grad
    w = w - eta * grad / (np.sqrt(s) + epsilon)
    return w, s


def rmsprop_step(w, s, grad, eta, decay=0.9, epsilon=1e-8):
    s = decay * s + (1 - decay) * grad * grad
    w = w - eta * grad / (np.sqrt(s) + epsilon)
    return w, s


def adam_step(w, m, s, t, grad, eta, beta1=0.9, beta2=0.999, epsilon=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t)
    s_hat = s / (1 - beta2**t)
    w = w - eta * m_hat / (np.sqrt(s_hat) + epsilon)
    return w, m, s


def returns_none(*args, **kwargs):
    return None


RULE_CHECKS = [
    (nb09.check_momentum, momentum_step),
    (nb09.check_adagrad, adagrad_step),
    (nb09.check_rmsprop, rmsprop_step),
    (nb09.check_adam, adam_step),
]


# ---------------------------------------------------------------------------------------
# The ravine and the reference rules
# ---------------------------------------------------------------------------------------


def test_gradient_matches_finite_differences_of_the_ravine() -> None:
    w, h = np.array([-2.5, 0.3]), 1e-6
    numeric = [(nb09.ravine_cost(w + h * e) - nb09.ravine_cost(w - h * e)) / (2 * h)
               for e in np.eye(2)]
    np.testing.assert_allclose(nb09.ravine_gradient(w), numeric, rtol=1e-6)


def test_plain_descent_converges_below_2_over_k_and_diverges_above() -> None:
    threshold = 2 / nb09.K
    below = nb09.race("sgd", 0.99 * threshold, steps=400)
    above = nb09.race("sgd", 1.01 * threshold, steps=400)
    assert nb09.ravine_cost(below[-1]) < 1e-3
    assert nb09.ravine_cost(above[-1]) > nb09.ravine_cost(above[0])


@pytest.mark.parametrize("name", ["momentum", "adagrad", "rmsprop", "adam"])
def test_mlp_optim_follows_the_reference_rule(name: str) -> None:
    """The race uses mlp.optim; the checks use the step functions: the same paths."""
    eta = nb09.RACERS[name][0]
    path = nb09.race(name, eta, steps=30)
    w, memory, t = np.array(nb09.START), [np.zeros(2), np.zeros(2)], 0
    for _ in range(30):
        t += 1
        grad = nb09.ravine_gradient(w)
        if name == "adam":
            w, *memory = nb09.adam_step(w, *memory, t, grad, eta)
        else:
            rule = {"momentum": nb09.momentum_step, "adagrad": nb09.adagrad_step,
                    "rmsprop": nb09.rmsprop_step}[name]
            w, memory[0] = rule(w, memory[0], grad, eta)
    np.testing.assert_allclose(path[-1], w, rtol=1e-9, atol=1e-12)


def test_every_racer_beats_plain_descent_on_the_ravine() -> None:
    finals = {name: nb09.ravine_cost(nb09.race(name, eta)[-1])
              for name, (eta, _, _) in nb09.RACERS.items()}
    assert all(finals[name] < finals["sgd"] / 5 for name in ("momentum", "adagrad", "adam"))
    assert finals["rmsprop"] < finals["sgd"], finals  # it gets there first, then hovers


def test_a_diverging_path_stays_drawable() -> None:
    path = nb09.race("sgd", 1.0, steps=200)
    assert np.all(np.isfinite(path)) and np.abs(path).max() == pytest.approx(1e6)


def test_race_uses_the_learners_rules_when_they_pass_and_the_course_copies_otherwise() -> None:
    def uphill(w, v, grad, eta, mu=0.9):
        v = mu * v + eta * grad
        return w + v, v

    results = nb09.race_yours({"momentum": uphill, "adagrad": adagrad_step,
                               "rmsprop": stub, "adam": raises})
    assert {name: whose for name, (_, whose) in results.items()} == {
        "sgd": "the course's copy", "momentum": "the course's copy", "adagrad": "yours",
        "rmsprop": "the course's copy", "adam": "the course's copy"}
    for name, (final, _) in results.items():
        eta = nb09.RACERS[name][0]
        assert final == pytest.approx(nb09.ravine_cost(nb09.race(name, eta)[-1]), rel=1e-9)
    matplotlib.pyplot.close("all")


def test_race_records_nothing_and_survives_non_functions(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("COURSE_GRADING")
    monkeypatch.chdir(tmp_path)
    results = nb09.race_yours({"momentum": ..., "adam": 3})
    assert results["momentum"][1] == results["adam"][1] == "the course's copy"
    assert not list(tmp_path.iterdir())
    matplotlib.pyplot.close("all")


def test_pictures_draw_without_error() -> None:
    nb09.draw_one("adam", 0.5)
    nb09.draw_activations()
    nb09.draw_curves({"a": [0.1, 0.2], "b": [0.3, 0.2]}, "y", logy=True)
    matplotlib.pyplot.close("all")


def test_seconds_per_epoch_times_one_epoch() -> None:
    x = np.random.default_rng(0).random((784, 50), dtype=np.float32)
    labels = np.arange(50) % 10
    assert 0 < nb09.seconds_per_epoch([784, 5, 10], (x, labels), 10, repeats=1) < 5


def test_head_takes_the_first_examples() -> None:
    x, labels = np.arange(12.0).reshape(2, 6), np.arange(6)
    small_x, small_labels = nb09.head((x, labels), 4)
    np.testing.assert_array_equal(small_x, x[:, :4])
    np.testing.assert_array_equal(small_labels, labels[:4])


# ---------------------------------------------------------------------------------------
# Exercise 1: the threshold
# ---------------------------------------------------------------------------------------


def test_threshold_right_answer() -> None:
    assert passes(nb09.check_eta_threshold(2 / nb09.K))
    assert passes(nb09.check_eta_threshold(0.04))


@pytest.mark.parametrize(
    ("answer", "words"),
    [(1 / nb09.K, "lands exactly"), (2.0, "along the ravine"), (0.1, "1 - ηK = -4"),
     (0.03, "1 - ηK = -0.5")],
)
def test_threshold_wrong_answers(answer: float, words: str) -> None:
    assert words in not_yet(nb09.check_eta_threshold(answer))


def test_threshold_malformed_answers() -> None:
    assert not nb09.check_eta_threshold(...).answered
    assert "string" in not_yet(nb09.check_eta_threshold("0.04"))


# ---------------------------------------------------------------------------------------
# Exercise 2: the plateau schedule
# ---------------------------------------------------------------------------------------


def test_halve_on_plateau_really_stops_after_71_epochs() -> None:
    """The check's 71 is what mlp.schedules.HalveOnPlateau does, not only arithmetic."""
    schedule = schedules.HalveOnPlateau(patience=10)
    run = Run.__new__(Run)
    run.eta, run.history, run.validation_data = 1.0, History(), ([0], [0])
    schedule.train_start(run)
    for epoch in range(1, 200):
        run.history.validation_accuracy.append(0.9 if epoch == 1 else 0.8)
        schedule.epoch_end(run)
        if run.history.stop_reason:
            break
    assert epoch == 71 and run.eta == pytest.approx(1 / 128)
    assert passes(nb09.check_plateau_stop(epoch))


@pytest.mark.parametrize(
    ("answer", "words"),
    [(70, "epoch 1"), (80, "One halving too many"), (7, "number of halvings"),
     (64, "Count the halvings")],
)
def test_plateau_wrong_answers(answer: int, words: str) -> None:
    assert words in not_yet(nb09.check_plateau_stop(answer))


def test_plateau_malformed_answers() -> None:
    assert not nb09.check_plateau_stop(...).answered
    assert "whole number" in not_yet(nb09.check_plateau_stop(70.5))


# ---------------------------------------------------------------------------------------
# Exercises 3-6: the update rules
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("check", "answer"), RULE_CHECKS)
def test_rules_accept_the_model_answer_and_the_course_copy(check, answer) -> None:
    assert passes(check(answer))
    assert passes(check(getattr(nb09, answer.__name__)))


def test_rules_accept_in_place_updates_and_epsilon_inside_the_root() -> None:
    def in_place(w, v, grad, eta, mu=0.9):
        v *= mu
        v -= eta * grad
        w += v
        return w, v

    def inside(w, s, grad, eta, epsilon=1e-8):
        s = s + grad**2
        return w - eta * grad / np.sqrt(s + epsilon), s

    assert passes(nb09.check_momentum(in_place))
    assert passes(nb09.check_adagrad(inside))


@pytest.mark.parametrize(("check", "answer"), RULE_CHECKS)
def test_rules_on_malformed_functions(check, answer) -> None:
    assert not check(stub).answered
    assert not check(...).answered
    assert "IndexError" in not_yet(check(raises))
    assert "returned None" in not_yet(check(returns_none))
    assert "should be a function" in not_yet(check(3))
    assert "arrays" in not_yet(check(lambda *a, **k: np.zeros((7, 3))))


def test_momentum_mistakes_are_named() -> None:
    def uphill(w, v, grad, eta, mu=0.9):
        v = mu * v + eta * grad
        return w + v, v

    def old_velocity(w, v, grad, eta, mu=0.9):
        return w + v, mu * v - eta * grad

    def averaged(w, v, grad, eta, mu=0.9):
        v = mu * v + (1 - mu) * grad
        return w - eta * v, v

    def fixed_mu(w, v, grad, eta, mu=0.9):
        v = 0.9 * v - eta * grad
        return w + v, v

    def swapped_outputs(w, v, grad, eta, mu=0.9):
        v = mu * v - eta * grad
        return v, w + v

    assert "uphill" in not_yet(nb09.check_momentum(uphill))
    assert "previous step" in not_yet(nb09.check_momentum(old_velocity))
    assert "Nielsen's form" in not_yet(nb09.check_momentum(averaged))
    message = not_yet(nb09.check_momentum(fixed_mu))
    assert "μ = 0.5" in message and "fixed numbers" in message
    assert "first step" in not_yet(nb09.check_momentum(swapped_outputs))


def test_adagrad_mistakes_are_named() -> None:
    def forgets(w, s, grad, eta, epsilon=1e-8):
        s = grad * grad
        return w - eta * grad / (np.sqrt(s) + epsilon), s

    def no_root(w, s, grad, eta, epsilon=1e-8):
        s = s + grad * grad
        return w - eta * grad / (s + epsilon), s

    def old_s(w, s, grad, eta, epsilon=1e-8):
        new = s + grad * grad
        return w - eta * grad / (np.sqrt(s) + epsilon), new

    assert "all gradients so far" in not_yet(nb09.check_adagrad(forgets))
    assert "square root" in not_yet(nb09.check_adagrad(no_root))
    # dividing by the old s = 0 gives inf in the first step
    assert "before this step's gradient" in not_yet(nb09.check_adagrad(old_s))


def test_rmsprop_mistakes_are_named() -> None:
    def swapped(w, s, grad, eta, decay=0.9, epsilon=1e-8):
        s = (1 - decay) * s + decay * grad * grad
        return w - eta * grad / (np.sqrt(s) + epsilon), s

    def adagrad(w, s, grad, eta, decay=0.9, epsilon=1e-8):
        s = s + grad * grad
        return w - eta * grad / (np.sqrt(s) + epsilon), s

    def fixed_decay(w, s, grad, eta, decay=0.9, epsilon=1e-8):
        s = 0.9 * s + 0.1 * grad * grad
        return w - eta * grad / (np.sqrt(s) + epsilon), s

    assert "swapped" in not_yet(nb09.check_rmsprop(swapped))
    assert "AdaGrad" in not_yet(nb09.check_rmsprop(adagrad))
    assert "ρ = 0.5" in not_yet(nb09.check_rmsprop(fixed_decay))

    def plus_one(w, s, grad, eta, decay=0.9, epsilon=1e-8):
        w, s = rmsprop_step(w, s, grad, eta, decay, epsilon)
        return w + 0.001, s

    message = not_yet(nb09.check_rmsprop(plus_one))
    assert "differs from the reference at the first step" in message


def test_adam_mistakes_are_named() -> None:
    def uncorrected(w, m, s, t, grad, eta, beta1=0.9, beta2=0.999, epsilon=1e-8):
        m = beta1 * m + (1 - beta1) * grad
        s = beta2 * s + (1 - beta2) * grad * grad
        return w - eta * m / (np.sqrt(s) + epsilon), m, s

    def from_zero(w, m, s, t, grad, eta, beta1=0.9, beta2=0.999, epsilon=1e-8):
        return adam_step(w, m, s, t - 1, grad, eta, beta1, beta2, epsilon)

    def stores_corrected(w, m, s, t, grad, eta, beta1=0.9, beta2=0.999, epsilon=1e-8):
        m = (beta1 * m + (1 - beta1) * grad) / (1 - beta1**t)
        s = (beta2 * s + (1 - beta2) * grad * grad) / (1 - beta2**t)
        return w - eta * m / (np.sqrt(s) + epsilon), m, s

    def two_items(w, m, s, t, grad, eta, beta1=0.9, beta2=0.999, epsilon=1e-8):
        return adam_step(w, m, s, t, grad, eta, beta1, beta2, epsilon)[:2]

    assert "bias correction" in not_yet(nb09.check_adam(uncorrected))
    assert "nan or inf" in not_yet(nb09.check_adam(from_zero))
    assert "corrected averages" in not_yet(nb09.check_adam(stores_corrected))
    assert "return w, m, s" in not_yet(nb09.check_adam(two_items))


def test_no_hint_gives_the_answer_code_away() -> None:
    """Hints quote equations, never the model answer's lines of code."""
    from course.feedback import Hint

    answers = ["v = mu * v - eta * grad", "s = s + grad * grad", "np.sqrt(s) + epsilon",
               "m_hat = m / (1 - beta1**t)", "s = decay * s + (1 - decay) * grad * grad"]
    texts = []
    for mistakes in (nb09._momentum_mistakes(), nb09._adam_mistakes(),
                     nb09._sqrt_mistakes(nb09.rmsprop_step, "average")):
        for _, nudge, pointed in mistakes:
            texts.append(Hint(nudge, pointed).text(2))
    for answer in answers:
        assert not any(answer in text for text in texts), answer
