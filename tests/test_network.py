"""mlp.network.Network: shapes, the forward pass, initialisation and clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from mlp import Network
from mlp.activations import sigmoid, softmax
from mlp.costs import COSTS, LOG_LIKELIHOOD
from mlp.init import INITS


def test_shapes_follow_nielsens_notation():
    net = Network([784, 30, 10], seed=1)
    assert [w.shape for w in net.weights] == [(30, 784), (10, 30)]
    assert [b.shape for b in net.biases] == [(30, 1), (10, 1)]
    assert all(p.dtype == np.float32 for p in net.weights + net.biases)
    assert net.num_layers == 3
    assert Network([784, 16, 16, 10]).num_parameters == 13_002


def test_feedforward_is_sigma_of_w_a_plus_b():
    net = Network([4, 3, 2], seed=0, dtype=np.float64)
    x = np.random.default_rng(1).random((4, 5))
    hidden = sigmoid(net.weights[0] @ x + net.biases[0])
    expected = sigmoid(net.weights[1] @ hidden + net.biases[1])
    np.testing.assert_allclose(net.feedforward(x), expected, rtol=1e-12)
    # One example at a time gives the same columns; a flat vector gives a flat vector.
    np.testing.assert_allclose(net.feedforward(x[:, 2]), expected[:, 2], rtol=1e-12)
    assert net.feedforward(x[:, 2]).shape == (2,)


def test_log_likelihood_network_has_softmax_outputs():
    net = Network([4, 3, 2], activation="relu", cost=LOG_LIKELIHOOD, seed=0)
    assert net.output_activation == "softmax"
    x = np.random.default_rng(1).random((4, 6)).astype(np.float32)
    a = net.feedforward(x)
    np.testing.assert_allclose(a.sum(axis=0), 1, rtol=1e-6)
    hidden = np.maximum(net.weights[0] @ x + net.biases[0], 0)
    np.testing.assert_allclose(a, softmax(net.weights[1] @ hidden + net.biases[1]), rtol=1e-5)


def test_predict_evaluate_and_cost():
    net = Network([2, 2], seed=0, dtype=np.float64)
    net.weights[0][:] = [[1, 0], [0, 1]]
    net.biases[0][:] = 0
    x = np.array([[5.0, -5.0, 1.0], [-5.0, 5.0, 2.0]])
    assert net.predict(x).tolist() == [0, 1, 1]
    assert net.evaluate(x, np.array([0, 1, 0])) == 2
    y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]])
    a = net.feedforward(x)
    assert net.cost(x, y) == pytest.approx(0.5 * np.sum((a - y) ** 2) / 3)


def test_same_seed_same_network_and_dtype_independent():
    a, b = Network([5, 4, 3], seed=7), Network([5, 4, 3], seed=7)
    c = Network([5, 4, 3], seed=7, dtype=np.float64)
    for p, q, r in zip(
        a.weights + a.biases, b.weights + b.biases, c.weights + c.biases, strict=True
    ):
        np.testing.assert_array_equal(p, q)
        np.testing.assert_allclose(p, r, rtol=1e-6)
    assert not np.array_equal(Network([5, 4, 3], seed=8).weights[0], a.weights[0])


@pytest.mark.parametrize(
    ("init", "weight_std", "bias_std"),
    [
        ("normal", lambda n: 1.0, 1.0),
        ("scaled_normal", lambda n: n**-0.5, 1.0),
        ("he", lambda n: (2 / n) ** 0.5, 0.0),
    ],
)
def test_initialisations_have_the_documented_spread(init, weight_std, bias_std):
    net = Network([400, 300, 10], seed=0, init=INITS[init])
    assert net.init == init
    assert np.std(net.weights[0]) == pytest.approx(weight_std(400), rel=0.02)
    assert np.std(net.weights[1]) == pytest.approx(weight_std(300), rel=0.1)
    assert np.std(net.biases[0]) == pytest.approx(bias_std, abs=0.15)
    assert abs(np.mean(net.weights[0])) < 0.01 * weight_std(400) * 10


def test_copy_is_independent_and_can_change_dtype():
    net = Network([3, 2, 2], seed=0)
    twin = net.copy(np.float64)
    assert twin.dtype == np.float64 and twin.weights[0].dtype == np.float64
    twin.weights[0][0, 0] += 1
    assert twin.weights[0][0, 0] != net.weights[0][0, 0]
    assert repr(net).startswith("Network([3, 2, 2], activation='sigmoid'")


# --------------------------------------------------------------------------------------
# Clear errors for bad input
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(sizes=[784]), "at least two layers"),
        (dict(sizes=[]), "at least two layers"),
        (dict(sizes=[784, 0, 10]), "at least one neuron"),
        (dict(sizes=[784, -3, 10]), "at least one neuron"),
        (dict(sizes=[784, 2.5, 10]), "whole numbers"),
        (dict(sizes=[784, True, 10]), "whole numbers"),
        (dict(sizes="784,30,10"), "list of layer sizes"),
        (dict(sizes=784), "list of layer sizes"),
        (dict(sizes=[2, 2], activation="sigmod"), "unknown activation 'sigmod'.*'sigmoid'"),
        (dict(sizes=[2, 2], activation="softmax"), "unknown activation"),
        (dict(sizes=[2, 2], cost="mse"), "unknown cost 'mse'.*Cost object"),
        (dict(sizes=[2, 2], cost="cross_entropy"), r"COSTS\['cross_entropy'\]"),
        (dict(sizes=[2, 2], dtype=np.float16), "float32 or float64"),
    ],
)
def test_bad_constructor_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Network(**kwargs)


def test_numpy_integer_sizes_are_fine():
    assert Network(np.array([4, 3, 2])).sizes == [4, 3, 2]


@pytest.mark.parametrize("method", ["feedforward", "cost", "backprop", "backprop_per_example"])
def test_wrong_input_shape_names_expected_and_actual(method):
    net = Network([4, 3, 2], seed=0)
    y = np.zeros((2, 5))
    call = getattr(net, method)
    args = (np.zeros((3, 5)),) if method == "feedforward" else (np.zeros((3, 5)), y)
    with pytest.raises(ValueError, match=r"x should have shape \(4, m\).*got shape \(3, 5\)"):
        call(*args)
    transposed = (np.zeros((5, 4)),) if method == "feedforward" else (np.zeros((5, 4)), y)
    with pytest.raises(ValueError, match="transposed"):
        call(*transposed)
    with pytest.raises(ValueError, match="got shape"):
        call(np.zeros((2, 4, 5)), *args[1:])


@pytest.mark.parametrize("method", ["cost", "backprop", "backprop_per_example"])
def test_wrong_target_shape(method):
    net = Network([4, 3, 2], seed=0)
    call = getattr(net, method)
    with pytest.raises(ValueError, match=r"y should have shape \(2, 5\).*got shape \(3, 5\)"):
        call(np.zeros((4, 5)), np.zeros((3, 5)))
    with pytest.raises(ValueError, match="one_hot"):
        call(np.zeros((4, 5)), np.zeros(5, dtype=int))
    with pytest.raises(ValueError, match="zero examples"):
        call(np.zeros((4, 0)), np.zeros((2, 0)))


def test_wrong_labels():
    net = Network([4, 3, 2], seed=0)
    with pytest.raises(ValueError, match=r"labels should have shape \(5,\)"):
        net.evaluate(np.zeros((4, 5)), np.zeros(4, dtype=int))


@pytest.mark.parametrize("name", sorted(COSTS))
def test_every_cost_plugs_in_and_the_quadratic_one_by_name(name):
    net = Network([4, 3, 2], cost=COSTS[name], seed=0)
    assert net.cost_name == name and repr(net).count(repr(name)) == 1
    assert Network([4, 3, 2], cost="quadratic").cost_kind is COSTS["quadratic"]


def test_chapter_1_network_needs_nothing_from_later_notebooks():
    """Its default initialisation, N(0, 1), lives in mlp.network, not in mlp.init (07)."""
    net = Network([400, 300, 10], seed=0)
    assert net.init == "normal"
    assert np.std(net.weights[0]) == pytest.approx(1.0, rel=0.02)
