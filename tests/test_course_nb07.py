"""Notebook 07's helpers: the one-neuron experiment is right, and the checks accept right
answers, name typical mistakes and never crash on a buggy function."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from verdicts import assert_buggy_functions_get_feedback, not_yet, passes

from course import feedback, nb07
from course.feedback import Result
from mlp import costs
from mlp import init as mlp_init
from mlp.activations import sigmoid, sigmoid_prime
from mlp.activations import softmax as mlp_softmax

matplotlib.use("Agg")


pytestmark = pytest.mark.usefixtures("grading")


# ---------------------------------------------------------------------------------------
# Model answers, as in the notebook
# ---------------------------------------------------------------------------------------


def cross_entropy(a, y):
    m = a.shape[1]
    total = np.sum(y * np.log(a) + (1 - y) * np.log(1 - a))
    return -total / m


def softmax(z):
    shifted = z - np.max(z, axis=0, keepdims=True)
    exps = np.exp(shifted)
    return exps / np.sum(exps, axis=0, keepdims=True)


def scaled_normal(sizes, rng):
    biases = [rng.standard_normal((n_out, 1)) for n_out in sizes[1:]]
    weights = [rng.standard_normal((n_out, n_in)) / np.sqrt(n_in)
               for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
    return biases, weights


SLOWDOWN = (sigmoid(1.5) * sigmoid_prime(1.5)) / (sigmoid(4.0) * sigmoid_prime(4.0))


CHECKS_OF_FUNCTIONS = [nb07.check_cross_entropy, nb07.check_softmax, nb07.check_scaled_init]


# ---------------------------------------------------------------------------------------
# The one-neuron experiment and the pictures' numbers
# ---------------------------------------------------------------------------------------


def test_train_neuron_is_the_notebooks_loop() -> None:
    """The quadratic run matches the loop of section 1, step by step."""
    w, b, outputs = 2.0, 2.0, []
    for _ in range(301):
        z = w + b
        a = sigmoid(z)
        outputs.append(a)
        delta = a * sigmoid_prime(z)
        w, b = w - 0.15 * delta, b - 0.15 * delta
    run = nb07.train_neuron(2.0, 2.0)
    np.testing.assert_allclose(run["a"], outputs, rtol=1e-12)
    np.testing.assert_allclose(run["cost"], 0.5 * np.array(outputs) ** 2, rtol=1e-12)


def test_the_book_story_holds() -> None:
    """Nielsen's observations: a plateau from w = b = 2 with the quadratic cost, none with
    cross-entropy, and the good start is quick."""
    good, bad = nb07.train_neuron(0.6, 0.9), nb07.train_neuron(2.0, 2.0)
    assert good["a"][0] == pytest.approx(0.82, abs=0.005) and good["a"][-1] < 0.1
    assert bad["a"][0] == pytest.approx(0.98, abs=0.005) and bad["a"][150] > 0.9
    fast = nb07.train_neuron(2.0, 2.0, cost="cross_entropy")
    assert fast["a"][50] < 0.15
    assert fast["cost"][0] == pytest.approx(-np.log(1 - fast["a"][0]))


def test_bias_gradient_against_finite_differences() -> None:
    for w, b in [nb07.GOOD_START, nb07.BAD_START]:
        for cost in ["quadratic", "cross_entropy"]:
            eps = 1e-6
            numerical = (nb07.neuron_cost(sigmoid(w + b + eps), 0.0, cost)
                         - nb07.neuron_cost(sigmoid(w + b - eps), 0.0, cost)) / (2 * eps)
            assert nb07.bias_gradient(w, b, cost) == pytest.approx(numerical, rel=1e-6)


def test_sample_z_has_the_spread_of_exercise_4() -> None:
    assert nb07.sample_z(1.0).std() == pytest.approx(np.sqrt(501), rel=0.03)
    assert nb07.sample_z(1 / np.sqrt(1000)).std() == pytest.approx(np.sqrt(1.5), rel=0.03)


def test_the_course_copies_are_the_model_answers() -> None:
    rng = np.random.default_rng(0)
    a, y = rng.uniform(0.01, 0.99, (10, 7)), np.eye(10)[:, rng.integers(0, 10, 7)]
    assert nb07.cross_entropy(a, y) == pytest.approx(cross_entropy(a, y), rel=1e-12)
    z = rng.normal(0, 5, (10, 7))
    np.testing.assert_allclose(nb07.softmax(z), softmax(z), rtol=1e-12)
    for ours, model in zip(nb07.scaled_normal([784, 30, 10], np.random.default_rng(1)),
                           scaled_normal([784, 30, 10], np.random.default_rng(1)), strict=True):
        for p, q in zip(ours, model, strict=True):
            np.testing.assert_array_equal(p, q)


# ---------------------------------------------------------------------------------------
# Exercise 1: how much slower?
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [SLOWDOWN, float(SLOWDOWN), np.array(SLOWDOWN), 7.03])
def test_slow_start_right_answers(value) -> None:
    assert passes(nb07.check_slow_start(value))


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (1 / SLOWDOWN, "upside down"),
        (sigmoid_prime(1.5) / sigmoid_prime(4.0), "σ'(z) alone"),
        (sigmoid_prime(4.0) / sigmoid_prime(1.5), "σ'(z) alone"),
        (sigmoid(1.5) / sigmoid(4.0), "∂C/∂b = (a - y) σ'(z)"),
        (2.0, "for each start"),
    ],
)
def test_slow_start_mistakes(value: float, words: str) -> None:
    assert words in not_yet(nb07.check_slow_start(value))


@pytest.mark.parametrize("answer", ["7", None, [7.0, 1.0], float("nan")])
def test_slow_start_refuses_wrong_types_kindly(answer: object) -> None:
    not_yet(nb07.check_slow_start(answer))


# ---------------------------------------------------------------------------------------
# Exercise 2: the cross-entropy cost
# ---------------------------------------------------------------------------------------


def test_cross_entropy_right_answers() -> None:
    assert passes(nb07.check_cross_entropy(cross_entropy))
    assert passes(nb07.check_cross_entropy(costs.cross_entropy))

    def per_column_then_mean(a, y):
        return np.mean(-np.sum(y * np.log(a) + (1 - y) * np.log1p(-a), axis=0))

    def with_a_loop(a, y):
        total = 0.0
        for j in range(a.shape[1]):
            for i in range(a.shape[0]):
                total -= y[i, j] * np.log(a[i, j]) + (1 - y[i, j]) * np.log(1 - a[i, j])
        return total / a.shape[1]

    assert passes(nb07.check_cross_entropy(per_column_then_mean))
    assert passes(nb07.check_cross_entropy(with_a_loop))


def _terms(a, y):
    return y * np.log(a) + (1 - y) * np.log(1 - a)


@pytest.mark.parametrize(
    ("mistake", "words"),
    [
        (lambda a, y: np.sum(_terms(a, y)) / a.shape[1], "negative"),
        (lambda a, y: -np.sum(_terms(a, y)), "sum over the"),
        (lambda a, y: -np.mean(_terms(a, y)), "averaged over every entry"),
        (lambda a, y: -np.sum(y * np.log(a)) / a.shape[1], "only the y ln a part"),
        (lambda a, y: -np.sum(y * np.log10(a) + (1 - y) * np.log10(1 - a)) / a.shape[1],
         "natural one"),
        (lambda a, y: -np.sum(a * np.log(y) + (1 - a) * np.log(1 - y)) / a.shape[1],
         "logarithm taken of 0"),
        (lambda a, y: -np.sum(_terms(a, y), axis=0), "one cost per example"),
        (lambda a, y: -_terms(a, y), "sum over the output neurons and average"),
        (lambda a, y: -np.sum(_terms(a, y)) / a.shape[1] + 0.1, "the check expects"),
    ],
)
def test_cross_entropy_mistakes(mistake, words: str) -> None:
    assert words in not_yet(nb07.check_cross_entropy(mistake))


def test_cross_entropy_swapped_arguments_are_named_when_finite() -> None:
    """With targets strictly between 0 and 1 (the check's second case) the swap is named."""
    def swapped(a, y):
        if np.all((y > 0) & (y < 1)):
            return -np.sum(a * np.log(y) + (1 - a) * np.log(1 - y)) / a.shape[1]
        return cross_entropy(a, y)

    assert "swapped a and y" in not_yet(nb07.check_cross_entropy(swapped))


# ---------------------------------------------------------------------------------------
# Exercise 3: softmax
# ---------------------------------------------------------------------------------------


def test_softmax_right_answers() -> None:
    assert passes(nb07.check_softmax(softmax))
    assert passes(nb07.check_softmax(mlp_softmax))

    def without_keepdims(z):
        exps = np.exp(z - z.max(axis=0))
        return exps / exps.sum(axis=0)

    def column_by_column(z):
        out = np.empty_like(z)
        for j in range(z.shape[1]):
            e = np.exp(z[:, j] - z[:, j].max())
            out[:, j] = e / e.sum()
        return out

    assert passes(nb07.check_softmax(without_keepdims))
    assert passes(nb07.check_softmax(column_by_column))


def naive(z):
    return np.exp(z) / np.exp(z).sum(axis=0, keepdims=True)


@pytest.mark.parametrize(
    ("mistake", "words"),
    [
        (naive, "exp(1000) overflows"),
        (lambda z: naive(z - z.min(axis=0, keepdims=True)), "exp(1000) overflows"),
        (lambda z: naive(z - z.max()), "its own shift"),
        (lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True), "rows add up to 1"),
        (lambda z: np.exp(z) / np.exp(z).sum(), "whole array adds up to 1"),
        (lambda z: np.exp(z), "divide each by its column's sum"),
        (lambda z: z / z.sum(axis=0, keepdims=True), "not yet softmax"),
        (lambda z: softmax(z).T, "shape of z"),
    ],
)
def test_softmax_mistakes(mistake, words: str) -> None:
    assert words in not_yet(nb07.check_softmax(mistake))


# ---------------------------------------------------------------------------------------
# Exercise 4: the spread of z
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("large", "scaled"),
    [(np.sqrt(501), np.sqrt(1.5)), (22.4, 1.22), (np.float64(22.38), np.array(1.2247))],
)
def test_z_spread_right_answers(large, scaled) -> None:
    assert passes(nb07.check_z_spread(large, scaled))


@pytest.mark.parametrize(
    ("large", "scaled", "words"),
    [
        (501.0, 1.5, "a variance"),
        (np.sqrt(501), 1.5, "a variance"),
        (np.sqrt(1001), np.sqrt(2.0), "Only the 500 inputs"),
        (np.sqrt(500), np.sqrt(0.5), "the bias is a random number too"),
        (np.sqrt(501), np.sqrt(0.5), "the bias is a random number too"),
        (np.sqrt(501), 500 / np.sqrt(1000) + 1, "variances do"),
        (np.sqrt(501), 3.0, "`std_z_large` is right"),
        (10.0, np.sqrt(1.5), "`std_z_scaled` is right"),
        (1.0, 2.0, "Their variances add up"),
    ],
)
def test_z_spread_mistakes(large, scaled, words: str) -> None:
    assert words in not_yet(nb07.check_z_spread(large, scaled))


@pytest.mark.parametrize("answer", ["22.4", None, [22.4, 1.22], float("inf")])
def test_z_spread_refuses_wrong_types_kindly(answer: object) -> None:
    not_yet(nb07.check_z_spread(answer, np.sqrt(1.5)))
    not_yet(nb07.check_z_spread(np.sqrt(501), answer))


def test_z_spread_unanswered() -> None:
    result = nb07.check_z_spread(np.sqrt(501), ...)
    assert not result.passed and not result.answered and "std_z_scaled" in result.message


# ---------------------------------------------------------------------------------------
# Exercise 5: the scaled initialisation
# ---------------------------------------------------------------------------------------


def test_scaled_init_right_answers() -> None:
    assert passes(nb07.check_scaled_init(scaled_normal))
    assert passes(nb07.check_scaled_init(mlp_init.scaled_normal))

    def with_rng_normal(sizes, rng):
        biases, weights = [], []
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
            biases.append(rng.normal(0.0, 1.0, size=(n_out, 1)))
            weights.append(rng.normal(0.0, 1 / np.sqrt(n_in), size=(n_out, n_in)))
        return biases, weights

    assert passes(nb07.check_scaled_init(with_rng_normal))


def _layers(sizes):
    return list(zip(sizes[:-1], sizes[1:], strict=True))


@pytest.mark.parametrize(
    ("mistake", "words"),
    [
        (lambda s, rng: ([rng.standard_normal((o, 1)) for o in s[1:]],
                         [rng.standard_normal((o, i)) / i for i, o in _layers(s)]),
         "*variance* 1/n_in"),
        (lambda s, rng: ([rng.standard_normal((o, 1)) for o in s[1:]],
                         [rng.standard_normal((o, i)) / np.sqrt(o) for i, o in _layers(s)]),
         "scaled by the number of outputs"),
        (lambda s, rng: ([rng.standard_normal((o, 1)) for o in s[1:]],
                         [rng.standard_normal((i, o)) / np.sqrt(i) for i, o in _layers(s)]),
         "It is transposed"),
        (lambda s, rng: ([rng.standard_normal((o, 1)) / np.sqrt(i) for i, o in _layers(s)],
                         [rng.standard_normal((o, i)) / np.sqrt(i) for i, o in _layers(s)]),
         "Keep the biases from N(0, 1)"),
        (lambda s, rng: ([np.zeros((o, 1)) for o in s[1:]],
                         [rng.standard_normal((o, i)) / np.sqrt(i) for i, o in _layers(s)]),
         "Keep the biases from N(0, 1)"),
        (lambda s, rng: scaled_normal(s, rng)[::-1], "weights first"),
        (lambda s, rng: ([np.random.default_rng().standard_normal((o, 1)) for o in s[1:]],
                         [np.random.default_rng().standard_normal((o, i)) / np.sqrt(i)
                          for i, o in _layers(s)]),
         "the generator `rng`"),
        (lambda s, rng: ([rng.standard_normal((o, 1)) for o in s[1:]],
                         [rng.standard_normal((o, i)) for i, o in _layers(s)]),
         "standard deviation"),
        (lambda s, rng: scaled_normal(s, rng)[1], "two lists"),
        (lambda s, rng: (scaled_normal(s, rng)[0][:2], scaled_normal(s, rng)[1]), "one array per"),
    ],
)
def test_scaled_init_mistakes(mistake, words: str) -> None:
    assert words in not_yet(nb07.check_scaled_init(mistake))


# ---------------------------------------------------------------------------------------
# Every check: unanswered, stubs and buggy functions never crash
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("check", [nb07.check_slow_start, *CHECKS_OF_FUNCTIONS])
def test_placeholder_is_not_answered_yet(check) -> None:
    result = check(...)
    assert isinstance(result, Result) and not result.passed and not result.answered


@pytest.mark.parametrize("check", CHECKS_OF_FUNCTIONS)
def test_unwritten_and_buggy_functions_get_feedback(check) -> None:
    wrong_results = ("text", 3.0, [1, 2], np.zeros((7, 3)), np.zeros((2, 2, 2)), object(),
                     (1, 2), ([1], [2]))
    assert_buggy_functions_get_feedback(check, wrong_results)


def test_second_try_adds_the_pointed_hint(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("COURSE_GRADING")
    monkeypatch.chdir(tmp_path)  # not a workspace: nothing is recorded
    monkeypatch.setattr(feedback, "_FAILED", {})
    wrong = lambda a, y: -np.sum(y * np.log(a)) / a.shape[1]  # noqa: E731
    first = not_yet(nb07.check_cross_entropy(wrong))
    second = not_yet(nb07.check_cross_entropy(wrong))
    assert second.startswith(first) and len(second) > len(first)
    for code in ("np.log(a)", "np.sum(", "keepdims", "np.max(", "/ np.sqrt("):
        assert code not in second  # hints never hold the answer's code


# ---------------------------------------------------------------------------------------
# Pictures and widgets run
# ---------------------------------------------------------------------------------------


def test_pictures_and_widgets_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matplotlib.pyplot, "show", lambda: None)
    nb07.draw_neuron(w=1.0, b=-1.0, cost="quadratic", eta=0.5, epochs=20)
    nb07.draw_sigma_prime()
    nb07.draw_cost_gradients()
    nb07.draw_softmax([1.0, 2.0, 3.0])
    nb07.draw_z_spread({"a": nb07.sample_z(1.0, neurons=100), "b": nb07.sample_z(0.1, neurons=100)})
    nb07.plot_curves({"a": [0.5, 0.6], "b": [0.7, 0.8]}, title="t", legend_at="center right")
    assert len(nb07.neuron_explorer().children) == 5  # w, b, cost, eta and the output
    assert len(nb07.softmax_explorer().children) == 5  # four sliders and the output
    matplotlib.pyplot.close("all")
