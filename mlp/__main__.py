"""The command line: ``python -m mlp train | evaluate | predict`` (or just ``mlp ...``).

Examples
--------
Chapter 1 of Nielsen's book (about 95% on the test images)::

    python -m mlp train --sizes 784,30,10 --epochs 30 --batch-size 10 --eta 3.0 \\
        --cost quadratic --activation sigmoid --seed 1 --json out.json --save net.npz
    python -m mlp evaluate net.npz
    python -m mlp predict net.npz my_digit.png

``python -m mlp train --help`` lists every option and the recipes of chapter 3 and of the
best network of the course.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from mlp.activations import ACTIVATIONS
from mlp.costs import COSTS
from mlp.init import INITS
from mlp.optim import OPTIMIZERS

RECIPES = """\
recipes (seed 1; times on 2 shared cores with OPENBLAS_NUM_THREADS=1; the book's result
in brackets; more in benchmarks/README.md):
  chapter 1: best test accuracy 95.1% in 9 s [95.42%]
    mlp train --sizes 784,30,10 --epochs 30 --batch-size 10 --eta 3.0 \\
        --cost quadratic --activation sigmoid --seed 1
  chapter 3: 97.8-97.9% in 15 s [97.92% on the validation data]
    mlp train --sizes 784,100,10 --epochs 30 --batch-size 10 --eta 0.5 \\
        --cost cross_entropy --lmbda 5.0 --init scaled_normal --seed 1
  the best recipe: 98.9% in 70 s (ReLU, He initialisation, softmax, momentum, dropout,
  images shifted by up to a pixel, learning rate decaying by 10% an epoch)
    mlp train --sizes 784,800,10 --activation relu --init he --cost log_likelihood \\
        --optimizer momentum --eta 0.05 --momentum 0.9 --batch-size 100 --dropout 0.3 \\
        --augment shift --schedule exponential --gamma 0.9 --epochs 30 --seed 1
  99.0% in 4.5 min: the same with --sizes 784,1024,1024,10

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


def _number(kind: type, low: float, low_open: bool = False, high: float | None = None):
    """An argparse type for numbers of ``kind`` in ``[low, high)`` (or ``(low, ...)``)."""

    def convert(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not {'a whole number' if kind is int else 'a number'}"
            ) from None
        if not np.isfinite(value) or value < low or (low_open and value == low):
            bound = f"greater than {low}" if low_open else f"at least {low}"
            raise argparse.ArgumentTypeError(f"{text} is out of range: it must be {bound}")
        if high is not None and value >= high:
            raise argparse.ArgumentTypeError(f"{text} is out of range: it must be below {high}")
        return value

    convert.__name__ = kind.__name__  # argparse names the type in its messages
    return convert


_positive_int = _number(int, 1)
_nonnegative_int = _number(int, 0)
_positive_float = _number(float, 0, low_open=True)
_nonnegative_float = _number(float, 0)
_probability = _number(float, 0, high=1)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with its three sub-commands."""
    parser = argparse.ArgumentParser(
        prog="mlp",
        description="Train, evaluate and use a multilayer perceptron on MNIST (NumPy only).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    train = commands.add_parser(
        "train",
        help="train a network on MNIST",
        description="Train a network on Nielsen's split of MNIST: the first 50,000 training\n"
        "images, with the last 10,000 for validation; the test images are measured after\n"
        "every epoch. The defaults are chapter 1's experiment.",
        epilog=RECIPES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    net = train.add_argument_group("the network")
    net.add_argument(
        "--sizes",
        type=_sizes,
        default=[784, 30, 10],
        help="neurons per layer, input first (default 784,30,10)",
    )
    net.add_argument(
        "--activation",
        choices=list(ACTIVATIONS),
        default="sigmoid",
        help="hidden-layer activation (default sigmoid)",
    )
    net.add_argument(
        "--cost",
        choices=list(COSTS),
        default="quadratic",
        help="cost; log_likelihood uses a softmax output layer (default quadratic)",
    )
    net.add_argument(
        "--init",
        choices=list(INITS),
        default=None,
        help="weight initialisation: normal N(0,1) (ch1, the default), "
        "scaled_normal N(0,1/n_in) (ch3), he N(0,2/n_in) (for relu)",
    )
    sgd = train.add_argument_group("gradient descent")
    sgd.add_argument("--epochs", type=_nonnegative_int, default=30, help="default 30")
    sgd.add_argument("--batch-size", type=_positive_int, default=10, help="default 10")
    sgd.add_argument("--eta", type=_positive_float, default=3.0, help="learning rate (default 3.0)")
    sgd.add_argument("--optimizer", choices=list(OPTIMIZERS), default="sgd", help="default sgd")
    sgd.add_argument(
        "--momentum",
        type=_probability,
        default=0.9,
        dest="mu",
        help="momentum coefficient mu (default 0.9)",
    )
    sgd.add_argument("--beta1", type=_probability, default=0.9, help="Adam's beta1 (0.9)")
    sgd.add_argument(
        "--beta2", type=_probability, default=0.999, help="Adam's and RMSProp's beta2 (0.999)"
    )
    sgd.add_argument(
        "--schedule",
        choices=["halve", "step", "exponential"],
        default=None,
        help="learning-rate schedule: halve (Nielsen ch3: halve eta after "
        "--patience epochs without improvement, stop at 1/128), step (times "
        "--gamma every --step-size epochs), exponential (times --gamma every epoch)",
    )
    sgd.add_argument("--patience", type=_positive_int, default=10, help="for halve (10)")
    sgd.add_argument(
        "--gamma",
        type=_positive_float,
        default=None,
        help="factor for step (0.5) and exponential (0.9)",
    )
    sgd.add_argument("--step-size", type=_positive_int, default=10, help="for step (10)")
    sgd.add_argument(
        "--early-stopping",
        type=_positive_int,
        default=None,
        metavar="N",
        help="stop after N epochs without better validation accuracy",
    )
    regular = train.add_argument_group("regularisation")
    regular.add_argument(
        "--lmbda",
        type=_nonnegative_float,
        default=0.0,
        help="regularisation strength lambda (default 0: none)",
    )
    regular.add_argument(
        "--regularization",
        choices=["l2", "l1"],
        default="l2",
        help="which penalty --lmbda weighs (default l2)",
    )
    regular.add_argument(
        "--dropout",
        type=_probability,
        default=0.0,
        help="probability of dropping a hidden neuron (default 0)",
    )
    regular.add_argument(
        "--augment",
        choices=["shift", "expand"],
        default=None,
        help="shift: move each image by up to one pixel, afresh every epoch; "
        "expand: Nielsen's five-fold expansion by one-pixel shifts",
    )
    run = train.add_argument_group("input and output")
    run.add_argument("--seed", type=int, default=None, help="random seed (weights, shuffling)")
    run.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="folder with the MNIST files (default $MNIST_DIR or data/)",
    )
    run.add_argument(
        "--json",
        type=Path,
        default=None,
        metavar="FILE",
        help="write the configuration and per-epoch history as JSON",
    )
    run.add_argument(
        "--save", type=Path, default=None, metavar="FILE", help="save the trained network (.npz)"
    )
    run.add_argument(
        "--monitor-training",
        action="store_true",
        help="also measure cost and accuracy on the training data every epoch",
    )
    run.add_argument("--quiet", action="store_true", help="no progress bar or epoch lines")
    # Train and measure on the first N images of each set only (quick tests).
    run.add_argument("--limit", type=_positive_int, default=None, help=argparse.SUPPRESS)

    evaluate = commands.add_parser(
        "evaluate", help="test accuracy and confusion matrix of a saved network"
    )
    evaluate.add_argument("model", type=Path, metavar="NET.npz")
    evaluate.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="folder with the MNIST files (default $MNIST_DIR or data/)",
    )
    evaluate.add_argument("--limit", type=_positive_int, default=None, help=argparse.SUPPRESS)

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
            f"--sizes {','.join(map(str, args.sizes))}: MNIST needs 784 inputs and 10 outputs, "
            "e.g. 784,30,10"
        )
    config = {
        key: (str(value) if isinstance(value, Path) else value)
        for key, value in vars(args).items()
        if key not in ("command", "quiet")
    }
    start = time.perf_counter()
    training, validation, test = load_data(directory=args.data_dir, progress=not args.quiet)
    if args.limit is not None:
        training, validation, test = (
            (x[:, : args.limit], y[: args.limit]) for x, y in (training, validation, test)
        )
    net = Network(
        args.sizes, activation=args.activation, cost=args.cost, seed=args.seed, init=args.init
    )
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
        lmbda=args.lmbda,
        regularization=args.regularization,
        dropout=args.dropout,
        optimizer=args.optimizer,
        mu=args.mu,
        beta1=args.beta1,
        beta2=args.beta2,
        schedule=args.schedule,
        patience=args.patience,
        gamma=args.gamma,
        step_size=args.step_size,
        early_stopping=args.early_stopping,
        augment=args.augment,
        validation_data=validation,
        test_data=test,
        monitor_training_cost=args.monitor_training,
        monitor_training_accuracy=args.monitor_training,
        seed=args.seed,
        progress=not args.quiet,
        verbose=not args.quiet,
    )
    total = time.perf_counter() - start
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
        record = {**history.to_dict(), **summary, "config": config}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        print(f"Wrote the history to {args.json}")
    return 0


def command_evaluate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from mlp.data import load_mnist, to_columns
    from mlp.io import load
    from mlp.metrics import accuracy, confusion_matrix, format_confusion_matrix

    net = load(args.model)
    _check_mnist_shape(net, args.model)
    images, labels = load_mnist("test", directory=args.data_dir)
    if args.limit is not None:
        images, labels = images[: args.limit], labels[: args.limit]
    predictions = net.predict(to_columns(images).astype(net.dtype))
    print(f"{net} from {args.model}")
    print(
        f"Test accuracy: {accuracy(labels, predictions):.2%} "
        f"({np.count_nonzero(predictions == labels):,} of {labels.size:,})"
    )
    print("Confusion matrix (rows: true digit, columns: predicted digit):")
    print(format_confusion_matrix(confusion_matrix(labels, predictions)))
    return 0


def command_predict(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from mlp.io import load

    net = load(args.model)
    _check_mnist_shape(net, args.model)
    column = image_to_column(read_image(args.image))
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


def _check_mnist_shape(net, path: Path) -> None:
    if net.sizes[0] != 784 or net.sizes[-1] != 10:
        raise ValueError(
            f"{path}: the network has sizes {net.sizes}; MNIST needs 784 inputs and 10 outputs"
        )


# --------------------------------------------------------------------------------------
# Turning a picture into an MNIST-like column
# --------------------------------------------------------------------------------------


def read_image(path: Path) -> np.ndarray:
    """The pixels of an image file as floats, shape ``(height, width[, channels])``.

    PNG files are read by matplotlib itself; other formats need Pillow (which matplotlib
    installs). Integer pixels are scaled to [0, 1].
    """
    import matplotlib.image

    if not Path(path).is_file():
        raise ValueError(f"{path}: no such image file")
    try:
        pixels = np.asarray(matplotlib.image.imread(path))
    except Exception as exc:  # matplotlib and Pillow raise many kinds of errors
        raise ValueError(f"{path}: cannot read this image ({exc})") from None
    if np.issubdtype(pixels.dtype, np.integer):
        pixels = pixels / np.iinfo(pixels.dtype).max
    return pixels.astype(np.float64)


def image_to_column(pixels: np.ndarray) -> np.ndarray:
    """Turn a picture of one digit into a column like MNIST's, shape ``(784,)``.

    MNIST's digits were scaled to fit a 20 x 20 box (keeping their aspect ratio) and
    centred by their centre of mass in a 28 x 28 image, white ink on black. We do the same:

    1. grey levels (for colour, the usual luminance weights; for an image with
       transparency, its opacity: the ink is what is drawn);
    2. inverted if the border is light (dark ink on white paper), so the ink is bright;
    3. background level subtracted and contrast stretched to [0, 1];
    4. cropped to the ink's bounding box, and resized so its longer side is 20 pixels
       (each new pixel the average of the old ones it covers);
    5. pasted into 28 x 28 with its centre of mass in the middle.

    Parameters
    ----------
    pixels : numpy.ndarray
        ``(height, width)``, ``(height, width, 3)`` or ``(height, width, 4)``, values in [0, 1].

    Returns
    -------
    numpy.ndarray
        float32 of shape ``(784,)``, values in [0, 1].
    """
    pixels = np.asarray(pixels, dtype=np.float64)
    if pixels.ndim == 3 and pixels.shape[2] in (3, 4):
        alpha = pixels[..., 3] if pixels.shape[2] == 4 else None
        if alpha is not None and alpha.min() < 0.99:
            ink = alpha
        else:
            ink = pixels[..., :3] @ np.array([0.299, 0.587, 0.114])
    elif pixels.ndim == 2:
        ink = pixels
    else:
        raise ValueError(f"expected a grey or colour image, got an array of shape {pixels.shape}")
    border = np.concatenate([ink[0], ink[-1], ink[:, 0], ink[:, -1]])
    if np.median(border) > 0.5:
        ink, border = 1 - ink, 1 - border
    ink = np.clip(ink - np.median(border), 0, None)
    if ink.max() <= 0.05:
        raise ValueError("no digit found: the image is blank")
    ink /= ink.max()

    rows = np.flatnonzero((ink > 0.1).any(axis=1))
    cols = np.flatnonzero((ink > 0.1).any(axis=0))
    ink = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    scale = 20 / max(ink.shape)
    height = max(1, int(round(ink.shape[0] * scale)))
    width = max(1, int(round(ink.shape[1] * scale)))
    digit = _resize(_resize(ink, height, axis=0), width, axis=1)

    # Centre of mass in pixel indices; MNIST puts it at pixel (14, 14).
    total = digit.sum()
    cy = (digit.sum(axis=1) @ np.arange(height)) / total
    cx = (digit.sum(axis=0) @ np.arange(width)) / total
    top = int(np.clip(round(14 - cy), 0, 28 - height))
    left = int(np.clip(round(14 - cx), 0, 28 - width))
    canvas = np.zeros((28, 28))
    canvas[top : top + height, left : left + width] = digit
    return np.clip(canvas, 0, 1).astype(np.float32).reshape(784)


def _resize(image: np.ndarray, size: int, axis: int) -> np.ndarray:
    """Resample one axis to ``size`` pixels by area averaging (works up and down)."""
    n = image.shape[axis]
    step = n / size
    low = np.arange(size)[:, None] * step  # output pixel i covers [low_i, high_i)
    high = low + step
    j = np.arange(n)[None, :]  # input pixel j covers [j, j + 1)
    weights = np.clip(np.minimum(high, j + 1) - np.maximum(low, j), 0, None) / step
    return np.moveaxis(np.tensordot(weights, image, axes=(1, axis)), 0, axis)


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


if __name__ == "__main__":
    sys.exit(main())
