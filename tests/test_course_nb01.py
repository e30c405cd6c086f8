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
        nb01.check_neuron_output,
        nb01.check_layer_activations,
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
    assert "Write the body" in verdict(nb01.check_count_parameters, stub)
    assert "function" in verdict(nb01.check_count_parameters, 13002)
    assert "23,860 parameters" in verdict(nb01.check_count_parameters, lambda sizes: 13002)


def test_w2_shape(verdict) -> None:
    assert verdict(nb01.check_w2_shape, (16, 784)).startswith("Correct!")
    assert "swapped" in verdict(nb01.check_w2_shape, (784, 16))
    assert "layer 1" in verdict(nb01.check_w2_shape, (16, 16))
    assert "w^4" in verdict(nb01.check_w2_shape, [10, 16])
    assert "tuple" in verdict(nb01.check_w2_shape, 16)


def test_neuron_output(verdict) -> None:
    z = float(nb01.NEURON_W @ nb01.NEURON_X + nb01.NEURON_B)
    assert verdict(nb01.check_neuron_output, 1 / (1 + np.exp(-z))).startswith("Correct!")
    assert "sigmoid" in verdict(nb01.check_neuron_output, z)
    assert "bias" in verdict(nb01.check_neuron_output, 1 / (1 + np.exp(-(z + 0.5))))
    assert "perceptron" in verdict(nb01.check_neuron_output, 1.0)
    assert "sign" in verdict(nb01.check_neuron_output, 1 / (1 + np.exp(z)))


def test_layer_activations(verdict) -> None:
    def right(weights, biases, x):
        out = [x]
        for w, b in zip(weights, biases, strict=True):
            out.append(1 / (1 + np.exp(-(w @ out[-1] + b))))
        return out

    def without_input(weights, biases, x):
        return right(weights, biases, x)[1:]

    def only_output(weights, biases, x):
        return right(weights, biases, x)[-1]

    def transposed(weights, biases, x):
        return [a.T for a in right(weights, biases, x)]

    def no_sigmoid_at_end(weights, biases, x):
        out = right(weights, biases, x)
        out[-1] = weights[-1] @ out[-2] + biases[-1]
        return out

    assert verdict(nb01.check_layer_activations, right).startswith("Correct!")
    assert "input x itself" in verdict(nb01.check_layer_activations, without_input)
    assert "one array per layer" in verdict(nb01.check_layer_activations, only_output)
    assert "transposed" in verdict(nb01.check_layer_activations, transposed)
    assert "apply the sigmoid" in verdict(nb01.check_layer_activations, no_sigmoid_at_end)


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
    assert "not a number" in verdict(nb01.check_neuron_output, "one half")
    assert "single number" in verdict(nb01.check_neuron_output, [0.1, 0.2])
    assert "not a number" in verdict(nb01.check_and_perceptron, np.array([1, 1]), "b")
