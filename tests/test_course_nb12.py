"""Notebook 12's helpers: the references are right, and the checks accept right answers,
explain typical mistakes and never crash on a buggy function."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from verdicts import assert_buggy_functions_get_feedback, not_yet, passes

from course import feedback, nb12
from course.feedback import Result
from mlp import augment, costs, init, optim, schedules
from mlp.data import FASHION_CLASSES
from mlp.network import Network
from mlp.regularization import Dropout

matplotlib.use("Agg")


pytestmark = pytest.mark.usefixtures("grading")


# ---------------------------------------------------------------------------------------
# Model answers, as in the notebook, and variations of them
# ---------------------------------------------------------------------------------------


def build_best(hidden=800, dropout=0.0, seed=1, *, activation="relu", cost=costs.LOG_LIKELIHOOD,
               initialiser=init.he, update=None, callbacks=None, use_seed=True):
    net = Network([784, hidden, 10], activation=activation, cost=cost, init=initialiser,
                  seed=seed if use_seed else 0)
    if callbacks is None:
        callbacks = [augment.RandomShifts(), schedules.ExponentialDecay(0.6)]
        if dropout > 0:
            callbacks.append(Dropout(dropout))
    return net, update or optim.momentum(0.9), callbacks


def same_network(a, b):
    if a.sizes != b.sizes or a.activation != b.activation or a.cost_name != b.cost_name:
        return False
    pairs = zip(a.weights + a.biases, b.weights + b.biases, strict=True)
    return all(np.array_equal(p, q) for p, q in pairs)


def accuracy_by_shift(net, x, labels, shifts):
    return np.array([np.mean(net.predict(augment.shift(x, d, 0)) == labels) for d in shifts])


def cross_correlate(image, kernel):
    out = np.zeros((26, 26))
    for i in range(26):
        for j in range(26):
            out[i, j] = np.sum(image[i : i + 3, j : j + 3] * kernel)
    return out


@pytest.fixture(scope="module")
def net() -> Network:
    """A small network trained briefly, so that shifts change its answers."""
    from mlp.data import load_data
    from mlp.train import sgd

    (x, labels), _, _ = load_data(progress=False)
    net = Network([784, 30, 10], activation="relu", cost=costs.LOG_LIKELIHOOD, init=init.he,
                  seed=0)
    sgd(net, (x[:, :5000], labels[:5000]), 2, 20, 0.1, seed=0, progress=False, verbose=False)
    return net


# ---------------------------------------------------------------------------------------
# The references
# ---------------------------------------------------------------------------------------


def test_build_best_reference_trains_a_small_net_quickly() -> None:
    from mlp.data import load_data
    from mlp.train import sgd

    (x, labels), _, (x_test, labels_test) = load_data(progress=False)
    net, update, callbacks = nb12.build_best(hidden=50, dropout=0.2, seed=2)
    assert net.sizes == [784, 50, 10] and net.activation == "relu" and net.init == "he"
    assert [type(c) for c in callbacks] == [augment.RandomShifts, schedules.ExponentialDecay,
                                            Dropout]
    history = sgd(net, (x[:, :3000], labels[:3000]), 2, 100, nb12.ETA, update=update,
                  callbacks=callbacks, seed=2, progress=False, verbose=False)
    assert history.eta == pytest.approx([nb12.ETA, nb12.ETA * nb12.GAMMA])
    assert net.evaluate(x_test[:, :1000], labels_test[:1000]) > 800


def test_cross_correlate_reference_agrees_with_a_vectorised_version() -> None:
    rng = np.random.default_rng(1)
    image, kernel = rng.random((28, 28)), rng.standard_normal((3, 3))
    windows = np.lib.stride_tricks.sliding_window_view(image, (3, 3))
    np.testing.assert_allclose(nb12.cross_correlate(image, kernel),
                               np.einsum("ijuv,uv->ij", windows, kernel))
    assert nb12.cross_correlate(image, np.ones((5, 5))).shape == (24, 24)


def test_a_feature_map_moves_with_the_digit() -> None:
    image = np.zeros((28, 28))
    image[8:20, 10:13] = 1.0
    moved = augment.shift(image.reshape(784, 1), 4, 0).reshape(28, 28)
    kernel = nb12.KERNELS["vertical edges"]
    plain, shifted = nb12.cross_correlate(image, kernel), nb12.cross_correlate(moved, kernel)
    np.testing.assert_allclose(shifted[:, 4:], plain[:, :-4])
    assert plain.max() == pytest.approx(shifted.max())


def test_same_network_reference_and_round_trip(tmp_path) -> None:
    from mlp.io import load, save

    net = nb12.build_best(hidden=20, seed=5)[0]
    assert nb12.same_network(net, load(save(net, tmp_path / "n.npz")))
    for what, a, b, expected in nb12._pairs():
        assert nb12.same_network(a, b) is expected, what


def test_accuracy_by_shift_falls_with_large_shifts(net: Network) -> None:
    x, labels = nb12._test_images()
    accuracies = nb12.accuracy_by_shift(net, x, labels, [0, 1, 6])
    assert accuracies[0] > 0.85 and accuracies[2] < accuracies[1] < accuracies[0] + 0.01


# ---------------------------------------------------------------------------------------
# Exercise 1: the best recipe
# ---------------------------------------------------------------------------------------


def test_build_best_right_answers() -> None:
    assert passes(nb12.check_build_best(build_best))

    def as_list(hidden=800, dropout=0.0, seed=1):  # a list, dropout first: also fine
        net, update, callbacks = build_best(hidden, dropout, seed)
        return [net, update, callbacks[::-1]]

    assert passes(nb12.check_build_best(as_list))


def test_build_best_mistakes() -> None:
    def variant(**changes):
        return lambda hidden=800, dropout=0.0, seed=1: build_best(hidden, dropout, seed, **changes)

    def fixed_hidden(hidden=800, dropout=0.0, seed=1):
        return build_best(800, dropout, seed)

    def always_dropout(hidden=800, dropout=0.0, seed=1):
        net, update, callbacks = build_best(hidden, dropout, seed)
        return net, update, [*callbacks, Dropout(0.5)] if dropout == 0 else callbacks

    def fixed_dropout(hidden=800, dropout=0.0, seed=1):
        net, update, callbacks = build_best(hidden, 0.0, seed)
        return net, update, [*callbacks, Dropout(0.5)] if dropout else callbacks

    def no_dropout(hidden=800, dropout=0.0, seed=1):
        return build_best(hidden, 0.0, seed)

    shifts, decay = augment.RandomShifts(), schedules.ExponentialDecay(0.6)
    cases = [
        (fixed_hidden, "[784, 30, 10]"),
        (variant(activation="sigmoid"), "ReLU"),
        (variant(cost=costs.CROSS_ENTROPY), "log-likelihood"),
        (variant(initialiser=init.scaled_normal), "He"),
        (variant(use_seed=False), "seed"),
        (variant(update=optim.sgd()), "plain gradient-descent"),
        (variant(update=optim.momentum(0.5)), "mu = 0.5"),
        (variant(update=optim.adam()), "Adam"),
        (variant(callbacks=[decay]), "RandomShifts"),
        (variant(callbacks=[augment.RandomShifts(2), decay]), "at most one pixel"),
        (variant(callbacks=[shifts]), "ExponentialDecay"),
        (variant(callbacks=[shifts, schedules.ExponentialDecay(0.9)]), "gamma = 0.9"),
        (variant(callbacks=[shifts, schedules.StepDecay()]), "ExponentialDecay"),
        (always_dropout, "no Dropout"),
        (fixed_dropout, "Dropout(0.25)"),
        (no_dropout, "none"),
    ]
    for answer, words in cases:
        assert words in not_yet(nb12.check_build_best(answer)), words


def test_build_best_wrong_shapes_of_answer() -> None:
    assert "three things" in not_yet(nb12.check_build_best(lambda h, d, s: build_best(h)[:2]))
    assert "Network" in not_yet(nb12.check_build_best(lambda h, d, s: (1, 2, 3)))
    net = build_best(30)[0]
    assert "update rule" in not_yet(nb12.check_build_best(lambda h, d, s: (net, 0.9, [])))
    assert "list of callbacks" in not_yet(
        nb12.check_build_best(lambda h, d, s: (build_best(h, d, s)[0], optim.momentum(), None)))

    def broken_update(params, grads, eta):
        raise RuntimeError("oops")

    assert "RuntimeError" in not_yet(
        nb12.check_build_best(lambda h, d, s: (build_best(h, d, s)[0], broken_update, [])))


# ---------------------------------------------------------------------------------------
# Exercise 2: the same network?
# ---------------------------------------------------------------------------------------


def test_same_network_right_answer() -> None:
    assert passes(nb12.check_same_network(same_network))


def test_same_network_mistakes() -> None:
    def weights_only(a, b):
        return a.sizes == b.sizes and all(
            np.array_equal(p, q) for p, q in zip(a.weights, b.weights, strict=True))

    def crashes_on_sizes(a, b):
        return a.activation == b.activation and a.cost_name == b.cost_name and all(
            np.all(p == q) for p, q in zip(a.weights + a.biases, b.weights + b.biases,
                                           strict=True))

    def tolerant(a, b):
        return a.sizes == b.sizes and all(
            np.allclose(p, q) for p, q in zip(a.weights + a.biases, b.weights + b.biases,
                                              strict=True))

    def parameters_only(a, b):
        return a.sizes == b.sizes and all(
            np.array_equal(p, q) for p, q in zip(a.weights + a.biases, b.weights + b.biases,
                                                 strict=True))

    def identity(a, b):
        return a is b

    def array_answer(a, b):
        return np.array([True])

    assert "biases" in not_yet(nb12.check_same_network(weights_only))
    assert "sizes" in not_yet(nb12.check_same_network(crashes_on_sizes))
    assert "np.allclose" in not_yet(nb12.check_same_network(tolerant))
    assert "activation" in not_yet(nb12.check_same_network(parameters_only))
    assert "identical copy" in not_yet(nb12.check_same_network(identity))
    assert "True or False" in not_yet(nb12.check_same_network(array_answer))


# ---------------------------------------------------------------------------------------
# Exercise 3: the pair mixed up most often
# ---------------------------------------------------------------------------------------

MATRIX = np.diag(np.full(10, 900))
MATRIX[6, 0], MATRIX[0, 6] = 60, 50  # shirt <-> T-shirt: 110 in all
MATRIX[4, 2], MATRIX[2, 4] = 80, 10  # coat taken for pullover: the largest one way


def test_confused_pair_right_answers() -> None:
    for answer in [("T-shirt/top", "Shirt"), ("Shirt", "T-shirt/top"), ["Shirt", "T-shirt/top"],
                   {"Shirt", "T-shirt/top"}]:
        assert passes(nb12.check_confused_pair(answer, MATRIX, FASHION_CLASSES))


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (("Coat", "Pullover"), "both"),
        (("Shirt", "Shirt"), "diagonal"),
        (("Shirt", "Blouse"), "not a class name"),
        (("Bag", "Sandal"), "not the pair"),
        ((6, 0), "not a class name"),
        ("Shirt", "two class names"),
        (("Shirt", "T-shirt/top", "Coat"), "two class names"),
        (None, "two class names"),
    ],
)
def test_confused_pair_mistakes(answer, words) -> None:
    assert words in not_yet(nb12.check_confused_pair(answer, MATRIX, FASHION_CLASSES))


# ---------------------------------------------------------------------------------------
# Exercise 4: accuracy of shifted digits
# ---------------------------------------------------------------------------------------


def test_accuracy_by_shift_right_answers(net: Network) -> None:
    assert passes(nb12.check_accuracy_by_shift(accuracy_by_shift, net))

    def as_list(net, x, labels, shifts):
        return [float(a) for a in accuracy_by_shift(net, x, labels, shifts)]

    assert passes(nb12.check_accuracy_by_shift(as_list, net))


def test_accuracy_by_shift_mistakes(net: Network) -> None:
    def percent(net, x, labels, shifts):
        return 100 * accuracy_by_shift(net, x, labels, shifts)

    def counts(net, x, labels, shifts):
        return accuracy_by_shift(net, x, labels, shifts) * len(labels)

    def rolled(net, x, labels, shifts):
        images = x.T.reshape(-1, 28, 28)
        return [np.mean(net.predict(np.roll(images, d, axis=2).reshape(-1, 784).T) == labels)
                for d in shifts]

    def down(net, x, labels, shifts):
        return [np.mean(net.predict(augment.shift(x, 0, d)) == labels) for d in shifts]

    def left(net, x, labels, shifts):
        return accuracy_by_shift(net, x, labels, [-d for d in shifts])

    def first_only(net, x, labels, shifts):
        return accuracy_by_shift(net, x, labels, [shifts[0]] * len(shifts))

    assert "percentages" in not_yet(nb12.check_accuracy_by_shift(percent, net))
    assert "counts" in not_yet(nb12.check_accuracy_by_shift(counts, net))
    assert "np.roll" in not_yet(nb12.check_accuracy_by_shift(rolled, net))
    assert "down" in not_yet(nb12.check_accuracy_by_shift(down, net))
    assert "left" in not_yet(nb12.check_accuracy_by_shift(left, net))
    assert "expected" in not_yet(nb12.check_accuracy_by_shift(first_only, net))
    assert "shape (4,)" in not_yet(
        nb12.check_accuracy_by_shift(lambda n, x, y, s: accuracy_by_shift(n, x, y, s)[:2], net))


# ---------------------------------------------------------------------------------------
# Exercise 5: cross-correlation
# ---------------------------------------------------------------------------------------


def test_cross_correlate_right_answers() -> None:
    assert passes(nb12.check_cross_correlate(cross_correlate))
    assert passes(nb12.check_cross_correlate(nb12.cross_correlate))


def test_cross_correlate_mistakes() -> None:
    def flipped(image, kernel):
        return cross_correlate(image, kernel[::-1, ::-1])

    def padded(image, kernel):
        out = np.zeros((28, 28))
        out[1:27, 1:27] = cross_correlate(image, kernel)
        return out

    def one_short(image, kernel):
        return cross_correlate(image, kernel)[:25, :25]

    def transposed(image, kernel):
        return cross_correlate(image, kernel).T

    def matrix_product(image, kernel):
        out = np.zeros((26, 26))
        for i in range(26):
            for j in range(26):
                out[i, j] = np.sum(image[i : i + 3, j : j + 3] @ kernel)
        return out

    def in_place(image, kernel):
        kernel *= 1.0 + 1e-3
        return cross_correlate(image, kernel)

    assert "flipped" in not_yet(nb12.check_cross_correlate(flipped))
    assert "26 x 26" in not_yet(nb12.check_cross_correlate(padded))
    assert "26 positions" in not_yet(nb12.check_cross_correlate(one_short))
    assert "swapped" in not_yet(nb12.check_cross_correlate(transposed))
    assert "element by element" in not_yet(nb12.check_cross_correlate(matrix_product))
    assert "changed the image or the kernel" in not_yet(nb12.check_cross_correlate(in_place))


# ---------------------------------------------------------------------------------------
# Every check of a function: unanswered, stubs and buggy functions never crash
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def checks(net: Network) -> list:
    return [
        nb12.check_build_best,
        nb12.check_same_network,
        nb12.check_cross_correlate,
        lambda answer: nb12.check_accuracy_by_shift(answer, net),
    ]


def test_placeholders_are_not_answered_yet(checks) -> None:
    for check in [*checks, lambda a: nb12.check_confused_pair(a, MATRIX, FASHION_CLASSES)]:
        result = check(...)
        assert isinstance(result, Result) and not result.passed and not result.answered


def test_unwritten_and_buggy_functions_get_feedback(checks) -> None:
    for check in checks:
        assert_buggy_functions_get_feedback(
            check, ("text", 3.0, [1, 2], np.zeros((7, 3)), object()))


def test_second_try_adds_the_pointed_hint(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("COURSE_GRADING")
    monkeypatch.chdir(tmp_path)  # not a workspace: nothing is recorded
    monkeypatch.setattr(feedback, "_FAILED", {})

    first = not_yet(nb12.check_cross_correlate(lambda image, kernel: np.ones((26, 26))))
    second = not_yet(nb12.check_cross_correlate(lambda image, kernel: np.ones((26, 26))))
    assert second.startswith(first) and len(second) > len(first)
    assert "np.zeros" not in second and "range(" not in second  # no answer code in hints


# ---------------------------------------------------------------------------------------
# Pictures and the widget run
# ---------------------------------------------------------------------------------------


def test_pictures_and_widget_run(monkeypatch: pytest.MonkeyPatch, net: Network) -> None:
    monkeypatch.setattr(matplotlib.pyplot, "show", lambda: None)
    from mlp.train import History

    history = History(test_accuracy=[0.97, 0.98], epoch_seconds=[1.0, 1.0])
    nb12.plot_learning_curve(history)
    nb12.plot_shift_accuracy([0, 1, 2], {"right": [0.9, 0.8, 0.5]})
    x, _ = nb12._test_images()
    nb12.draw_shift(net, x[:, 0], dx=2, dy=-1)
    nb12.show_feature_maps([x[:, 0].reshape(28, 28)], ["a digit"], nb12.KERNELS["blur"], "blur")
    nb12.show_images(x[:, :12], [str(k) for k in range(12)], columns=6)
    nb12.plot_fashion_confusion(MATRIX, FASHION_CLASSES)
    assert len(nb12.shift_explorer(net, x[:, 0]).children) == 3  # two sliders and the output
    folder = nb12.temporary_folder()
    assert folder.is_dir() and not any(folder.iterdir())
    matplotlib.pyplot.close("all")
