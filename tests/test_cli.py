"""The command line ``python -m mlp``: train, evaluate, predict, and clear argument errors.

Training uses the hidden option ``--limit N`` (the first N images of each set), so that it
takes a second or two on the real MNIST files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import matplotlib.image
import numpy as np
import pytest

from mlp import load
from mlp.cli import main
from mlp.data import load_mnist
from mlp.images import image_to_column


@pytest.fixture(scope="module")
def trained(tmp_path_factory, mnist_dir):
    """Train once for the module: (json path, model path, captured output)."""
    folder = tmp_path_factory.mktemp("cli")
    arguments = [
        "train", "--sizes", "784,30,10", "--epochs", "2", "--batch-size", "10", "--eta", "3.0",
        "--cost", "quadratic", "--activation", "sigmoid", "--seed", "1", "--limit", "1000",
        "--json", str(folder / "out.json"), "--save", str(folder / "net.npz"),
        "--data-dir", str(mnist_dir),
    ]  # fmt: skip
    return folder / "out.json", folder / "net.npz", arguments


def test_train_writes_json_and_model(trained, capsys):
    json_path, model_path, arguments = trained
    assert main(arguments) == 0
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out and "Best test accuracy" in out
    record = json.loads(json_path.read_text())
    for key in (
        "validation_accuracy",
        "test_accuracy",
        "epoch_seconds",
        "validation_cost",
        "test_cost",
        "eta",
    ):
        assert len(record[key]) == 2, key
    assert record["config"]["sizes"] == [784, 30, 10] and record["config"]["eta"] == 3.0
    assert record["config"]["limit"] == 1000
    assert 0.5 < record["best_test_accuracy"] <= 1
    net = load(model_path)
    assert net.sizes == [784, 30, 10]


def test_evaluate_prints_accuracy_and_confusion_matrix(trained, capsys, mnist_dir):
    _, model_path, _ = trained
    assert main(["evaluate", str(model_path), "--data-dir", str(mnist_dir), "--limit", "500"]) == 0
    out = capsys.readouterr().out
    assert "Test accuracy:" in out and "of 500)" in out
    rows = [line for line in out.splitlines() if line.strip()[:1].isdigit()]
    assert len(rows) == 10
    assert sum(int(v) for row in rows for v in row.split()[1:]) == 500


def test_train_and_evaluate_on_fashion_mnist(tmp_path, capsys, fashion_dir, mnist_dir):
    """--dataset fashion-mnist trains on clothes: the network is good at them, not at digits."""
    arguments = [
        "train", "--dataset", "fashion-mnist", "--sizes", "784,30,10", "--epochs", "3",
        "--batch-size", "10", "--eta", "0.5", "--cost", "cross_entropy", "--init",
        "scaled_normal", "--seed", "1", "--limit", "1000", "--data-dir", str(fashion_dir),
        "--json", str(tmp_path / "out.json"), "--save", str(tmp_path / "net.npz"),
    ]  # fmt: skip
    assert main(arguments) == 0
    assert "training on 1,000 images" in capsys.readouterr().out
    record = json.loads((tmp_path / "out.json").read_text())
    assert record["config"]["dataset"] == "fashion-mnist"
    assert 0.6 < record["best_test_accuracy"] < 0.9  # well above chance, below MNIST's

    model = str(tmp_path / "net.npz")
    evaluate = ["evaluate", model, "--limit", "1000"]
    assert main([*evaluate, "--dataset", "fashion-mnist", "--data-dir", str(fashion_dir)]) == 0
    out = capsys.readouterr().out
    assert "rows: true class, columns: predicted class" in out
    on_fashion = float(out.split("Test accuracy: ")[1].split("%")[0])
    assert abs(on_fashion / 100 - record["test_accuracy"][-1]) < 1e-9  # the same 1,000 images
    assert main([*evaluate, "--data-dir", str(mnist_dir)]) == 0  # MNIST, the default
    on_digits = float(capsys.readouterr().out.split("Test accuracy: ")[1].split("%")[0])
    assert on_digits < 40 < on_fashion


def mnist_like_photo(image: np.ndarray) -> np.ndarray:
    """An MNIST digit as a photo might show it: dark ink on light paper, larger, RGB."""
    big = np.kron(image / 255.0, np.ones((4, 4)))  # 112 x 112
    paper = np.pad(1.0 - big, ((30, 10), (5, 40)), constant_values=1.0)
    return np.repeat(paper[:, :, None], 3, axis=2)


def test_image_to_column_recovers_an_mnist_digit(mnist_dir):
    """MNIST's own recipe (20 x 20 box, centre of mass in the middle) is undone exactly."""
    images, _ = load_mnist("test", directory=mnist_dir, progress=False)
    for image in images[:20]:
        column = image_to_column(mnist_like_photo(image))
        assert column.shape == (784,) and column.dtype == np.float32
        assert 0 <= column.min() and column.max() <= 1
        original = image.reshape(784) / 255.0
        assert np.corrcoef(column, original)[0, 1] > 0.99


def test_image_to_column_handles_transparency_and_grey():
    digit = np.zeros((50, 30))
    digit[5:45, 12:18] = 1.0  # a "1"
    rgba = np.zeros((50, 30, 4))
    rgba[..., 3] = digit  # black strokes on a transparent background
    for picture in (rgba, digit, 1 - digit):
        column = image_to_column(picture).reshape(28, 28)
        rows = np.flatnonzero(column.max(axis=1) > 0.5)
        assert rows[-1] - rows[0] + 1 == 20  # the longer side is scaled to 20 pixels
        assert abs(np.average(np.arange(28), weights=column.sum(axis=0)) - 14) <= 0.5
    with pytest.raises(ValueError, match="blank"):
        image_to_column(np.ones((10, 10)))


def test_predict_reads_a_png(trained, tmp_path, capsys, mnist_dir):
    _, model_path, _ = trained
    images, labels = load_mnist("test", directory=mnist_dir, progress=False)
    png = tmp_path / "digit.png"
    matplotlib.image.imsave(png, mnist_like_photo(images[0]))
    preview = tmp_path / "preview.png"
    assert main(["predict", str(model_path), str(png), "--preview", str(preview)]) == 0
    out = capsys.readouterr().out
    assert "Predicted digit:" in out
    assert len([line for line in out.splitlines() if "%" in line]) == 10
    assert preview.is_file()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["train", "--sizes", "784,x,10"], "is not a list of layer sizes"),
        (["train", "--sizes", "784"], "is not a list of layer sizes"),
        (["train", "--sizes", "100,30,10"], "MNIST needs 784 inputs and 10 outputs"),
        (["train", "--eta", "-1"], "-1 is out of range: the value should be a number in (0, inf)"),
        (["train", "--momentum", "1.5"], "should be a number in [0, 1)"),
        (["train", "--eta", "fast"], "'fast' is not a number"),
        (["train", "--epochs", "2.5"], "'2.5' is not a whole number"),
        (["train", "--dropout", "1"], "1 is out of range: the value should be a number in [0, 1)"),
        (["train", "--schedule", "cosine"], "invalid choice: 'cosine'"),
        (["train", "--regularization", "l3"], "invalid choice: 'l3'"),
        (["train", "--activation", "swish"], "invalid choice: 'swish'"),
        (["train", "--cost", "mse"], "invalid choice: 'mse'"),
        (["train", "--optimizer", "lbfgs"], "invalid choice: 'lbfgs'"),
        (["train", "--dataset", "kmnist"], "invalid choice: 'kmnist'"),
        (["evaluate", "net.npz", "--dataset", "cifar"], "invalid choice: 'cifar'"),
        (
            ["train", "--dataset", "fashion-mnist", "--sizes", "784,30,9"],
            "Fashion-MNIST needs 784 inputs and 10 outputs",
        ),
        (["fly"], "invalid choice: 'fly'"),
        ([], "required"),
    ],
)
def test_bad_arguments_are_explained_without_a_traceback(arguments, message, capsys):
    with pytest.raises(SystemExit) as info:
        main(arguments)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_bad_files_give_a_one_line_error(tmp_path, capsys):
    assert main(["evaluate", str(tmp_path / "missing.npz")]) == 1
    assert "missing.npz: no such file" in capsys.readouterr().err
    junk = tmp_path / "junk.npz"
    junk.write_text("junk")
    assert main(["predict", str(junk), str(junk)]) == 1
    assert "junk.npz: not a model saved by mlp.save" in capsys.readouterr().err


def test_predict_with_a_bad_image(trained, tmp_path, capsys):
    _, model_path, _ = trained
    junk = tmp_path / "junk.png"
    junk.write_text("junk")
    assert main(["predict", str(model_path), str(junk)]) == 1
    assert "junk.png: cannot read this image" in capsys.readouterr().err


def test_predict_names_the_file_of_a_blank_image(trained, tmp_path, capsys):
    _, model_path, _ = trained
    blank = tmp_path / "blank.png"
    matplotlib.image.imsave(blank, np.ones((40, 40, 3)))
    assert main(["predict", str(model_path), str(blank)]) == 1
    assert f"{blank}: no digit found: the image is blank" in capsys.readouterr().err


def unwritable_places(tmp_path):
    """Save paths that cannot be written: under a file, and a folder."""
    a_file = tmp_path / "a_file"
    a_file.write_text("not a folder")
    return [a_file / "net.npz", a_file / "deeper" / "net.npz", tmp_path]


@pytest.mark.parametrize("option", ["--save", "--json"])
def test_train_refuses_an_unwritable_output_before_training(tmp_path, capsys, option, mnist_dir):
    for place in unwritable_places(tmp_path):
        arguments = ["train", "--epochs", "1", "--limit", "100", "--data-dir", str(mnist_dir)]
        assert main([*arguments, option, str(place)]) == 1
        out, err = capsys.readouterr()
        assert "Epoch" not in out, "it trained before finding out"
        assert str(place) in err and ("is a file, not a folder" in err or "is a folder" in err)


def test_train_does_not_replace_a_read_only_file(tmp_path, capsys, monkeypatch, mnist_dir):
    model = tmp_path / "net.npz"
    model.write_text("keep me")
    model.chmod(0o444)
    if os.access(model, os.W_OK):  # root may write anyway: act as a user who may not
        real_access = os.access
        monkeypatch.setattr(
            "mlp.io.os.access", lambda p, mode: False if Path(p) == model else real_access(p, mode)
        )
    arguments = ["train", "--epochs", "1", "--limit", "100", "--data-dir", str(mnist_dir)]
    assert main([*arguments, "--save", str(model)]) == 1
    assert "the file is read-only" in capsys.readouterr().err
    assert model.read_text() == "keep me"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in a read-only folder")
def test_train_refuses_a_read_only_folder(tmp_path, capsys, mnist_dir):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    arguments = ["train", "--epochs", "1", "--limit", "100", "--data-dir", str(mnist_dir)]
    assert main([*arguments, "--save", str(folder / "net.npz")]) == 1
    assert "no permission to write" in capsys.readouterr().err


def test_python_dash_m_and_help():
    result = subprocess.run([sys.executable, "-m", "mlp", "train", "--help"],
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0
    assert "--lmbda" in result.stdout and "recipes" in result.stdout
    assert "95.42%" in result.stdout
    assert "--limit" not in result.stdout
