"""Notebook 08's helpers: the course's own answers are right, and the checks accept the model
answers, name typical mistakes and never crash on a buggy function."""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pytest
from verdicts import not_yet, passes, raises, stub

from course import nb08
from mlp.network import Network
from mlp.regularization import L1, L2, EarlyStopping, dropout_masks
from mlp.train import Run, sgd

matplotlib.use("Agg")


pytestmark = pytest.mark.usefixtures("grading")


def wrong_shape(*args):
    return np.zeros((7, 3))


# ---------------------------------------------------------------------------------------
# Model answers, as in the notebook
# ---------------------------------------------------------------------------------------


def stop_epoch(accuracies, patience):
    best, best_epoch = -np.inf, 0
    for epoch, accuracy in enumerate(accuracies, start=1):
        if accuracy > best:
            best, best_epoch = accuracy, epoch
        elif epoch - best_epoch >= patience:
            return epoch
    return len(accuracies)


def l2_step(weights, biases, nabla_w, nabla_b, eta, lmbda, n):
    shrink = 1 - eta * lmbda / n
    new_weights = [shrink * w - eta * nw for w, nw in zip(weights, nabla_w, strict=True)]
    new_biases = [b - eta * nb for b, nb in zip(biases, nabla_b, strict=True)]
    return new_weights, new_biases


def dropout_mask(n_neurons, m, p, rng):
    keep = rng.random((n_neurons, m)) >= p
    mask = keep / (1 - p)
    return mask


CHECKS_OF_FUNCTIONS = [nb08.check_stop_epoch, nb08.check_l2_step, nb08.check_dropout_mask]


# ---------------------------------------------------------------------------------------
# The course's own answers agree with mlp
# ---------------------------------------------------------------------------------------


def test_stop_epoch_is_the_rule_of_early_stopping_in_mlp() -> None:
    """nb08.stop_epoch stops where mlp.regularization.EarlyStopping sets its stop reason."""
    for accuracies, patience in nb08.STOP_CASES:
        callback = EarlyStopping(patience)
        run = Run(None, None, None, None, 10, 0.1, None)  # only the history is used
        stopped = len(accuracies)
        for epoch, accuracy in enumerate(accuracies, start=1):
            run.history.validation_accuracy.append(accuracy)
            callback.epoch_end(run)
            if run.history.stop_reason:
                stopped = epoch
                break
        assert nb08.stop_epoch(accuracies, patience) == stopped == stop_epoch(accuracies,
                                                                              patience)


def test_example_in_the_exercise_text() -> None:
    assert nb08.stop_epoch([0.80, 0.82, 0.81, 0.82, 0.80], 3) == 5


@pytest.mark.parametrize("penalty", [L2(20.0), L1(20.0)])
def test_l2_step_is_one_step_of_sgd_with_the_l2_penalty(penalty) -> None:
    """One mini-batch of sgd(penalty=L2) equals l2_step on backprop's gradients (and L1
    differs from it)."""
    rng = np.random.default_rng(0)
    x = rng.random((4, 5))
    labels = rng.integers(0, 2, 5)
    net = Network([4, 3, 2], seed=0, dtype=np.float64)
    y = np.eye(2)[:, labels]
    nabla_b, nabla_w = net.backprop(x, y)
    expected_w, expected_b = nb08.l2_step(net.weights, net.biases, nabla_w, nabla_b, 0.5,
                                          20.0, 5)
    sgd(net, (x, labels), 1, 5, 0.5, penalty=penalty, seed=0, progress=False, verbose=False)
    same = all(np.allclose(a, b) for a, b in zip(net.weights, expected_w, strict=True))
    assert same == isinstance(penalty, L2)
    assert all(np.allclose(a, b) for a, b in zip(net.biases, expected_b, strict=True))


def test_dropout_mask_matches_mlp_dropout_masks() -> None:
    mask = nb08.dropout_mask(30, 10, 0.2, np.random.default_rng(4))
    (theirs,) = dropout_masks([30], 10, 0.2, np.random.default_rng(4), dtype=np.float64)
    np.testing.assert_array_equal(mask, theirs)


def test_measure_records_every_few_epochs_and_the_last() -> None:
    rng = np.random.default_rng(1)
    x = rng.random((6, 40)).astype(np.float32)
    labels = rng.integers(0, 3, 40)
    net = Network([6, 5, 3], seed=1)
    measure = nb08.Measure(3, training=(x, labels), test=(x[:, :10], labels[:10]))
    sgd(net, (x, labels), 7, 10, 0.5, penalty=L2(1.0), callbacks=[measure], seed=1,
        progress=False, verbose=False)
    assert measure.epochs == [3, 6, 7]
    assert len(measure.cost["test"]) == len(measure.accuracy["training"]) == 3
    # the training cost includes the penalty; the test cost does not
    from mlp.train import evaluate

    cost, accuracy = evaluate(net, (x, labels))
    assert measure.cost["training"][-1] == pytest.approx(
        cost + L2(1.0).cost(net.weights, 40))
    assert measure.at(7, "training") == accuracy


def test_pictures_draw_without_error() -> None:
    measure = nb08.Measure(1, training=(np.zeros((784, 2)), np.zeros(2, int)))
    measure.epochs = [1, 2, 3]
    measure.accuracy = {"validation": [0.5, 0.6, 0.55], "test": [0.5, 0.58, 0.56],
                        "training": [0.5, 0.7, 0.9]}
    measure.cost = {"training": [1.0, 0.5, 0.2], "test": [1.0, 0.9, 1.1]}
    nb08.plot_overfitting({"a": measure}, book={"book": 0.82})
    nb08.draw_early_stopping(measure, patience=1)
    nb08.plot_polynomial_fits()
    nb08.plot_weight_histograms({"a": np.zeros((3, 784))})
    nb08.plot_weight_images({"a": np.ones((3, 784))}, neurons=[0, 1])
    nb08.plot_mask(nb08.dropout_mask(5, 4, 0.5, np.random.default_rng(0)), 0.5)
    net = Network([784, 5, 10], seed=0)
    nb08.draw_transformed(np.zeros(784), {"net": net}, dx=1, dy=-1, degrees=10)
    matplotlib.pyplot.close("all")


# ---------------------------------------------------------------------------------------
# Exercise 1: early stopping
# ---------------------------------------------------------------------------------------


def test_stop_epoch_right_answer() -> None:
    assert passes(nb08.check_stop_epoch(stop_epoch))
    assert passes(nb08.check_stop_epoch(nb08.stop_epoch))


def stop_with_ties(accuracies, patience):
    best, best_epoch = -np.inf, 0
    for epoch, accuracy in enumerate(accuracies, start=1):
        if accuracy >= best:
            best, best_epoch = accuracy, epoch
        elif epoch - best_epoch >= patience:
            return epoch
    return len(accuracies)


def from_zero(accuracies, patience):
    return stop_epoch(accuracies, patience) - 1


def best_epoch(accuracies, patience):
    return int(np.argmax(accuracies)) + 1


def one_late(accuracies, patience):
    best, waited = -np.inf, 0
    for epoch, accuracy in enumerate(accuracies, start=1):
        if accuracy > best:
            best, waited = accuracy, 0
        else:
            waited += 1
            if waited > patience:
                return epoch
    return len(accuracies)


def never_to_the_end(accuracies, patience):
    for epoch in range(1, len(accuracies)):
        if epoch - int(np.argmax(accuracies[:epoch])) - 1 >= patience:
            return epoch
    return -1


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (stop_with_ties, "equal to the best so far"),
        (best_epoch, "That is the best epoch"),
        (from_zero, "One epoch early"),
        (one_late, "One epoch late"),
        (never_to_the_end, "never fires"),
        (lambda accuracies, patience: 3, "returned 3"),
    ],
)
def test_stop_epoch_names_the_mistake(answer, words) -> None:
    assert words in not_yet(nb08.check_stop_epoch(answer))


def test_stop_epoch_malformed_answers() -> None:
    assert "single number" in not_yet(nb08.check_stop_epoch(wrong_shape))
    assert "IndexError" in not_yet(nb08.check_stop_epoch(raises))
    assert not nb08.check_stop_epoch(stub).answered


# ---------------------------------------------------------------------------------------
# Exercise 2: the L2 step
# ---------------------------------------------------------------------------------------


def test_l2_step_right_answer() -> None:
    assert passes(nb08.check_l2_step(l2_step))
    assert passes(nb08.check_l2_step(nb08.l2_step))


def in_place(weights, biases, nabla_w, nabla_b, eta, lmbda, n):
    """Also right: changing the arrays in place and returning them."""
    for w, nw in zip(weights, nabla_w, strict=True):
        w *= 1 - eta * lmbda / n
        w -= eta * nw
    for b, nb in zip(biases, nabla_b, strict=True):
        b -= eta * nb
    return weights, biases


def l2_with(factor, biases_too=False, after=False):
    def step(weights, biases, nabla_w, nabla_b, eta, lmbda, n):
        shrink = factor(eta, lmbda, n)
        if after:
            new_w = [shrink * (w - eta * nw) for w, nw in zip(weights, nabla_w, strict=True)]
        else:
            new_w = [shrink * w - eta * nw for w, nw in zip(weights, nabla_w, strict=True)]
        b_shrink = shrink if biases_too else 1.0
        new_b = [b_shrink * b - eta * nb for b, nb in zip(biases, nabla_b, strict=True)]
        return new_w, new_b

    return step


def test_l2_step_accepts_in_place_updates() -> None:
    assert passes(nb08.check_l2_step(in_place))


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (l2_with(lambda eta, lmbda, n: 1.0), "λ plays no part"),
        (l2_with(lambda eta, lmbda, n: 1 - eta * lmbda / n, biases_too=True), "biases shrank"),
        (l2_with(lambda eta, lmbda, n: 1 - eta * lmbda / (2 * n)), "half as much"),
        (l2_with(lambda eta, lmbda, n: 1 - eta * lmbda), "not 1 - ηλ/n"),
        (l2_with(lambda eta, lmbda, n: 1 - lmbda / n), "not 1 - ηλ/n"),
        (l2_with(lambda eta, lmbda, n: 1 + eta * lmbda / n), "grow"),
        (l2_with(lambda eta, lmbda, n: 1 - eta * lmbda / n, after=True), "after the gradient"),
        (l2_with(lambda eta, lmbda, n: 0.5), "are not (1 - ηλ/n) w - η ∇w"),
    ],
)
def test_l2_step_names_the_mistake(answer, words) -> None:
    assert words in not_yet(nb08.check_l2_step(answer))


def test_l2_step_biases_wrong() -> None:
    def forgets_biases(weights, biases, nabla_w, nabla_b, eta, lmbda, n):
        return l2_step(weights, biases, nabla_w, nabla_b, eta, lmbda, n)[0], biases

    assert "ordinary gradient step" in not_yet(nb08.check_l2_step(forgets_biases))


def test_l2_step_malformed_answers() -> None:
    def one_list(weights, biases, nabla_w, nabla_b, eta, lmbda, n):
        return l2_step(weights, biases, nabla_w, nabla_b, eta, lmbda, n)[0]

    def transposed(weights, biases, nabla_w, nabla_b, eta, lmbda, n):
        new_w, new_b = l2_step(weights, biases, nabla_w, nabla_b, eta, lmbda, n)
        return [w.T for w in new_w], new_b

    assert "two lists" in not_yet(nb08.check_l2_step(one_list))
    assert "shape" in not_yet(nb08.check_l2_step(transposed))
    assert "two lists" in not_yet(nb08.check_l2_step(wrong_shape))
    assert "IndexError" in not_yet(nb08.check_l2_step(raises))
    assert not nb08.check_l2_step(stub).answered


# ---------------------------------------------------------------------------------------
# Exercises 3 and 4: lambda for 50,000 images, epochs until L1 reaches 0
# ---------------------------------------------------------------------------------------


def test_lmbda_full() -> None:
    assert passes(nb08.check_lmbda_full(0.1 * 50_000 / 1_000))
    assert passes(nb08.check_lmbda_full(5))
    assert "n is 50" in not_yet(nb08.check_lmbda_full(0.1))
    assert "λ must grow" in not_yet(nb08.check_lmbda_full(0.002))
    assert "validation set" in not_yet(nb08.check_lmbda_full(6.0))
    assert "solve" in not_yet(nb08.check_lmbda_full(50.0)) or "ηλ/n" in not_yet(
        nb08.check_lmbda_full(50.0))
    assert "string" in not_yet(nb08.check_lmbda_full("5"))
    assert not nb08.check_lmbda_full(...).answered


def test_l1_epochs() -> None:
    assert passes(nb08.check_l1_epochs(0.5 / (0.5 * 0.1 / 1000) / (1000 / 10)))
    assert passes(nb08.check_l1_epochs(100))
    assert "mini-batch steps" in not_yet(nb08.check_l1_epochs(10_000))
    assert "1,000 / 10" in not_yet(nb08.check_l1_epochs(10))
    assert "learning rate" in not_yet(nb08.check_l1_epochs(50))
    assert "ηλ/n" in not_yet(nb08.check_l1_epochs(37))
    assert not nb08.check_l1_epochs(...).answered


def test_l1_epochs_agrees_with_training() -> None:
    """A weight from an input that is always 0, under L1 in sgd, reaches 0 after 100 epochs."""
    x = np.zeros((2, 1000), dtype=np.float64)
    x[1] = np.random.default_rng(0).random(1000)
    labels = np.zeros(1000, dtype=int)
    net = Network([2, 1, 2], seed=0, dtype=np.float64)
    net.weights[0][0, 0] = 0.5  # from the blank input
    sgd(net, (x, labels), 99, 10, 0.5, penalty=L1(0.1), seed=0, progress=False, verbose=False)
    assert net.weights[0][0, 0] == pytest.approx(0.5 - 99 * 100 * 5e-5)
    sgd(net, (x, labels), 2, 10, 0.5, penalty=L1(0.1), seed=0, progress=False, verbose=False)
    assert abs(net.weights[0][0, 0]) <= 5e-5 + 1e-12
    assert math.isclose(nb08.SMALL / nb08.BATCH, 100)


# ---------------------------------------------------------------------------------------
# Exercise 5: the dropout mask
# ---------------------------------------------------------------------------------------


def test_dropout_mask_right_answer() -> None:
    assert passes(nb08.check_dropout_mask(dropout_mask))
    assert passes(nb08.check_dropout_mask(nb08.dropout_mask))

    def with_where(n_neurons, m, p, rng):
        return np.where(rng.random((n_neurons, m)) < p, 0.0, 1 / (1 - p))

    assert passes(nb08.check_dropout_mask(with_where))


def unscaled(n_neurons, m, p, rng):
    return (rng.random((n_neurons, m)) >= p).astype(float)


def times_keep(n_neurons, m, p, rng):
    return (rng.random((n_neurons, m)) >= p) * (1 - p)


def keeps_p(n_neurons, m, p, rng):
    return (rng.random((n_neurons, m)) < p) / (1 - p)


def one_per_neuron(n_neurons, m, p, rng):
    return np.repeat((rng.random((n_neurons, 1)) >= p) / (1 - p), m, axis=1)


def one_per_example(n_neurons, m, p, rng):
    return np.repeat((rng.random((1, m)) >= p) / (1 - p), n_neurons, axis=0)


def global_random(n_neurons, m, p, rng):
    return (np.random.random((n_neurons, m)) >= p) / (1 - p)  # noqa: NPY002 (the mistake)


def uniform_values(n_neurons, m, p, rng):
    return rng.random((n_neurons, m)) / (1 - p)


def fixed_seed(n_neurons, m, p, rng):
    return (np.random.default_rng(0).random((n_neurons, m)) >= p) / (1 - p)


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (unscaled, "have mask 1"),
        (times_keep, "multiplied by the probability"),
        (keeps_p, "*dropping*"),
        (one_per_neuron, "Every example of the mini-batch gets the same mask"),
        (one_per_example, "Every hidden neuron gets the same mask row"),
        (global_random, "same seed gave different masks"),
        (fixed_seed, "different seeds gave the same mask"),
        (uniform_values, "should hold only 0"),
    ],
)
def test_dropout_mask_names_the_mistake(answer, words) -> None:
    assert words in not_yet(nb08.check_dropout_mask(answer))


def test_dropout_mask_malformed_answers() -> None:
    def transposed(n_neurons, m, p, rng):
        return dropout_mask(n_neurons, m, p, rng).T

    assert "shape (200, 500)" in not_yet(nb08.check_dropout_mask(transposed))
    assert "shape" in not_yet(nb08.check_dropout_mask(wrong_shape))
    assert "IndexError" in not_yet(nb08.check_dropout_mask(raises))
    assert not nb08.check_dropout_mask(stub).answered


@pytest.mark.parametrize("check", CHECKS_OF_FUNCTIONS)
def test_checks_survive_none_and_non_functions(check) -> None:
    assert "returned None" in not_yet(check(lambda *args: None))
    assert "should be a function" in not_yet(check(3))
