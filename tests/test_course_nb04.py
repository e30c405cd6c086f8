"""The exercise checks and the stepper of notebook 04 (backpropagation calculus)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course import nb04  # noqa: E402


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


@pytest.mark.parametrize(
    "check",
    [
        nb04.check_chain_gradient,
        nb04.check_delta_output,
        nb04.check_delta_previous,
        nb04.check_weight_gradient,
        nb04.check_backprop,
    ],
)
def test_placeholder_asks_for_an_answer(verdict, check) -> None:
    assert verdict(check, ...).startswith("Not yet. Replace the `...`")


def chain_gradient(a_in, y, w_prev, b_prev, w, b):
    """A right answer to exercise 1."""
    z_prev = w_prev * a_in + b_prev
    a_prev = sigmoid(z_prev)
    z = w * a_prev + b
    dC_dz = (sigmoid(z) - y) * sigmoid_prime(z)
    dC_dz_prev = w * dC_dz * sigmoid_prime(z_prev)
    return a_in * dC_dz_prev, dC_dz_prev, a_prev * dC_dz, dC_dz


def test_chain_gradient(verdict) -> None:
    check = nb04.check_chain_gradient
    assert verdict(check, chain_gradient).startswith("Correct!")

    def times(factor):
        return lambda *args: tuple(factor * d for d in chain_gradient(*args))

    def no_slope_before(a_in, y, w_prev, b_prev, w, b):
        d = chain_gradient(a_in, y, w_prev, b_prev, w, b)
        slope = sigmoid_prime(w_prev * a_in + b_prev)
        return d[0] / slope, d[1] / slope, d[2], d[3]

    def input_for_activation(a_in, y, w_prev, b_prev, w, b):
        d = chain_gradient(a_in, y, w_prev, b_prev, w, b)
        return d[1], d[1], d[2], d[3]

    def previous_layer_wrong(a_in, y, w_prev, b_prev, w, b):
        d = chain_gradient(a_in, y, w_prev, b_prev, w, b)
        return d[0] + 0.1, d[1] - 0.1, d[2], d[3]

    assert "3Blue1Brown" in verdict(check, times(2))
    assert "sign" in verdict(check, times(-1))
    assert "five factors" not in verdict(check, no_slope_before)
    assert "slope of the sigmoid of the neuron in layer L-1" in verdict(check, no_slope_before)
    def swapped(*args):
        return chain_gradient(*args)[2:] + chain_gradient(*args)[:2]

    assert "wrong order" in verdict(check, swapped)
    assert "Only ∂C0/∂w^(L-1) is off" in verdict(check, input_for_activation)
    assert "the layer before is not" in verdict(check, previous_layer_wrong)
    assert "shape" in verdict(check, lambda *args: chain_gradient(*args)[:3])


def backprop(weights, biases, x, y):
    """A right answer to exercise 5, written independently of nb04.backprop."""
    m = x.shape[1]
    activations, zs = [x], []
    for w, b in zip(weights, biases, strict=True):
        zs.append(w @ activations[-1] + b)
        activations.append(sigmoid(zs[-1]))
    deltas = [(activations[-1] - y) * sigmoid_prime(zs[-1])]
    for w, z in zip(weights[:0:-1], zs[-2::-1], strict=True):
        deltas.insert(0, (w.T @ deltas[0]) * sigmoid_prime(z))
    nabla_b = [d.sum(axis=1, keepdims=True) / m for d in deltas]
    nabla_w = [d @ a.T / m for d, a in zip(deltas, activations[:-1], strict=True)]
    return nabla_b, nabla_w


def test_backprop_accepts_a_right_answer(verdict) -> None:
    assert verdict(nb04.check_backprop, backprop).startswith("Correct!")
    assert verdict(nb04.check_backprop, nb04.backprop).startswith("Correct!")


def test_the_course_backprop_matches_the_package() -> None:
    from mlp.network import Network

    net = Network([5, 4, 3, 2], seed=3, dtype=np.float64)
    rng = np.random.default_rng(3)
    x, y = rng.random((5, 6)), np.eye(2)[:, rng.integers(0, 2, size=6)]
    for ours, package in zip(sum(nb04.backprop(net.weights, net.biases, x, y), []),
                             sum(net.backprop(x, y), []), strict=True):
        np.testing.assert_allclose(ours, package, rtol=1e-12, atol=1e-15)


def test_backprop_names_the_classic_mistakes(verdict) -> None:
    check = nb04.check_backprop

    def mistake(**kwargs):
        return lambda w, b, x, y: nb04.backprop(w, b, x, y, **kwargs)

    def changed(transform):
        def answer(weights, biases, x, y):
            nabla_b, nabla_w = backprop(weights, biases, x, y)
            return transform(nabla_b, nabla_w, x)
        return answer

    def wrong_z(weights, biases, x, y):  # BP2 with the activation in place of z
        activations, zs = [x], []
        for w, b in zip(weights, biases, strict=True):
            zs.append(w @ activations[-1] + b)
            activations.append(sigmoid(zs[-1]))
        deltas = [(activations[-1] - y) * sigmoid_prime(zs[-1])]
        for w, a in zip(weights[:0:-1], activations[-2:0:-1], strict=True):
            deltas.insert(0, (w.T @ deltas[0]) * sigmoid_prime(a))
        m = x.shape[1]
        return ([d.sum(axis=1, keepdims=True) / m for d in deltas],
                [d @ a.T / m for d, a in zip(deltas, activations[:-1], strict=True)])

    def in_place(weights, biases, x, y):
        answer = backprop(weights, biases, x, y)
        weights[0] -= 0.1
        return answer

    assert "summed over the 5 examples" in verdict(check, mistake(average=False))
    assert "BP2 is missing a factor" in verdict(check, mistake(bp2_slope=False))
    assert "BP1 is missing a factor" in verdict(check, mistake(bp1_slope=False))
    assert "the loop that goes backwards" in verdict(check, wrong_z)
    assert "one column per example" in verdict(
        check, changed(lambda nb, nw, x: ([np.repeat(b, x.shape[1], axis=1) for b in nb], nw)))
    assert "the transpose" in verdict(check, changed(lambda nb, nw, x: (nb, [w.T for w in nw])))
    assert "wrong way round" in verdict(check, changed(lambda nb, nw, x: (nw, nb)))
    assert "Both should average" in verdict(
        check, changed(lambda nb, nw, x: ([x.shape[1] * b for b in nb], nw)))
    flat = changed(lambda nb, nw, x: ([b[:, 0] for b in nb], nw))
    assert "keep it a column" in verdict(check, flat)
    assert "changed the weights" in verdict(check, in_place)
    assert "a pair" in verdict(check, lambda w, b, x, y: np.zeros((7, 3)))
    assert "one array per layer" in verdict(check, lambda w, b, x, y: ([], []))


def test_delta_output(verdict) -> None:
    z, y = nb04.BP1_Z, nb04.BP1_Y
    a = sigmoid(z)
    right = (a - y) * sigmoid_prime(z)
    assert verdict(nb04.check_delta_output, right).startswith("Correct!")
    assert "sign is flipped" in verdict(nb04.check_delta_output, -right)
    assert "3Blue1Brown" in verdict(nb04.check_delta_output, 2 * right)
    assert "entry by entry" in verdict(nb04.check_delta_output, a - y)
    assert "shape" in verdict(nb04.check_delta_output, right.ravel())


def test_delta_previous(verdict) -> None:
    w, d, z = nb04.BP2_W_NEXT, nb04.BP2_DELTA_NEXT, nb04.BP2_Z
    right = (w.T @ d) * sigmoid_prime(z)
    assert verdict(nb04.check_delta_previous, right).startswith("Correct!")
    assert "entry by entry" in verdict(nb04.check_delta_previous, w.T @ d)
    assert "shape (3, 1)" in verdict(nb04.check_delta_previous, np.zeros((2, 1)))


def test_weight_gradient(verdict) -> None:
    a, d = nb04.BP4_A_PREV, nb04.BP4_DELTA
    j, k = nb04.BP4_J, nb04.BP4_K
    assert verdict(nb04.check_weight_gradient, a[k, 0] * d[j, 0]).startswith("Correct!")
    assert "swapped" in verdict(nb04.check_weight_gradient, a[j, 0] * d[k, 0])
    assert "BP3" in verdict(nb04.check_weight_gradient, d[j, 0])


def test_stepper_follows_the_four_equations() -> None:
    weights, biases, x, y = nb04.tiny_example()
    steps = nb04.backprop_steps(weights, biases, x, y)
    # forward: input, two layers, cost; backward: BP1, then BP3, BP4 (and BP2) per layer
    assert len(steps) == 10
    a1 = sigmoid(weights[0] @ x + biases[0])
    z2 = weights[1] @ a1 + biases[1]
    delta2 = (sigmoid(z2) - y) * sigmoid_prime(z2)
    delta1 = (weights[1].T @ delta2) * sigmoid_prime(weights[0] @ x + biases[0])
    edges = [s.values for s in steps if s.kind == "edges"]
    assert np.allclose(edges[0], delta2 @ a1.T)
    assert np.allclose(edges[1], delta1 @ x.T)
    assert np.allclose(steps[-3].values, delta1)


def test_pictures_draw() -> None:
    weights, biases, x, y = nb04.tiny_example()
    steps = nb04.backprop_steps(weights, biases, x, y)
    for fig in (
        nb04.plot_dependency_tree(("w", "b", "a_prev", "w_prev")),
        nb04.plot_fan_out(),
        nb04.plot_all_steps(steps, [2, 3, 2], last=4),
        nb04.plot_all_steps(steps, [2, 3, 2], first=4),
        nb04.plot_sigmoid_slope(),
    ):
        plt.close(fig)


def test_static_stepper_draws_one_step_a_row_at_a_readable_size() -> None:
    weights, biases, x, y = nb04.tiny_example()
    steps = nb04.backprop_steps(weights, biases, x, y)
    fig = nb04.plot_all_steps(steps, [2, 3, 2], first=4)
    assert len(fig.axes) == 2 * 6  # the network and its equation, for six steps
    width, _ = fig.get_size_inches()
    assert width <= 11  # shown at its own size in a notebook, so 11-13 pt text stays readable
    plt.close(fig)
