"""mlp.train.sgd: it learns, it reports, it stops when told, and it fails clearly."""

from __future__ import annotations

import numpy as np
import pytest

from mlp import Network, augment, optim, schedules
from mlp.costs import CROSS_ENTROPY, LOG_LIKELIHOOD
from mlp.init import he, scaled_normal
from mlp.optim import OPTIMIZERS
from mlp.regularization import L1, L2, Dropout, EarlyStopping
from mlp.train import AfterEachEpoch, History, Monitor, TrainingDiverged, evaluate, sgd

QUIET = dict(progress=False, verbose=False)


def random_points(n=20, n_in=5, n_classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n_in, n)).astype(np.float32)
    labels = rng.integers(0, n_classes, size=n).astype(np.uint8)
    return x, labels


def fake_digits(n=300, seed=0):
    """784-pixel 'images': each class lights up its own block of pixels, plus noise."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, size=n).astype(np.uint8)
    x = rng.random((784, n)).astype(np.float32) * 0.3
    for k in range(n):
        start = int(labels[k]) * 78
        x[start : start + 78, k] += 0.7
    return np.asfortranarray(x), labels


def test_xor_is_learned():
    x = np.array([[0, 0, 1, 1], [0, 1, 0, 1]], dtype=np.float32)
    labels = np.array([0, 1, 1, 0], dtype=np.uint8)
    net = Network([2, 4, 2], cost=CROSS_ENTROPY, seed=3)
    sgd(net, (x, labels), 1500, 4, 3.0, seed=0, **QUIET)
    assert net.predict(x).tolist() == [0, 1, 1, 0]


@pytest.mark.parametrize(
    ("optimizer", "eta"),
    [("sgd", 1.0), ("momentum", 0.1), ("adagrad", 0.1), ("rmsprop", 0.01), ("adam", 0.01)],
)
def test_every_optimizer_fits_twenty_random_points(optimizer, eta):
    assert optimizer in OPTIMIZERS
    x, labels = random_points()
    net = Network([5, 30, 3], activation="relu", cost=LOG_LIKELIHOOD, init=he, seed=1)
    update, monitor = OPTIMIZERS[optimizer](), Monitor(training=True)
    history = sgd(
        net, (x, labels), 300, 5, eta, update=update, callbacks=[monitor], seed=2, **QUIET
    )
    assert history.training_accuracy[-1] == 1.0
    assert history.training_cost[-1] < history.training_cost[0] / 5


@pytest.mark.parametrize(
    "options",
    [
        dict(penalty=L2(0.1)),
        dict(penalty=L1(0.1)),
        dict(callbacks=[Dropout(0.2)]),
        dict(callbacks=[augment.RandomShifts()]),
        dict(expand=True),
        dict(update=optim.adam(), penalty=L2(0.1)),
    ],
    ids=["l2", "l1", "dropout", "shift", "expand", "adam-l2"],
)
def test_training_options_learn_fake_digits(options):
    train, test = fake_digits(300, seed=0), fake_digits(200, seed=1)
    if options.pop("expand", False):
        train = augment.expand(*train)
    net = Network([784, 20, 10], cost=CROSS_ENTROPY, init=scaled_normal, seed=0)
    eta = 0.005 if "update" in options else 0.5
    history = sgd(net, train, 5, 10, eta, test_data=test, seed=0, **options, **QUIET)
    assert history.test_accuracy[-1] > 0.9, history.test_accuracy


def test_regularisation_shrinks_the_weights():
    train = fake_digits(300)
    sizes = []
    for penalty in (None, L2(30.0)):
        net = Network([784, 20, 10], cost=CROSS_ENTROPY, init=scaled_normal, seed=0)
        sgd(net, train, 5, 10, 0.5, penalty=penalty, seed=0, **QUIET)
        sizes.append(sum(float(np.sum(w**2)) for w in net.weights))
    assert sizes[1] < 0.5 * sizes[0]


def test_history_records_every_epoch_and_the_callback_sees_it(capsys):
    train, valid = fake_digits(100, seed=0), fake_digits(50, seed=1)
    seen = []
    net = Network([784, 10, 10], seed=0)
    history = sgd(
        net,
        train,
        3,
        10,
        3.0,
        validation_data=valid,
        test_data=valid,
        seed=0,
        progress=False,
        callbacks=[AfterEachEpoch(lambda h: seen.append(h.epochs))],
    )
    assert isinstance(history, History)
    assert seen == [1, 2, 3]
    assert len(history.validation_accuracy) == len(history.test_cost) == 3
    assert len(history.epoch_seconds) == 3 and history.eta == [3.0, 3.0, 3.0]
    assert history.training_cost == [] and history.training_accuracy == []
    assert history.validation_accuracy == history.test_accuracy
    assert 0 <= min(history.validation_accuracy) <= max(history.validation_accuracy) <= 1
    assert history.best("test_accuracy")[1] == max(history.test_accuracy)
    assert set(history.to_dict()) >= {"validation_accuracy", "test_accuracy", "epoch_seconds"}
    out = capsys.readouterr().out
    assert out.count("Epoch ") == 3 and "Epoch 3/3" in out and "validation" in out
    cost, accuracy = evaluate(net, valid)
    assert accuracy == history.validation_accuracy[-1]
    assert cost == pytest.approx(history.validation_cost[-1], rel=1e-5)


def test_progress_bar_is_drawn(capsys):
    sgd(Network([784, 10, 10], seed=0), fake_digits(100), 1, 10, 3.0, verbose=False)
    assert "10/10 epoch 1" in capsys.readouterr().err


def test_same_seed_same_result():
    train = fake_digits(100)
    nets = [Network([784, 10, 10], seed=0) for _ in range(3)]
    for net, seed in zip(nets, [5, 5, 6], strict=True):
        callbacks = [Dropout(0.3), augment.RandomShifts()]
        sgd(net, train, 2, 10, 3.0, callbacks=callbacks, seed=seed, **QUIET)
    np.testing.assert_array_equal(nets[0].weights[0], nets[1].weights[0])
    assert not np.array_equal(nets[0].weights[0], nets[2].weights[0])


def test_partial_last_batch_and_batch_larger_than_data():
    x, labels = random_points(n=7)
    for batch_size in (3, 100):
        net = Network([5, 4, 3], seed=0)
        before = net.weights[0].copy()
        sgd(net, (x, labels), 1, batch_size, 1.0, **QUIET)
        assert not np.array_equal(before, net.weights[0])


def test_zero_epochs_changes_nothing():
    net = Network([5, 4, 3], seed=0)
    before = net.weights[0].copy()
    history = sgd(net, random_points(), 0, 5, 1.0, **QUIET)
    assert history.epochs == 0
    np.testing.assert_array_equal(before, net.weights[0])


# --------------------------------------------------------------------------------------
# Schedules and early stopping
# --------------------------------------------------------------------------------------


def test_step_and_exponential_schedules():
    data = random_points()
    net = Network([5, 4, 3], seed=0)
    history = sgd(net, data, 5, 5, 1.0, callbacks=[schedules.StepDecay(step_size=2)], **QUIET)
    assert history.eta == [1.0, 1.0, 0.5, 0.5, 0.25]
    history = sgd(net, data, 3, 5, 1.0, callbacks=[schedules.ExponentialDecay(0.5)], **QUIET)
    assert history.eta == [1.0, 0.5, 0.25]


def test_early_stopping_and_halving_need_improvement():
    # A learning rate so tiny that nothing changes: the accuracy never improves.
    train = fake_digits(50)
    net = Network([784, 10, 10], seed=0)
    stop = [EarlyStopping(3)]
    history = sgd(net, train, 100, 10, 1e-12, validation_data=train, callbacks=stop, **QUIET)
    assert history.epochs == 4 and "early stopping" in history.stop_reason
    halve = [schedules.HalveOnPlateau(patience=2)]
    history = sgd(net, train, 100, 10, 1e-12, validation_data=train, callbacks=halve, **QUIET)
    # eta halves every 2 epochs without improvement; training stops when it reaches 1/128.
    assert history.eta[:5] == [1e-12, 1e-12, 1e-12, 5e-13, 5e-13]
    assert history.eta[-1] == 1e-12 / 64 and "1/128" in history.stop_reason
    assert history.epochs == 1 + 2 + 2 * 6


# --------------------------------------------------------------------------------------
# Clear errors
# --------------------------------------------------------------------------------------


def test_diverging_learning_rate_raises_naming_the_epoch():
    net = Network([784, 30, 10], activation="relu", cost=LOG_LIKELIHOOD, init=he, seed=0)
    with pytest.raises(TrainingDiverged, match=r"epoch 1 .*eta=1e\+06 is probably too large"):
        sgd(net, fake_digits(200), 3, 10, 1e6, **QUIET)


def test_overflow_is_caught_not_turned_into_nan():
    net = Network([784, 30, 10], activation="relu", cost="quadratic", seed=0)
    net.weights[0][:] = 1e30
    net.weights[1][:] = 1e30
    with pytest.raises(TrainingDiverged, match="epoch 1 .*overflow") as info:
        sgd(net, fake_digits(20), 2, 10, 0.1, **QUIET)
    assert info.value.epoch == 1 and info.value.eta == 0.1
    assert isinstance(info.value, ValueError) and isinstance(info.value, ArithmeticError)


def test_nan_weights_are_caught():
    net = Network([5, 4, 3], seed=0)
    net.biases[0][0] = np.nan
    with pytest.raises(TrainingDiverged, match="epoch 1"):
        sgd(net, random_points(), 1, 5, 1.0, **QUIET)


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (np.full(20, 12, dtype=np.uint8), r"training_data: labels should lie in 0\.\.2.*12\.\.12"),
        (np.full(20, -1), r"labels should lie in 0\.\.2.*-1"),
        (np.zeros(20, dtype=np.float32), "should be integers"),
        (np.zeros(19, dtype=np.uint8), r"labels should have shape \(20,\)"),
    ],
)
def test_bad_labels(labels, message):
    x, _ = random_points()
    with pytest.raises(ValueError, match=message):
        sgd(Network([5, 4, 3]), (x, labels), 1, 5, 1.0, **QUIET)


def test_bad_validation_data_is_named():
    x, labels = random_points()
    bad = (x, labels + 5)
    with pytest.raises(ValueError, match="validation_data: labels should lie in"):
        sgd(Network([5, 4, 3]), (x, labels), 1, 5, 1.0, validation_data=bad, **QUIET)
    with pytest.raises(ValueError, match=r"test_data: x should have shape \(5, n\)"):
        sgd(Network([5, 4, 3]), (x, labels), 1, 5, 1.0, test_data=(x.T, labels), **QUIET)
    with pytest.raises(ValueError, match="pair"):
        sgd(Network([5, 4, 3]), x, 1, 5, 1.0, **QUIET)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (dict(eta=-1.0), r"eta \(the learning rate\) should be a number in \(0, inf\)"),
        (dict(eta=float("nan")), "eta"),
        (dict(batch_size=0), "batch_size should be a whole number in"),
        (dict(epochs=2.5), "epochs should be a whole number"),
        (dict(callbacks=[schedules.HalveOnPlateau()]), "pass validation_data"),
        (dict(callbacks=[EarlyStopping(5)]), "pass validation_data"),
        (dict(callbacks=[augment.RandomShifts()]), r"\(784, n\)"),
    ],
)
def test_bad_options(options, message):
    arguments = dict(epochs=1, batch_size=5, eta=1.0)
    arguments.update(options)
    with pytest.raises(ValueError, match=message):
        sgd(Network([5, 4, 3]), random_points(), **arguments, **QUIET)


def test_callbacks_are_called_in_order_around_every_mini_batch():
    events = []

    class Recorder:
        def __getattr__(self, event):
            if event not in ("train_start", "epoch_start", "batch_start", "batch_end", "epoch_end"):
                raise AttributeError(event)
            return lambda run: events.append((event, run.epoch, run.m))

    sgd(Network([5, 4, 3], seed=0), random_points(n=7), 2, 5, 1.0, callbacks=[Recorder()], **QUIET)
    epoch = [("batch_start", 1, 5), ("batch_end", 1, 5), ("batch_start", 1, 2), ("batch_end", 1, 2)]
    assert events[:6] == [("train_start", 0, 0), ("epoch_start", 1, 0), *epoch]
    assert events[6] == ("epoch_end", 1, 2) and events[7][:2] == ("epoch_start", 2)
    assert len(events) == 1 + 2 * 6


def test_a_penalty_adds_to_the_measured_cost():
    data = random_points()
    costs = []
    for penalty in (None, L2(1e9)):
        net = Network([5, 4, 3], seed=0)
        history = sgd(net, data, 1, 5, 1e-9, penalty=penalty, test_data=data, **QUIET)
        costs.append(history.test_cost[0])
    assert costs[1] > costs[0] + 1e3
