"""The exercise checks and pictures of notebook 05 (training on MNIST)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course import nb05  # noqa: E402


@pytest.fixture(scope="module")
def training():
    """A small, fixed stand-in for MNIST: 3,000 random 'images' with labels from their pixels."""
    rng = np.random.default_rng(0)
    x = rng.random((784, 3000))
    labels = np.argmax(x[:10], axis=0)
    return x, labels


def _loop(**mistake):
    def train_by_hand(net, x, y, epochs, batch_size, eta, seed):
        return nb05.reference_loop(net, x, y, epochs, batch_size, eta, seed, **mistake)
    return train_by_hand


def test_placeholders_ask_for_an_answer(verdict, training) -> None:
    assert verdict(nb05.check_accuracy, ...).startswith("Not yet. Replace the `...`")
    assert verdict(nb05.check_sgd_loop, ..., training).startswith("Not yet. Replace")
    assert verdict(nb05.check_mystery_eta, ..., lambda eta: [eta]).startswith("Not yet. Replace")
    assert verdict(nb05.check_most_confused, ..., np.eye(10, dtype=int)).startswith("Not yet.")


def test_reference_loop_is_the_loop_of_mlp_train_sgd(training) -> None:
    from mlp.data import one_hot
    from mlp.network import Network
    from mlp.train import sgd

    x, labels = training[0][:, :500], training[1][:500]
    ours = nb05.reference_loop(Network([784, 30, 10], seed=5), x, one_hot(labels), 2, 10, 3.0, 5)
    package = Network([784, 30, 10], seed=5)
    sgd(package, (x, labels), 2, 10, 3.0, seed=5, progress=False, verbose=False)
    for p, q in zip(ours.weights + ours.biases, package.weights + package.biases, strict=True):
        np.testing.assert_allclose(p, q, atol=1e-9)


def test_sgd_loop_accepts_the_loop(verdict, training) -> None:
    assert verdict(nb05.check_sgd_loop, _loop(), training).startswith("Correct!")


@pytest.mark.parametrize(
    ("mistake", "words"),
    [
        ({"shuffle": False}, "stored order"),
        ({"reseed": True}, "new generator"),
        ({"sign": -1.0}, "uphill"),
        ({"scale": 0.1}, "mean"),
        ({"biases": False}, "biases did not"),
    ],
)
def test_sgd_loop_names_the_mistake(verdict, training, mistake, words) -> None:
    message = verdict(nb05.check_sgd_loop, _loop(**mistake), training)
    assert message.startswith("Not yet") and words in message


def test_sgd_loop_other_mistakes(verdict, training) -> None:
    def one_epoch(net, x, y, epochs, batch_size, eta, seed):
        return nb05.reference_loop(net, x, y, 1, batch_size, eta, seed)

    def copies(net, x, y, epochs, batch_size, eta, seed):
        for w in net.weights:
            w = w - eta  # rebinding: the network does not change
        return net

    def forgets_return(net, x, y, epochs, batch_size, eta, seed):
        nb05.reference_loop(net, x, y, epochs, batch_size, eta, seed)

    def crashes(net, x, y, epochs, batch_size, eta, seed):
        return net.backprop(x, y[:3])

    assert "one epoch" in verdict(nb05.check_sgd_loop, one_epoch, training)
    assert "where they started" in verdict(nb05.check_sgd_loop, copies, training)
    assert "return" in verdict(nb05.check_sgd_loop, forgets_return, training)
    assert "raised" in verdict(nb05.check_sgd_loop, crashes, training)


def _fake_run(eta):
    """A made-up experiment: every learning rate gives its own curve."""
    return [min(1.0, 0.1 + k * np.log10(10 * eta + 1) / 4) for k in (1, 2, 3)]


def test_mystery_eta(verdict) -> None:
    def closest(candidates, curve, run):
        distances = [max(abs(a - b) for a, b in zip(run(eta), curve, strict=True))
                     for eta in candidates]
        return candidates[int(np.argmin(distances))]

    def farthest(candidates, curve, run):
        distances = [max(abs(a - b) for a, b in zip(run(eta), curve, strict=True))
                     for eta in candidates]
        return candidates[int(np.argmax(distances))]

    def position(candidates, curve, run):
        return candidates.index(closest(candidates, curve, run))

    assert verdict(nb05.check_mystery_eta, closest, _fake_run).startswith("Correct!")
    assert "farthest" in verdict(nb05.check_mystery_eta, farthest, _fake_run)
    assert "position" in verdict(nb05.check_mystery_eta, position, _fake_run)
    assert "fixed value" in verdict(nb05.check_mystery_eta, lambda c, cu, r: nb05.MYSTERY_ETA,
                                    _fake_run)
    assert "not one of" in verdict(nb05.check_mystery_eta, lambda c, cu, r: 0.5, _fake_run)
    assert "one learning rate" in verdict(nb05.check_mystery_eta, lambda c, cu, r: c, _fake_run)
    assert nb05.MYSTERY_ETA in nb05.MYSTERY_CANDIDATES


def test_accuracy_function(verdict) -> None:
    def right(outputs, labels):
        return np.mean(np.argmax(outputs, axis=0) == labels)

    def count(outputs, labels):
        return np.sum(np.argmax(outputs, axis=0) == labels)

    def wrong_axis(outputs, labels):
        return np.mean(np.argmax(outputs, axis=1) == labels[:3])

    def elementwise(outputs, labels):
        return np.argmax(outputs, axis=0) == labels

    def crashes(outputs, labels):
        raise KeyError("oops")

    assert verdict(nb05.check_accuracy, right).startswith("Correct!")
    assert "divide" in verdict(nb05.check_accuracy, count)
    assert "largest output" in verdict(nb05.check_accuracy, wrong_axis)
    assert "one number" in verdict(nb05.check_accuracy, elementwise)
    assert "KeyError" in verdict(nb05.check_accuracy, crashes)
    assert "function" in verdict(nb05.check_accuracy, 0.6)


def test_most_confused(verdict) -> None:
    matrix = np.diag(np.full(10, 900))
    matrix[9, 4] = 35
    matrix[4, 9] = 11
    matrix[3, 5] = 20
    assert verdict(nb05.check_most_confused, (9, 4), matrix).startswith("Correct!")
    index = np.unravel_index(np.argmax(np.where(np.eye(10) == 1, 0, matrix)), matrix.shape)
    assert verdict(nb05.check_most_confused, index, matrix).startswith("Correct!")
    assert "wrong order" in verdict(nb05.check_most_confused, (4, 9), matrix)
    assert "diagonal" in verdict(nb05.check_most_confused, (1, 1), matrix)
    assert "largest entry" in verdict(nb05.check_most_confused, (3, 5), matrix)
    assert "tuple" in verdict(nb05.check_most_confused, 7, matrix)


def test_source_excerpt() -> None:
    def example():
        a = 1
        b = 2
        c = 3
        return a + b + c

    assert nb05.source_excerpt(example, "b = 2", "c = 3") == "b = 2\nc = 3"
    assert "def example" in nb05.source_excerpt(example, "missing marker", "c = 3")


def test_pictures_draw() -> None:
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, size=50)
    predictions = rng.integers(0, 10, size=50)
    matrix = np.zeros((10, 10), dtype=int)
    np.add.at(matrix, (labels, predictions), 1)
    images = rng.random((784, 50))
    nb05.plot_learning_curves({"a": [0.5, 0.7, 0.8]}, reference=(0.9, "book"))
    nb05.plot_confusion_matrix(matrix)
    nb05.plot_per_class_accuracy(np.linspace(0.9, 0.99, 10), overall=0.95)
    fig = nb05.plot_worst_mistakes(images, labels, predictions, rng.random(50), rng.random(50),
                                   [0, 1, 2, 3, 4, 5, 6])
    assert len(fig.axes) == 12
    plt.close("all")


def test_live_curve_draws_without_printing(capsys) -> None:
    pytest.importorskip("ipywidgets")
    live = nb05.LiveCurve()
    live.update(0.9)
    live.update(0.91)
    assert live.accuracies == [0.9, 0.91]
    assert "2 epochs" in live.label.value
    # Outside a notebook clear_output writes terminal escape codes; nothing else may appear.
    printed = capsys.readouterr().out.replace("\x1b[2K", "").replace("\r", "")
    assert printed == ""
    plt.close("all")
