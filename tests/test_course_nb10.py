"""Notebook 10's helpers: the constructions are right, and the checks accept right answers,
explain typical mistakes and never crash on a buggy function."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from verdicts import assert_buggy_functions_get_feedback, not_yet, passes

from course import feedback, nb10
from course.feedback import Result
from mlp.activations import sigmoid

matplotlib.use("Agg")


pytestmark = pytest.mark.usefixtures("grading")


# ---------------------------------------------------------------------------------------
# Model answers, as in the notebook
# ---------------------------------------------------------------------------------------


def bump_layer(heights, steepness=1000.0):
    heights = np.asarray(heights, dtype=float)
    edges = np.linspace(0, 1, len(heights) + 1)
    steps = np.concatenate([edges[:-1], edges[1:]])
    weights = np.full((len(steps), 1), steepness)
    biases = (-steepness * steps).reshape(-1, 1)
    output_weights = np.concatenate([heights, -heights]).reshape(1, -1)
    return weights, biases, output_weights


def choose_heights(f, n_bumps):
    edges = np.linspace(0, 1, n_bumps + 1)
    middles = (edges[:-1] + edges[1:]) / 2
    return np.log(f(middles) / (1 - f(middles)))


def tower(x, y, x_edges, y_edges, h=10.0, bias=None):
    w = 1000.0
    bump_x = sigmoid(w * (x - x_edges[0])) - sigmoid(w * (x - x_edges[1]))
    bump_y = sigmoid(w * (y - y_edges[0])) - sigmoid(w * (y - y_edges[1]))
    return sigmoid(h * bump_x + h * bump_y + (-1.5 * h if bias is None else bias))


CHECKS_OF_FUNCTIONS = [nb10.check_bump_layer, nb10.check_choose_heights, nb10.check_tower]


# ---------------------------------------------------------------------------------------
# The constructions themselves
# ---------------------------------------------------------------------------------------


def test_goal_is_nielsens_function_and_stays_inside_0_1() -> None:
    assert nb10.goal(0.0) == pytest.approx(0.25)
    x = nb10.X
    f = nb10.goal(x)
    assert 0 < f.min() < 0.1 and 0.85 < f.max() < 1
    np.testing.assert_allclose(sigmoid(nb10.inverse_sigmoid(f)), f)


def test_a_steep_sigmoid_steps_at_minus_b_over_w() -> None:
    w, s = 1000.0, 0.37
    a = sigmoid(w * nb10.X - w * s)
    assert a[nb10.X < s - 0.005].max() < 0.01 and a[nb10.X > s + 0.005].min() > 0.99


def test_bump_layer_reference_draws_the_staircase() -> None:
    heights = np.array([0.4, -1.0, 2.0])
    out = nb10.weighted_output(nb10.X, *nb10.bump_layer(heights))
    for j, h in enumerate(heights):
        inside = (nb10.X > j / 3 + 0.01) & (nb10.X < (j + 1) / 3 - 0.01)
        np.testing.assert_allclose(out[inside], h, atol=1e-3)


def test_more_bumps_fit_the_goal_better() -> None:
    errors = [
        nb10.mean_abs_error(nb10.bumps_output(nb10.X, nb10.choose_heights(nb10.goal, n)))
        for n in (5, 10, 40)
    ]
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < nb10.FIT_TARGET


def test_shifted_copies_dilute_the_failure_window_at_the_end() -> None:
    at_one = [
        abs(nb10.shifted_copies_output(nb10.X, 10, m, 1000.0)[-1] - nb10.goal(1.0))
        for m in (1, 2, 4)
    ]
    assert at_one[0] > 0.1 and at_one[1] < at_one[0] / 1.8 and at_one[2] < at_one[1] / 1.8


def test_reference_tower_is_clean() -> None:
    grid = np.linspace(0, 1, 51)
    x, y = np.meshgrid(grid, grid)
    out = nb10.tower(x, y, (0.2, 0.6), (0.4, 0.8))
    assert out[(x > 0.25) & (x < 0.55) & (y > 0.45) & (y < 0.75)].min() > 0.99
    assert out[(x < 0.15) | (y > 0.85)].max() < 0.01


def test_towers_with_clean_edges_approximate_a_surface() -> None:
    grid = np.linspace(0, 1, 41)
    x, y = np.meshgrid(grid, grid)
    goal = nb10.goal_2d(x, y)
    coarse = np.mean(np.abs(nb10.towers_approximation(x, y, 4, h=30) - goal))
    fine = np.mean(np.abs(nb10.towers_approximation(x, y, 12, h=30) - goal))
    leaky = np.mean(np.abs(nb10.towers_approximation(x, y, 12, h=10) - goal))
    assert fine < coarse and fine < leaky


# ---------------------------------------------------------------------------------------
# Exercise 1: the steepness
# ---------------------------------------------------------------------------------------


def test_steepness_right_answer() -> None:
    assert passes(nb10.check_steepness(np.log(0.99 / 0.01) / 0.005))
    assert passes(nb10.check_steepness(919))


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (np.log(99) / 0.01, "0.005 on each side"),
        (np.log10(99) / 0.005, "natural logarithm"),
        (1000.0, "not the least steep"),
        (100.0, "not yet 0.99"),
    ],
)
def test_steepness_mistakes(answer: float, words: str) -> None:
    assert words in not_yet(nb10.check_steepness(answer))


@pytest.mark.parametrize("answer", ["919", [919, 920], None, float("nan")])
def test_steepness_refuses_wrong_types_kindly(answer: object) -> None:
    not_yet(nb10.check_steepness(answer))


# ---------------------------------------------------------------------------------------
# Exercise 2: the bump layer
# ---------------------------------------------------------------------------------------


def test_bump_layer_right_answers() -> None:
    assert passes(nb10.check_bump_layer(bump_layer))

    def interleaved(heights, steepness=1000.0):
        weights, biases, output_weights = bump_layer(heights, steepness)
        order = np.arange(2 * len(heights)).reshape(2, -1).T.ravel()  # on, off, on, off, ...
        return weights[order], biases[order], output_weights[:, order]

    assert passes(nb10.check_bump_layer(interleaved))


def test_bump_layer_mistakes() -> None:
    def bias_sign(heights, steepness=1000.0):
        weights, biases, output_weights = bump_layer(heights, steepness)
        return weights, -biases, output_weights

    def never_ends(heights, steepness=1000.0):
        weights, biases, output_weights = bump_layer(heights, steepness)
        return weights, biases, np.abs(output_weights) * np.sign(np.tile(heights, 2))

    def too_few_edges(heights, steepness=1000.0):
        n = len(heights)
        edges = np.linspace(0, 1, n)  # n - 1 bumps' worth of edges
        steps = np.concatenate([edges, edges + 1 / n])
        weights, _, output_weights = bump_layer(heights, steepness)
        return weights, (-steepness * steps).reshape(-1, 1), output_weights

    def unpaired(heights, steepness=1000.0):
        weights, biases, output_weights = bump_layer(heights, steepness)
        return weights, biases[::-1], output_weights

    def flat(heights, steepness=1000.0):
        weights, biases, output_weights = bump_layer(heights, steepness)
        return np.ones_like(weights), biases, output_weights

    assert "sign of the bias" in not_yet(nb10.check_bump_layer(bias_sign))
    assert "never end" in not_yet(nb10.check_bump_layer(never_ends))
    assert "edges" in not_yet(nb10.check_bump_layer(too_few_edges))
    assert "pair up" in not_yet(nb10.check_bump_layer(unpaired))
    assert "steepness" in not_yet(nb10.check_bump_layer(flat))


def test_bump_layer_wrong_shapes_and_types() -> None:
    def transposed(heights, steepness=1000.0):
        weights, biases, output_weights = bump_layer(heights, steepness)
        return weights, biases, output_weights.T

    def one_dimensional(heights, steepness=1000.0):
        weights, biases, output_weights = bump_layer(heights, steepness)
        return weights.ravel(), biases.ravel(), output_weights.ravel()

    assert "shape (1, 8)" in not_yet(nb10.check_bump_layer(transposed))
    assert "shape (8, 1)" in not_yet(nb10.check_bump_layer(one_dimensional))
    assert "three arrays" in not_yet(nb10.check_bump_layer(lambda h, s: bump_layer(h, s)[:2]))
    assert "three arrays" in not_yet(nb10.check_bump_layer(lambda h, s: 3.0))
    assert "array of numbers" in not_yet(
        nb10.check_bump_layer(lambda h, s: ("a", "b", "c"))
    )


# ---------------------------------------------------------------------------------------
# Exercise 3: choosing the heights
# ---------------------------------------------------------------------------------------


def test_choose_heights_right_answers() -> None:
    assert passes(nb10.check_choose_heights(choose_heights))

    def medians(f, n_bumps):  # another good choice: the median of f on each bump
        edges = np.linspace(0, 1, n_bumps + 1)
        xs = np.linspace(0, 1, 2001)
        pieces = zip(edges[:-1], edges[1:], strict=True)
        values = [np.median(f(xs[(xs >= a) & (xs <= b)])) for a, b in pieces]
        return nb10.inverse_sigmoid(np.array(values))

    assert passes(nb10.check_choose_heights(medians))


def test_choose_heights_mistakes() -> None:
    def forgot_sigmoid(f, n_bumps):
        edges = np.linspace(0, 1, n_bumps + 1)
        return f((edges[:-1] + edges[1:]) / 2)

    def flipped(f, n_bumps):
        return -choose_heights(f, n_bumps)

    def left_edges(f, n_bumps):
        left = np.linspace(0, 1, n_bumps + 1)[:-1]
        return nb10.inverse_sigmoid(f(left))

    def ignores_f(f, n_bumps):
        return choose_heights(nb10.goal, n_bumps)

    def ignores_n(f, n_bumps):
        return choose_heights(f, 40)

    assert "squashes" in not_yet(nb10.check_choose_heights(forgot_sigmoid))
    assert "sign" in not_yet(nb10.check_choose_heights(flipped))
    def right_edges(f, n_bumps):
        right = np.linspace(0, 1, n_bumps + 1)[1:]
        return nb10.inverse_sigmoid(f(right))

    def far_off(f, n_bumps):
        return choose_heights(f, n_bumps) + 0.5

    assert "middle" in not_yet(nb10.check_choose_heights(left_edges))
    assert "middle" in not_yet(nb10.check_choose_heights(right_edges))
    assert "each bump" in not_yet(nb10.check_choose_heights(far_off))
    assert "another f" in not_yet(nb10.check_choose_heights(ignores_f))
    assert "n_bumps = 10" in not_yet(nb10.check_choose_heights(ignores_n))


def test_choose_heights_bad_values() -> None:
    def edges_inclusive(f, n_bumps):  # f(0) fine, but returns n + 1 values
        return nb10.inverse_sigmoid(f(np.linspace(0, 1, n_bumps + 1)))

    def infinite(f, n_bumps):
        return np.full(n_bumps, np.inf)

    assert "shape (41,)" in not_yet(nb10.check_choose_heights(edges_inclusive))
    assert "inf or nan" in not_yet(nb10.check_choose_heights(infinite))
    assert "numbers" in not_yet(nb10.check_choose_heights(lambda f, n: {"a": 1}))


# ---------------------------------------------------------------------------------------
# Exercise 4: the tower
# ---------------------------------------------------------------------------------------


def test_tower_right_answers() -> None:
    assert passes(nb10.check_tower(tower))
    steeper = lambda x, y, xe, ye, h=10.0: tower(x, y, xe, ye, h=30.0)  # noqa: E731
    assert passes(nb10.check_tower(steeper))


def test_tower_mistakes() -> None:
    def bias_minus_h(x, y, x_edges, y_edges, h=10.0):
        return tower(x, y, x_edges, y_edges, h, bias=-h)

    def swapped(x, y, x_edges, y_edges, h=10.0):
        return tower(x, y, y_edges, x_edges, h)

    def bias_minus_2h(x, y, x_edges, y_edges, h=10.0):
        return tower(x, y, x_edges, y_edges, h, bias=-2 * h)

    def no_bias(x, y, x_edges, y_edges, h=10.0):
        return tower(x, y, x_edges, y_edges, h, bias=0.0)

    def small_h(x, y, x_edges, y_edges, h=10.0):
        return tower(x, y, x_edges, y_edges, 2.0)

    assert "arms" in not_yet(nb10.check_tower(bias_minus_h))
    assert "which with y" in not_yet(nb10.check_tower(swapped))
    assert "at least 0.99" in not_yet(nb10.check_tower(bias_minus_2h))
    assert "below 0.01" in not_yet(nb10.check_tower(no_bias))
    assert not_yet(nb10.check_tower(small_h))


def test_tower_wrong_shape() -> None:
    def flat(x, y, x_edges, y_edges, h=10.0):
        return tower(x, y, x_edges, y_edges, h).ravel()

    assert "shape" in not_yet(nb10.check_tower(flat))


# ---------------------------------------------------------------------------------------
# Every check: unanswered, stubs and buggy functions never crash
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("check", [nb10.check_steepness, *CHECKS_OF_FUNCTIONS])
def test_placeholder_is_not_answered_yet(check) -> None:
    result = check(...)
    assert isinstance(result, Result) and not result.passed and not result.answered


@pytest.mark.parametrize("check", CHECKS_OF_FUNCTIONS)
def test_unwritten_and_buggy_functions_get_feedback(check) -> None:
    assert_buggy_functions_get_feedback(check, ("text", 3.0, [1, 2], np.zeros((2, 2, 2)), object()))


def test_second_try_adds_the_pointed_hint(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("COURSE_GRADING")
    monkeypatch.chdir(tmp_path)  # not a workspace: nothing is recorded
    monkeypatch.setattr(feedback, "_FAILED", {})
    first = not_yet(nb10.check_steepness(100.0))
    second = not_yet(nb10.check_steepness(100.0))
    assert second.startswith(first) and len(second) > len(first)
    assert "np.log" not in second  # hints never hold the answer's code


# ---------------------------------------------------------------------------------------
# Pictures and widgets run
# ---------------------------------------------------------------------------------------


def test_pictures_and_widgets_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matplotlib.pyplot, "show", lambda: None)
    nb10.draw_step(w=50, s=0.3)
    assert nb10.draw_bumps(nb10.DEFAULT_HEIGHTS) == pytest.approx(
        nb10.mean_abs_error(nb10.bumps_output(nb10.X, nb10.DEFAULT_HEIGHTS))
    )
    nb10.draw_threshold(h=5.0, output_bias=-7.5)
    assert len(nb10.step_explorer().children) == 3  # two sliders and the output
    assert len(nb10.bump_explorer().children) == 6  # five sliders and the output
    assert len(nb10.threshold_explorer().children) == 3
    matplotlib.pyplot.close("all")


def test_the_course_copies_are_the_model_answers() -> None:
    """The notebook uses nb10.bump_layer and nb10.choose_heights after its exercises."""
    heights = np.array([0.3, -0.5, 1.0])
    for ours, model in zip(nb10.bump_layer(heights, 800.0), bump_layer(heights, 800.0),
                           strict=True):
        np.testing.assert_array_equal(ours, model)
    np.testing.assert_allclose(nb10.choose_heights(nb10.goal, 7), choose_heights(nb10.goal, 7))
    grid = np.linspace(0, 1, 31)
    x, y = np.meshgrid(grid, grid)
    np.testing.assert_allclose(nb10.tower(x, y, (0.1, 0.4), (0.5, 0.9)),
                               tower(x, y, (0.1, 0.4), (0.5, 0.9)))


# ---------------------------------------------------------------------------------------
# Exercise 5: the bias of a tower in three dimensions
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("bias", [-25, -25.0, np.float64(-25.3), -24.7])
def test_cube_bias_right_answers(bias: float) -> None:
    assert passes(nb10.check_cube_bias(bias))


@pytest.mark.parametrize(
    ("bias", "words"),
    [
        (-15, "two-input bias"),
        (-30, "top of the box"),
        (-20, "two bumps overlap"),
        (5, "positive bias"),
        (-24, "too low"),
        (-26, "too high"),
    ],
)
def test_cube_bias_mistakes(bias: float, words: str) -> None:
    assert words in not_yet(nb10.check_cube_bias(bias))


@pytest.mark.parametrize("answer", ["-25", None, [-25, -25], float("inf")])
def test_cube_bias_refuses_wrong_types_kindly(answer: object) -> None:
    not_yet(nb10.check_cube_bias(answer))


def test_placeholder_cube_bias_is_not_answered_yet() -> None:
    result = nb10.check_cube_bias(...)
    assert not result.passed and not result.answered
