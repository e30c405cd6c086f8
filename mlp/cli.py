"""The command line: ``python -m mlp train | evaluate | predict`` (or just ``mlp ...``).

Examples
--------
Chapter 1 of Nielsen's book (about 95% on the test images)::

    python -m mlp train --sizes 784,30,10 --epochs 30 --batch-size 10 --eta 3.0 \\
        --cost quadratic --activation sigmoid --seed 1 --json out.json --save net.npz
    python -m mlp evaluate net.npz
    python -m mlp predict net.npz my_digit.png

``python -m mlp train --help`` lists every option and the recipes of chapter 3 and of the
best network of the course. This module is support, not taught: it composes what the
notebooks teach (the network, ``sgd`` and the objects that plug into it), and builds its
choices from the package's own tables.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from mlp import augment, optim, schedules
from mlp.activations import ACTIVATIONS
from mlp.costs import COSTS
from mlp.data import LOADERS
from mlp.init import INITS
from mlp.io import check_writable
from mlp.regularization import PENALTIES, Dropout, EarlyStopping
from mlp.train import Monitor, check_number

_NAMES = {"mnist": "MNIST", "fashion-mnist": "Fashion-MNIST"}

RECIPES = """\
recipes (seed 1, one BLAS thread: OPENBLAS_NUM_THREADS=1; wall time on a quiet machine,
except for the 98.9% and Fashion-MNIST recipes: CPU time, measured on a busy one; the book's
result in brackets; more seeds, wall times and loads in benchmarks/README.md):
  chapter 1: best test accuracy 95.1% in 9 s [95.42%]
    mlp train --sizes 784,30,10 --epochs 30 --batch-size 10 --eta 3.0 \\
        --cost quadratic --activation sigmoid --seed 1
  chapter 3: 97.8-97.9% in 15 s [97.92% on the validation data]
    mlp train --sizes 784,100,10 --epochs 30 --batch-size 10 --eta 0.5 \\
        --cost cross_entropy --lmbda 5.0 --init scaled_normal --seed 1
  the best recipe: 99.1% (99.0% with seeds 2 and 3) in 4 min (ReLU, He
  initialisation, softmax, momentum, dropout, images shifted by up to a pixel, learning
  rate decaying by 6% an epoch)
    mlp train --sizes 784,1200,10 --activation relu --init he --cost log_likelihood \\
        --optimizer momentum --eta 0.05 --momentum 0.9 --batch-size 100 --dropout 0.4 \\
        --augment shift --schedule exponential --gamma 0.94 --epochs 50 --seed 1
  98.9% in 1.5 min: --sizes 784,800,10 --dropout 0.3 --gamma 0.9 --epochs 30
  Fashion-MNIST, 784-100-10 (ReLU, softmax, momentum, L2): 88.5% in 19 s
    mlp train --dataset fashion-mnist --sizes 784,100,10 --activation relu --init he \\
        --cost log_likelihood --optimizer momentum --eta 0.01 --momentum 0.9 \\
        --batch-size 20 --lmbda 5.0 --schedule exponential --gamma 0.9 --epochs 30 --seed 1

speed: NumPy's BLAS uses every core; on a machine busy with other work, one thread is
often faster: OPENBLAS_NUM_THREADS=1 mlp train ...
"""


# --------------------------------------------------------------------------------------
# Argument types: each turns a string into a value or explains what is wrong
# --------------------------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        sizes = []
    if len(sizes) < 2 or min(sizes) < 1:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a list of layer sizes: give at least two positive whole "
            "numbers separated by commas, e.g. 784,30,10"
        )
    return sizes


def _number(low: float, high: float = math.inf, *, whole: bool = False, **open_ends: bool):
    """An argparse type: a number in a range, checked by ``mlp.train.check_number``."""

    def convert(text: str) -> float:
        try:
            value = int(text) if whole else float(text)
            return check_number(value, "the value", low, high, whole=whole, **open_ends)
        except ValueError as exc:
            if "should be" in str(exc):
                raise argparse.ArgumentTypeError(f"{text} is out of range: {exc}") from None
            kind = "a whole number" if whole else "a number"
            raise argparse.ArgumentTypeError(f"{text!r} is not {kind}") from None

    convert.__name__ = "int" if whole else "float"  # argparse names the type in its messages
    return convert


_positive_int = _number(1, whole=True)
_nonnegative_int = _number(0, whole=True)
_positive_float = _number(0, low_open=True)
_nonnegative_float = _number(0)
_probability = _number(0, 1, high_open=True)


# --------------------------------------------------------------------------------------
# The parser
# --------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with its three sub-commands."""
    parser = argparse.ArgumentParser(
        prog="mlp",
        description="Train, evaluate and use a multilayer perceptron on MNIST or Fashion-MNIST "
        "(NumPy only).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    train = commands.add_parser(
        "train",
        help="train a network on MNIST (or Fashion-MNIST)",
        description="Train a network on Nielsen's split of MNIST (or of Fashion-MNIST, with\n"
        "--dataset fashion-mnist): the first 50,000 training\n"
        "images, with the last 10,000 for validation; the test images are measured after\n"
        "every epoch. The defaults are chapter 1's experiment.",
        epilog=RECIPES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _network_options(train.add_argument_group("the network"))
    _descent_options(train.add_argument_group("gradient descent"))
    _regularisation_options(train.add_argument_group("regularisation"))
    _output_options(train.add_argument_group("input and output"))

    evaluate = commands.add_parser(
        "evaluate", help="test accuracy and confusion matrix of a saved network"
    )
    evaluate.add_argument("model", type=Path, metavar="NET.npz")
    _data_options(evaluate)
    predict = commands.add_parser(
        "predict",
        help="read the digit in an image file",
        description="Read a digit from an image (PNG, or any format Pillow reads): it is "
        "turned grey, inverted if the background is light, cropped to the digit, scaled to "
        "fit 20 x 20 pixels and centred by its centre of mass in 28 x 28, as MNIST was made.",
    )
    predict.add_argument("model", type=Path, metavar="NET.npz")
    predict.add_argument("image", type=Path, metavar="IMAGE")
    predict.add_argument(
        "--preview",
        type=Path,
        default=None,
        metavar="FILE.png",
        help="also save the 28 x 28 image that the network sees",
    )
    return parser


def _network_options(group: argparse._ArgumentGroup) -> None:
    group.add_argument(
        "--sizes",
        type=_sizes,
        default=[784, 30, 10],
        help="neurons per layer, input first (default 784,30,10)",
    )
    group.add_argument(
        "--activation",
        choices=list(ACTIVATIONS),
        default="sigmoid",
        help="hidden-layer activation (default sigmoid)",
    )
    group.add_argument(
        "--cost",
        choices=list(COSTS),
        default="quadratic",
        help="cost; log_likelihood uses a softmax output layer (default quadratic)",
    )
    group.add_argument(
        "--init",
        choices=list(INITS),
        default="normal",
        help="weight initialisation: normal N(0,1) (ch1, the default), "
        "scaled_normal N(0,1/n_in) (ch3), he N(0,2/n_in) (for relu)",
    )


def _descent_options(group: argparse._ArgumentGroup) -> None:
    group.add_argument("--epochs", type=_nonnegative_int, default=30, help="default 30")
    group.add_argument("--batch-size", type=_positive_int, default=10, help="default 10")
    group.add_argument("--eta", type=_positive_float, default=3.0, help="learning rate (3.0)")
    group.add_argument(
        "--optimizer", choices=list(optim.OPTIMIZERS), default="sgd", help="default sgd"
    )
    group.add_argument(
        "--momentum", type=_probability, default=0.9, dest="mu", help="momentum's mu (0.9)"
    )
    group.add_argument("--beta1", type=_probability, default=0.9, help="Adam's beta1 (0.9)")
    group.add_argument("--beta2", type=_probability, default=0.999, help="Adam's beta2 (0.999)")
    group.add_argument(
        "--decay", type=_probability, default=0.9, help="RMSProp's decay (0.9, Hinton's)"
    )
    group.add_argument(
        "--schedule",
        choices=list(schedules.SCHEDULES),
        default=None,
        help="learning-rate schedule: halve (Nielsen ch3: halve eta after "
        "--patience epochs without improvement, stop at 1/128), step (times "
        "--gamma every --step-size epochs), exponential (times --gamma every epoch)",
    )
    group.add_argument("--patience", type=_positive_int, default=10, help="for halve (10)")
    group.add_argument(
        "--gamma",
        type=_positive_float,
        default=None,
        help="factor for step (0.5) and exponential (0.9)",
    )
    group.add_argument("--step-size", type=_positive_int, default=10, help="for step (10)")


def _regularisation_options(group: argparse._ArgumentGroup) -> None:
    group.add_argument(
        "--lmbda",
        type=_nonnegative_float,
        default=0.0,
        help="regularisation strength lambda (default 0: none)",
    )
    group.add_argument(
        "--regularization",
        choices=list(PENALTIES),
        default="l2",
        help="which penalty --lmbda weighs (default l2)",
    )
    group.add_argument(
        "--dropout",
        type=_probability,
        default=0.0,
        help="probability of dropping a hidden neuron (default 0)",
    )
    group.add_argument(
        "--augment",
        choices=list(augment.AUGMENTATIONS),
        default=None,
        help="shift: move each image by up to one pixel, afresh every epoch; "
        "expand: Nielsen's five-fold expansion by one-pixel shifts",
    )
    group.add_argument(
        "--early-stopping",
        type=_positive_int,
        default=None,
        metavar="N",
        help="stop after N epochs without better validation accuracy",
    )


def _output_options(group: argparse._ArgumentGroup) -> None:
    group.add_argument("--seed", type=int, default=None, help="random seed (weights, shuffling)")
    _data_options(group)
    group.add_argument(
        "--json",
        type=Path,
        default=None,
        metavar="FILE",
        help="write the configuration and per-epoch history as JSON",
    )
    group.add_argument(
        "--save", type=Path, default=None, metavar="FILE", help="save the trained network (.npz)"
    )
    group.add_argument(
        "--monitor-training",
        action="store_true",
        help="also measure cost and accuracy on the training data every epoch",
    )
    group.add_argument("--quiet", action="store_true", help="no progress bar or epoch lines")


def _data_options(group) -> None:
    group.add_argument(
        "--dataset",
        choices=list(LOADERS),
        default="mnist",
        help="mnist (handwritten digits, the default) or fashion-mnist (Zalando's photos of "
        "clothes, same shapes: notebook 12)",
    )
    group.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="folder with the data set's files (default $MNIST_DIR or data/ for MNIST, "
        "$FASHION_MNIST_DIR or data/fashion-mnist/ for Fashion-MNIST)",
    )
    # Train and measure on the first N images of each set only (quick tests).
    group.add_argument("--limit", type=_positive_int, default=None, help=argparse.SUPPRESS)


# --------------------------------------------------------------------------------------
# Sub-commands
# --------------------------------------------------------------------------------------


def command_train(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from mlp.data import load_data
    from mlp.io import save
    from mlp.network import Network
    from mlp.train import sgd

    if args.sizes[0] != 784 or args.sizes[-1] != 10:
        parser.error(
            f"--sizes {','.join(map(str, args.sizes))}: {_NAMES[args.dataset]} needs 784 inputs "
            "and 10 outputs, "
            "e.g. 784,30,10"
        )
    for path in (args.save, args.json):  # before the work, not after it
        if path is not None:
            check_writable(path)
    start = time.perf_counter()
    training, validation, test = load_data(
        directory=args.data_dir, progress=not args.quiet, dataset=args.dataset
    )
    if args.limit is not None:
        training, validation, test = (
            (x[:, : args.limit], y[: args.limit]) for x, y in (training, validation, test)
        )
    if args.augment == "expand":
        training = augment.expand(*training)
    net = Network(args.sizes, args.activation, COSTS[args.cost], args.seed, init=INITS[args.init])
    if not args.quiet:
        print(
            f"{net}: {net.num_parameters:,} parameters; training on {training[1].size:,} "
            f"images, validating on {validation[1].size:,}, testing on {test[1].size:,}"
        )
    history = sgd(
        net,
        training,
        args.epochs,
        args.batch_size,
        args.eta,
        update=_update_rule(args),
        penalty=PENALTIES[args.regularization](args.lmbda) if args.lmbda else None,
        callbacks=_callbacks(args),
        validation_data=validation,
        test_data=test,
        seed=args.seed,
        progress=not args.quiet,
        verbose=not args.quiet,
    )
    _report(args, net, history, time.perf_counter() - start, save)
    return 0


def _update_rule(args: argparse.Namespace) -> optim.Update:
    """The optimiser chosen on the command line, with its own hyper-parameters only."""
    settings = {
        "momentum": {"mu": args.mu},
        "rmsprop": {"decay": args.decay},
        "adam": {"beta1": args.beta1, "beta2": args.beta2},
    }
    return optim.OPTIMIZERS[args.optimizer](**settings.get(args.optimizer, {}))


def _callbacks(args: argparse.Namespace) -> list[object]:
    """The callbacks of ``sgd`` that the options ask for."""
    callbacks: list[object] = []
    if args.monitor_training:
        callbacks.append(Monitor(training=True))
    if args.augment == "shift":
        callbacks.append(augment.RandomShifts())
    if args.dropout:
        callbacks.append(Dropout(args.dropout))
    if args.schedule is not None:
        settings = {
            "halve": {"patience": args.patience},
            "step": {"step_size": args.step_size},
            "exponential": {},
        }[args.schedule]
        if args.gamma is not None and args.schedule != "halve":
            settings["gamma"] = args.gamma
        callbacks.append(schedules.SCHEDULES[args.schedule](**settings))
    if args.early_stopping is not None:
        callbacks.append(EarlyStopping(args.early_stopping))
    return callbacks


def _report(args: argparse.Namespace, net, history, total: float, save) -> None:
    """Print the best accuracies, save the network and write the JSON record."""
    summary = {"total_seconds": total}
    if history.epochs:
        for key in ("validation_accuracy", "test_accuracy"):
            epoch, value = history.best(key)
            summary[f"best_{key}"] = value
            summary[f"best_{key}_epoch"] = epoch
        print(
            f"Best test accuracy {summary['best_test_accuracy']:.2%} (epoch "
            f"{summary['best_test_accuracy_epoch']}); best validation accuracy "
            f"{summary['best_validation_accuracy']:.2%} (epoch "
            f"{summary['best_validation_accuracy_epoch']}); final test accuracy "
            f"{history.test_accuracy[-1]:.2%}; {total:.1f} s in all"
        )
    if args.save is not None:
        save(net, args.save)
        print(f"Saved the network to {args.save}")
    if args.json is not None:
        config = {
            key: (str(value) if isinstance(value, Path) else value)
            for key, value in vars(args).items()
            if key not in ("command", "quiet")
        }
        record = {**history.to_dict(), **summary, "config": config}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        print(f"Wrote the history to {args.json}")


def command_evaluate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from mlp.data import to_columns
    from mlp.io import load
    from mlp.metrics import accuracy, confusion_matrix, format_confusion_matrix

    net = load(args.model)
    _check_mnist_shape(net, args.model, args.dataset)
    images, labels = LOADERS[args.dataset]("test", directory=args.data_dir)
    if args.limit is not None:
        images, labels = images[: args.limit], labels[: args.limit]
    predictions = net.predict(to_columns(images).astype(net.dtype))
    print(f"{net} from {args.model}")
    print(
        f"Test accuracy: {accuracy(labels, predictions):.2%} "
        f"({np.count_nonzero(predictions == labels):,} of {labels.size:,})"
    )
    what = "digit" if args.dataset == "mnist" else "class"
    print(f"Confusion matrix (rows: true {what}, columns: predicted {what}):")
    print(format_confusion_matrix(confusion_matrix(labels, predictions)))
    return 0


def command_predict(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from mlp.images import read_digit
    from mlp.io import load

    net = load(args.model)
    _check_mnist_shape(net, args.model)
    column = read_digit(args.image)
    if args.preview is not None:
        import matplotlib.image

        matplotlib.image.imsave(args.preview, column.reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
    outputs = net.feedforward(column.astype(net.dtype))
    if net.output_activation == "softmax":
        probabilities, what = outputs, "probabilities (softmax outputs)"
    else:
        probabilities = outputs / outputs.sum()
        what = "probabilities (sigmoid outputs scaled to sum to 1)"
    digit = int(np.argmax(outputs))
    print(f"Predicted digit: {digit}")
    print(f"{what}:")
    for d, p in enumerate(probabilities):
        print(f"  {d}: {p:6.1%} {'#' * int(round(float(p) * 40))}")
    return 0


def _check_mnist_shape(net, path: Path, dataset: str = "mnist") -> None:
    if net.sizes[0] != 784 or net.sizes[-1] != 10:
        raise ValueError(
            f"{path}: the network has sizes {net.sizes}; {_NAMES[dataset]} needs 784 inputs "
            "and 10 outputs"
        )


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------

COMMANDS = {"train": command_train, "evaluate": command_evaluate, "predict": command_predict}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 success, 1 error, 2 bad arguments)."""
    from mlp.data import DataError
    from mlp.io import ModelFileError
    from mlp.train import TrainingDiverged

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args, parser)
    except (DataError, ModelFileError, TrainingDiverged, ValueError, OSError) as exc:
        print(f"mlp {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\nmlp {args.command}: interrupted", file=sys.stderr)
        return 130
