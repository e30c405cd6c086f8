"""Notebook 11's helpers: the measurements are right, and the checks accept right answers,
explain typical mistakes and never crash on a buggy function."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from verdicts import assert_buggy_functions_get_feedback, not_yet, passes

from course import feedback, nb11
from course.feedback import Result
from mlp import costs
from mlp.activations import sigmoid, sigmoid_prime
from mlp.network import Network

matplotlib.use("Agg")


pytestmark = pytest.mark.usefixtures("grading")


# ---------------------------------------------------------------------------------------
# Model answers, as in the notebook
# ---------------------------------------------------------------------------------------


def layer_speeds(net, x, y):
    nabla_b, nabla_w = net.backprop(x, y)
    hidden = nabla_b[:-1]
    return np.array([np.linalg.norm(gradient) for gradient in hidden])


def chain_gradients(weights, biases, x, y):
    zs, a = [], x
    for w, b in zip(weights, biases, strict=True):
        zs.append(w * a + b)
        a = sigmoid(zs[-1])
    grads = np.zeros(len(zs))
    grads[-1] = (a - y) * sigmoid_prime(zs[-1])
    for j in range(len(zs) - 2, -1, -1):
        grads[j] = grads[j + 1] * weights[j + 1] * sigmoid_prime(zs[j])
    return grads


def exploding_biases(weights, x):
    biases, a = [], x
    for w in weights:
        biases.append(-w * a)
        a = 0.5
    return np.array(biases)


CHECKS_OF_FUNCTIONS = [nb11.check_layer_speeds, nb11.check_chain_gradients,
                       nb11.check_exploding_biases]


# ---------------------------------------------------------------------------------------
# The measurements themselves
# ---------------------------------------------------------------------------------------


def test_layer_speeds_are_the_lengths_of_the_hidden_bias_gradients() -> None:
    net = nb11.make_network(2, seed=3)
    net64 = net.copy(dtype=np.float64)
    x, y = nb11._check_data(20)
    speeds = nb11.layer_speeds(net64, x, y)
    nabla_b, _ = net64.backprop_per_example(x, y)  # the book's loop: an independent route
    np.testing.assert_allclose(speeds, [np.sqrt(np.sum(g**2)) for g in nabla_b[:-1]], rtol=1e-10)
    assert speeds.shape == (2,)


def test_make_network_is_the_books_network() -> None:
    net = nb11.make_network(3, seed=1)
    assert net.sizes == [784, 30, 30, 30, 10]
    assert net.cost_name == "cross_entropy" and net.activation == "sigmoid"
    # N(0, 1/n_in): the first layer's weights have standard deviation about 1/28.
    assert net.weights[0].std() == pytest.approx(1 / 28, rel=0.05)


def test_vanishing_gradient_shows_on_made_up_data() -> None:
    """Fresh sigmoid nets: every hidden layer slower than the next; ReLU + He much flatter."""
    x, y = nb11._check_data(200)
    sigmoid_speeds = nb11.start_speeds(x, y, 4, seeds=range(3))
    relu_speeds = nb11.start_speeds(x, y, 4, "relu", "he", seeds=range(3))
    assert sigmoid_speeds.shape == (3, 4)
    assert np.all(np.diff(sigmoid_speeds, axis=1) > 0)
    assert np.median(sigmoid_speeds[:, -1] / sigmoid_speeds[:, 0]) > 20
    assert np.median(relu_speeds[:, -1] / relu_speeds[:, 0]) < 5


def test_speed_recorder_notes_the_gradient_then_takes_the_plain_step() -> None:
    x, y = nb11._check_data(30)
    labels = np.argmax(y, axis=0)
    net = nb11.make_network(2, seed=4)
    twin = net.copy()
    expected = nb11.layer_speeds(net, x, y)
    nabla_b, nabla_w = net.backprop(x, y)
    recorder = nb11.SpeedRecorder(2)
    recorder(net.biases + net.weights, nabla_b + nabla_w, 0.5)
    np.testing.assert_allclose(recorder.speeds[0], expected, rtol=1e-6)
    np.testing.assert_allclose(net.biases[0], twin.biases[0] - 0.5 * twin.backprop(x, y)[0][0],
                               rtol=1e-5, atol=1e-7)
    curve = nb11.speeds_during_training(x, labels, 2, epochs=5, seed=4)  # the same start
    assert curve.shape == (5, 2)
    np.testing.assert_allclose(curve[0], nb11.layer_speeds(twin, x, y), rtol=1e-4)
    assert not np.allclose(curve[1], curve[0], rtol=1e-4)  # it did learn


def test_chain_gradients_agree_with_finite_differences() -> None:
    for weights, biases, x, y in nb11.CHAINS:
        grads = nb11.chain_gradients(weights, biases, x, y)
        fd = [nb11._finite_difference(weights, biases, x, y, j) for j in range(len(weights))]
        np.testing.assert_allclose(grads, fd, rtol=1e-5, atol=1e-10)


def test_chain_is_a_network_with_one_neuron_per_layer() -> None:
    weights, biases, x, y = nb11.CHAINS[0]
    net = Network([1, 1, 1, 1, 1], dtype=np.float64)
    net.weights = [np.array([[w]]) for w in weights]
    net.biases = [np.array([[b]]) for b in biases]
    nabla_b, _ = net.backprop(np.array([[x]]), np.array([[y]]))
    np.testing.assert_allclose([g[0, 0] for g in nabla_b],
                               nb11.chain_gradients(weights, biases, x, y), rtol=1e-10)
    assert costs.QUADRATIC.name == "quadratic"


def test_exploding_biases_put_every_neuron_at_zero() -> None:
    biases = nb11.exploding_biases(np.full(4, 100.0), 0.8)
    np.testing.assert_allclose(nb11.chain_forward(np.full(4, 100.0), biases, 0.8), 0, atol=1e-12)
    grads = nb11.chain_gradients(np.full(4, 100.0), biases, 0.8, 0.0)
    np.testing.assert_allclose(grads[:-1] / grads[1:], 25.0)


def test_the_course_copies_are_the_model_answers() -> None:
    """The notebook uses nb11's functions after its exercises."""
    x, y = nb11._check_data(25)
    net = nb11.make_network(3, "relu", "he", seed=2)
    np.testing.assert_array_equal(nb11.layer_speeds(net, x, y), layer_speeds(net, x, y))
    for weights, biases, xx, yy in nb11.CHAINS:
        np.testing.assert_allclose(nb11.chain_gradients(weights, biases, xx, yy),
                                   chain_gradients(weights, biases, xx, yy), rtol=1e-12)
        np.testing.assert_allclose(nb11.exploding_biases(weights, xx),
                                   exploding_biases(weights, xx))


# ---------------------------------------------------------------------------------------
# Exercise 1: the speed of each hidden layer
# ---------------------------------------------------------------------------------------


def test_layer_speeds_right_answers() -> None:
    assert passes(nb11.check_layer_speeds(layer_speeds))

    def as_list(net, x, y):
        nabla_b, _ = net.backprop(x, y)
        return [float(np.sqrt((g * g).sum())) for g in nabla_b[: net.num_layers - 2]]

    assert passes(nb11.check_layer_speeds(as_list))


def test_layer_speeds_mistakes() -> None:
    def with_output(net, x, y):
        return np.array([np.linalg.norm(g) for g in net.backprop(x, y)[0]])

    def reversed_order(net, x, y):
        return layer_speeds(net, x, y)[::-1]

    def squared(net, x, y):
        return layer_speeds(net, x, y) ** 2

    def absolute_sum(net, x, y):
        return np.array([np.abs(g).sum() for g in net.backprop(x, y)[0][:-1]])

    def weights_instead(net, x, y):
        return np.array([np.linalg.norm(g) for g in net.backprop(x, y)[1][:-1]])

    def summed(net, x, y):
        return layer_speeds(net, x, y) * x.shape[1]

    def one_number(net, x, y):
        return np.linalg.norm(layer_speeds(net, x, y))

    def too_few(net, x, y):
        return layer_speeds(net, x, y)[:2]

    def trains(net, x, y):
        speeds = layer_speeds(net, x, y)
        net.weights[0] -= 0.1
        return speeds

    def off(net, x, y):
        return layer_speeds(net, x, y) + 0.3

    assert "output layer" in not_yet(nb11.check_layer_speeds(with_output))
    assert "reverse order" in not_yet(nb11.check_layer_speeds(reversed_order))
    assert "squared" in not_yet(nb11.check_layer_speeds(squared))
    assert "absolute values" in not_yet(nb11.check_layer_speeds(absolute_sum))
    assert "weight gradients" in not_yet(nb11.check_layer_speeds(weights_instead))
    assert "times too large" in not_yet(nb11.check_layer_speeds(summed))
    assert "single number" in not_yet(nb11.check_layer_speeds(one_number))
    assert "shape (3,)" in not_yet(nb11.check_layer_speeds(too_few))
    assert "changed the network" in not_yet(nb11.check_layer_speeds(trains))
    assert "Not the lengths" in not_yet(nb11.check_layer_speeds(off))


# ---------------------------------------------------------------------------------------
# Exercise 2: the largest slope of the sigmoid
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", [0.25, 1 / 4, np.float32(0.25),
                                    sigmoid_prime(np.linspace(-10, 10, 100_001)).max()])
def test_sigma_prime_max_right_answers(answer: float) -> None:
    assert passes(nb11.check_sigma_prime_max(answer))


@pytest.mark.parametrize(
    ("answer", "words"),
    [(0.5, "the sigmoid itself"), (1.0, "much flatter"), (0.2, "steepest"),
     (0.3, "never reaches"), (-1.0, "never reaches")],
)
def test_sigma_prime_max_mistakes(answer: float, words: str) -> None:
    assert words in not_yet(nb11.check_sigma_prime_max(answer))


@pytest.mark.parametrize("answer", ["0.25", None, [0.25, 0.25], float("nan")])
def test_sigma_prime_max_refuses_wrong_types_kindly(answer: object) -> None:
    not_yet(nb11.check_sigma_prime_max(answer))


# ---------------------------------------------------------------------------------------
# Exercise 3: the gradient along a chain
# ---------------------------------------------------------------------------------------


def test_chain_gradients_right_answers() -> None:
    assert passes(nb11.check_chain_gradients(chain_gradients))

    def recursive_list(weights, biases, x, y):  # another way: a list, built from the back
        zs = list(nb11.chain_forward(weights, biases, x))
        delta = (sigmoid(zs[-1]) - y) * sigmoid_prime(zs[-1])
        out = [delta]
        for j in range(len(zs) - 1, 0, -1):
            delta = delta * weights[j] * sigmoid_prime(zs[j - 1])
            out.insert(0, delta)
        return out

    assert passes(nb11.check_chain_gradients(recursive_list))


def test_chain_gradients_mistakes() -> None:
    def reference(*args, **kwargs):
        return lambda w, b, x, y: nb11._reference_chain(w, b, x, y, **kwargs)

    def reversed_order(weights, biases, x, y):
        return chain_gradients(weights, biases, x, y)[::-1]

    def wrong_sign(weights, biases, x, y):
        return -chain_gradients(weights, biases, x, y)

    def only_last(weights, biases, x, y):
        return chain_gradients(weights, biases, x, y)[-1:]

    def off(weights, biases, x, y):
        grads = chain_gradients(weights, biases, x, y)
        grads[1] *= 2
        return grads

    assert "reverse order" in not_yet(nb11.check_chain_gradients(reversed_order))
    assert "own slope" in not_yet(nb11.check_chain_gradients(reference(output_slope=False)))
    assert "Off by one weight" in not_yet(nb11.check_chain_gradients(reference(next_weight=False)))
    assert "slope σ'(z_j)" in not_yet(nb11.check_chain_gradients(reference(slopes=False)))
    assert "sign" in not_yet(nb11.check_chain_gradients(wrong_sign))
    assert "shape (4,)" in not_yet(nb11.check_chain_gradients(only_last))
    assert "nudging b_2" in not_yet(nb11.check_chain_gradients(off))


# ---------------------------------------------------------------------------------------
# Exercise 4: biases that make the gradient explode
# ---------------------------------------------------------------------------------------


def test_exploding_biases_right_answers() -> None:
    assert passes(nb11.check_exploding_biases(exploding_biases))

    def vectorised(weights, x):
        previous = np.r_[x, np.full(len(weights) - 1, sigmoid(0.0))]
        return -np.asarray(weights) * previous

    assert passes(nb11.check_exploding_biases(vectorised))


def test_exploding_biases_mistakes() -> None:
    def always_x(weights, x):
        return -np.asarray(weights) * x

    def sign(weights, x):
        return -exploding_biases(weights, x)

    def always_half(weights, x):
        return -np.asarray(weights) * 0.5

    def too_few(weights, x):
        return exploding_biases(weights, x)[:-1]

    assert "activation of the neuron before" in not_yet(nb11.check_exploding_biases(always_x))
    assert "sign" in not_yet(nb11.check_exploding_biases(sign))
    assert "z_1 =" in not_yet(nb11.check_exploding_biases(always_half))
    assert "one bias per neuron" in not_yet(nb11.check_exploding_biases(too_few))


# ---------------------------------------------------------------------------------------
# Every check: unanswered, stubs and buggy functions never crash
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("check", [nb11.check_sigma_prime_max, *CHECKS_OF_FUNCTIONS])
def test_placeholder_is_not_answered_yet(check) -> None:
    result = check(...)
    assert isinstance(result, Result) and not result.passed and not result.answered


@pytest.mark.parametrize("check", CHECKS_OF_FUNCTIONS)
def test_unwritten_and_buggy_functions_get_feedback(check) -> None:
    wrong_results = ("text", 3.0, [1, 2], np.zeros((2, 2, 2)), object(), np.full(4, np.nan))
    assert_buggy_functions_get_feedback(check, wrong_results)


def test_second_try_adds_the_pointed_hint(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("COURSE_GRADING")
    monkeypatch.chdir(tmp_path)  # not a workspace: nothing is recorded
    monkeypatch.setattr(feedback, "_FAILED", {})

    def with_output(net, x, y):
        return np.array([np.linalg.norm(g) for g in net.backprop(x, y)[0]])

    first = not_yet(nb11.check_layer_speeds(with_output))
    second = not_yet(nb11.check_layer_speeds(with_output))
    assert second.startswith(first) and len(second) > len(first)
    assert "nabla_b[:-1]" not in second  # hints never hold the answer's code


# ---------------------------------------------------------------------------------------
# Pictures and widgets run
# ---------------------------------------------------------------------------------------


def test_pictures_and_widget_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matplotlib.pyplot, "show", lambda: None)
    x, y = nb11._check_data(50)
    speeds = nb11.draw_speeds(x, y, 3, "relu", "normal")  # exploding: the axis must stretch
    assert speeds.shape == (len(nb11.SEEDS), 3)
    nb11.draw_depths({2: speeds[:, :2], 3: speeds})
    nb11.draw_choices(x, y, [("sigmoid", "normal"), ("tanh", "scaled_normal")], hidden_layers=2)
    nb11.draw_training({"a": np.ones((5, 2)), "b": np.ones((5, 3))})
    nb11.draw_chain(3)
    nb11.draw_sigma_prime()
    widget = nb11.speed_explorer(x, y)
    assert len(widget.children) == 4  # depth, activation, init and the output
    matplotlib.pyplot.close("all")


def test_book_figures_are_quoted_as_in_the_book() -> None:
    assert nb11.BOOK_SPEEDS[4] == (0.003, 0.017, 0.070, 0.285)
    assert nb11.BOOK_ACCURACY == {1: 96.48, 2: 96.90, 3: 96.57, 4: 96.53}
