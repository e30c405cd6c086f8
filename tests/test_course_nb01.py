"""The exercise checks of notebook 01 accept the right answers and explain wrong ones."""

from __future__ import annotations

import numpy as np
import pytest

from course import nb01


@pytest.mark.parametrize(
    "check",
    [
        nb01.check_count_parameters,
        nb01.check_w2_shape,
        nb01.check_feedforward,
    ],
)
def test_placeholder_asks_for_an_answer(verdict, check) -> None:
    assert verdict(check, ...).startswith("Not yet. Replace the `...`")


def test_placeholder_for_the_perceptron(verdict) -> None:
    assert verdict(nb01.check_and_perceptron, ..., ...).startswith("Not yet. Replace")
    assert "and_bias" in verdict(nb01.check_and_perceptron, np.array([1, 1]), ...)


def test_sigmoid_is_stable() -> None:
    z = np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0])
    expected = np.array([0.0, 1 / (1 + np.e), 0.5, 1 / (1 + np.exp(-1)), 1.0])
    assert np.allclose(nb01.sigmoid(z), expected)


def test_count_parameters(verdict) -> None:
    def right(sizes):
        return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=True))

    def weights_only(sizes):
        return sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))

    def all_biases(sizes):
        return weights_only(sizes) + sum(sizes)

    def stub(sizes): ...

    assert "13,002" in verdict(nb01.check_count_parameters, right)
    assert "weights only" in verdict(nb01.check_count_parameters, weights_only)
    assert "input neurons" in verdict(nb01.check_count_parameters, all_biases)
    assert "inside the loop" in verdict(nb01.check_count_parameters,
                                        lambda sizes: sizes[0] * sizes[1] + sizes[1])
    assert "Write the body" in verdict(nb01.check_count_parameters, stub)
    assert "function" in verdict(nb01.check_count_parameters, 13002)
    assert "23,860 parameters" in verdict(nb01.check_count_parameters, lambda sizes: 13002)


def test_w2_shape(verdict) -> None:
    assert verdict(nb01.check_w2_shape, (16, 784)).startswith("Correct!")
    assert "swapped" in verdict(nb01.check_w2_shape, (784, 16))
    assert "layer 1" in verdict(nb01.check_w2_shape, (16, 16))
    assert "w^4" in verdict(nb01.check_w2_shape, [10, 16])
    assert "tuple" in verdict(nb01.check_w2_shape, 16)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def right_feedforward(weights, biases, a):
    for w, b in zip(weights, biases, strict=True):
        a = sigmoid(w @ a + b)
    return a


def test_feedforward(verdict) -> None:
    def transposed_weights(weights, biases, a):
        for w, b in zip(weights, biases, strict=True):
            a = sigmoid(w.T @ a + b)
        return a

    def transposed_output(weights, biases, a):
        return right_feedforward(weights, biases, a).T

    def no_bias(weights, biases, a):
        for w in weights:
            a = sigmoid(w @ a)
        return a

    def z_not_sigma(weights, biases, a):
        for w, b in zip(weights, biases, strict=True):
            a = w @ a + b
        return a

    def last_z(weights, biases, a):
        for w, b in zip(weights[:-1], biases[:-1], strict=True):
            a = sigmoid(w @ a + b)
        return weights[-1] @ a + biases[-1]

    def return_in_loop(weights, biases, a):
        for w, b in zip(weights, biases, strict=True):
            a = sigmoid(w @ a + b)
            return a

    def first_example_only(weights, biases, a):
        return right_feedforward(weights, biases, a[:, :1])

    def in_place(weights, biases, a):
        a *= 1.0  # harmless; the check hands over a copy anyway
        return right_feedforward(weights, biases, a)

    assert verdict(nb01.check_feedforward, right_feedforward).startswith("Correct!")
    assert verdict(nb01.check_feedforward, nb01.feedforward).startswith("Correct!")
    assert verdict(nb01.check_feedforward, in_place).startswith("Correct!")
    out = verdict(nb01.check_feedforward, transposed_weights)
    assert out.startswith("Not yet.") and "no transpose" in out
    assert "transposed" in verdict(nb01.check_feedforward, transposed_output)
    assert "biases" in verdict(nb01.check_feedforward, no_bias)
    assert "apply the sigmoid" in verdict(nb01.check_feedforward, z_not_sigma)
    assert "apply the sigmoid" in verdict(nb01.check_feedforward, last_z)
    assert "inside the" in verdict(nb01.check_feedforward, return_in_loop)
    assert "shape" in verdict(nb01.check_feedforward, first_example_only)
    assert verdict(nb01.check_feedforward, lambda w, b, a: None).startswith("Not yet.")


def test_bar_bias(verdict, mnist_dir) -> None:
    assert verdict(nb01.check_bar_bias, -10).startswith("Correct!")
    assert verdict(nb01.check_bar_bias, -11.5).startswith("Correct!")
    assert "positive bias" in verdict(nb01.check_bar_bias, 10)
    assert "more negative" in verdict(nb01.check_bar_bias, -3)
    assert "less negative" in verdict(nb01.check_bar_bias, -25)
    assert "not a number" in verdict(nb01.check_bar_bias, "minus ten")


def test_excerpt_leaves_out_docstring_and_argument_checks() -> None:
    def f(x):
        """A docstring."""
        if x < 0:
            raise ValueError("negative")
        for item in [x]:
            if item > 9:
                raise ValueError("large")
        y = x + 1
        if y > 3:
            y = 3
        return y

    shown = nb01.excerpt(f)
    assert "docstring" not in shown and "raise" not in shown and "for item" not in shown
    assert "y = x + 1" in shown and "if y > 3:" in shown and shown.startswith("def f(x):")


def test_pictures_and_widgets_run(monkeypatch) -> None:
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.setattr(matplotlib.pyplot, "show", lambda: None)
    images = np.random.default_rng(0).random((2, 28, 28))
    nb01.detector_figure(nb01.bar_pattern(), images, [7, 1])
    sums = {"sevens": np.array([20.0, 30.0]), "ones": np.array([1.0, 2.0])}
    nb01.bias_figure(sums, bias=-10.0)
    assert len(nb01.bias_widget(sums).children) == 2  # the slider and the output
    matplotlib.pyplot.close("all")


def test_and_perceptron(verdict) -> None:
    assert verdict(nb01.check_and_perceptron, np.array([1.0, 1.0]), -1.5).startswith(
        "Correct!"
    )
    # NAND's weights are the opposite of what AND needs.
    out = verdict(nb01.check_and_perceptron, np.array([-2, -2]), 3)
    assert out.startswith("Not yet.") and "(0, 0)" in out
    assert "(0, 1)" in verdict(nb01.check_and_perceptron, np.array([1, 1]), -0.5)
    assert "shape" in verdict(nb01.check_and_perceptron, np.array([1, 1, 1]), -1)


def test_answers_of_the_wrong_type_get_a_hint(verdict) -> None:
    assert "single number" in verdict(nb01.check_and_perceptron, np.array([1, 1]), [0.1, 0.2])
    assert "not a number" in verdict(nb01.check_and_perceptron, np.array([1, 1]), "b")
