"""Time one epoch of mini-batch SGD: mlp, the book's per-example loop, and PyTorch on the CPU.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_epoch.py                 # BLAS threads: all cores
    .venv/bin/python benchmarks/bench_epoch.py --threads 1     # one thread everywhere
    .venv/bin/python benchmarks/bench_epoch.py --markdown      # the table for README.md

For each network (784-30-10 at mini-batch 10, 784-100-10 and 784-800-10 at mini-batch
100, all sigmoid with the quadratic cost, float32, plain SGD) it times one epoch over
50,000 images:

- ``mlp``: ``mlp.train.sgd``, shuffle included, no evaluation; the second of two epochs
  is timed (the first also pays for allocating the buffers), and likewise for PyTorch;
- ``per-example``: Nielsen's ``update_mini_batch`` loop, a backprop per example
  (``Network.backprop_per_example``) then the update; timed on ``--loop-batches``
  mini-batches and scaled up to an epoch, because a whole epoch takes minutes;
- ``torch``: the same network as ``nn.Sequential`` with ``torch.optim.SGD``, same dtype,
  mini-batch, learning rate and thread count, if PyTorch is installed (it is not a
  dependency of the course: ``pip install torch`` to include it).

It also measures the peak memory (maximum resident set size) of a separate process that
loads MNIST and trains 784-800-10 for one epoch with ``mlp``. Other programs running at the
same time slow everything down: the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import sys

# The number of BLAS threads must be fixed before NumPy (or PyTorch) is imported.
_parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
_parser.add_argument(
    "--threads",
    type=int,
    default=os.cpu_count(),
    help="BLAS / PyTorch threads (default: all cores)",
)
_parser.add_argument(
    "--loop-batches",
    type=int,
    default=300,
    help="mini-batches timed for the per-example loop (default 300)",
)
_parser.add_argument("--no-torch", action="store_true", help="skip PyTorch")
_parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
_parser.add_argument("--rss-child", action="store_true", help=argparse.SUPPRESS)
ARGS = _parser.parse_args()
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = str(ARGS.threads)

import platform  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from mlp import Network  # noqa: E402
from mlp.train import sgd  # noqa: E402

CONFIGS = [([784, 30, 10], 10, 3.0), ([784, 100, 10], 100, 3.0), ([784, 800, 10], 100, 3.0)]
N_TRAIN = 50_000


def training_data() -> tuple[np.ndarray, np.ndarray, str]:
    """MNIST's 50,000 training images if they are on disk, else random ones of that size."""
    try:
        from mlp.data import load_data

        training, _, _ = load_data(download=False, progress=False)
        return training[0], training[1], "MNIST"
    except (OSError, ValueError):
        rng = np.random.default_rng(0)
        x = np.asfortranarray(rng.random((784, N_TRAIN), dtype=np.float32))
        return x, rng.integers(0, 10, N_TRAIN).astype(np.uint8), "random"


def time_mlp(sizes: list[int], batch_size: int, eta: float, data) -> float:
    """The second of two epochs of ``mlp.train.sgd`` (the first also allocates buffers)."""
    net = Network(sizes, seed=0)
    history = sgd(net, data, 2, batch_size, eta, seed=0, progress=False, verbose=False)
    return history.epoch_seconds[1]


def time_per_example(sizes: list[int], batch_size: int, eta: float, data, batches: int) -> float:
    """Nielsen's update_mini_batch: backprop one example at a time, then one update."""
    from mlp.data import one_hot

    net = Network(sizes, seed=0)
    x, labels = data
    y = one_hot(labels[: batches * batch_size])
    net.backprop_per_example(x[:, :batch_size], y[:, :batch_size])  # warm-up
    start = time.perf_counter()
    for k in range(0, batches * batch_size, batch_size):
        nabla_b, nabla_w = net.backprop_per_example(
            x[:, k : k + batch_size], y[:, k : k + batch_size]
        )
        net.weights = [w - eta * nw for w, nw in zip(net.weights, nabla_w, strict=True)]
        net.biases = [b - eta * nb for b, nb in zip(net.biases, nabla_b, strict=True)]
    seconds = time.perf_counter() - start
    return seconds * (len(labels) / batch_size) / batches


def time_torch(sizes: list[int], batch_size: int, eta: float, data) -> float:
    import torch

    torch.set_num_threads(ARGS.threads)
    torch.manual_seed(0)
    layers: list[torch.nn.Module] = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        layers += [torch.nn.Linear(n_in, n_out), torch.nn.Sigmoid()]
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=eta)
    x = torch.from_numpy(np.ascontiguousarray(data[0].T))  # (n, 784): PyTorch's layout
    y = torch.nn.functional.one_hot(torch.from_numpy(data[1].astype(np.int64)), 10).float()

    def epoch(n: int) -> None:
        order = torch.randperm(n)
        xs, ys = x[order], y[order]  # one gather per epoch, as mlp does
        for k in range(0, n, batch_size):
            xb, yb = xs[k : k + batch_size], ys[k : k + batch_size]
            optimizer.zero_grad()
            loss = 0.5 * torch.nn.functional.mse_loss(model(xb), yb, reduction="sum") / len(xb)
            loss.backward()
            optimizer.step()

    epoch(len(x))  # the first epoch, as for mlp, is not timed
    start = time.perf_counter()
    epoch(len(x))
    return time.perf_counter() - start


def peak_rss_child() -> None:
    """Run in a fresh process: load MNIST, train 784-800-10 for one epoch, print peak RSS."""
    x, labels, _ = training_data()
    net = Network([784, 800, 10], seed=0)
    sgd(net, (x, labels), 1, 100, 3.0, progress=False, verbose=False)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # kilobytes on Linux


def main() -> None:
    if ARGS.rss_child:
        peak_rss_child()
        return
    load_before = os.getloadavg()
    x, labels, source = training_data()
    data = (x, labels)
    try:
        if ARGS.no_torch:
            raise ImportError
        import torch

        torch_version = torch.__version__
    except ImportError:
        torch_version = None

    rows = []
    for sizes, batch_size, eta in CONFIGS:
        name = "-".join(map(str, sizes))
        t_mlp = time_mlp(sizes, batch_size, eta, data)
        t_loop = time_per_example(sizes, batch_size, eta, data, ARGS.loop_batches)
        t_torch = time_torch(sizes, batch_size, eta, data) if torch_version else None
        rows.append((name, batch_size, t_mlp, t_loop, t_torch))
        print(
            f"  {name} batch {batch_size}: mlp {t_mlp:.2f} s, per-example {t_loop:.1f} s"
            + (f", torch {t_torch:.2f} s" if t_torch else ""),
            file=sys.stderr,
        )

    rss = subprocess.run(
        [sys.executable, __file__, "--rss-child", "--threads", str(ARGS.threads)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-1]
    load_after = os.getloadavg()

    print(
        f"One epoch of SGD over {N_TRAIN:,} {source} images, float32, sigmoid + quadratic "
        f"cost; {ARGS.threads} BLAS/PyTorch thread(s) on {os.cpu_count()} cores "
        f"({platform.processor() or platform.machine()})."
    )
    print(
        f"NumPy {np.__version__}, PyTorch {torch_version or 'not installed'}, "
        f"Python {platform.python_version()}. Load average before "
        f"{load_before[0]:.2f}, after {load_after[0]:.2f} (1 min)."
    )
    print()
    header = ["network", "mini-batch", "mlp (s)", "per-example loop (s)", "loop / mlp"]
    if torch_version:
        header += ["PyTorch (s)", "PyTorch / mlp"]
    if ARGS.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join(["---"] * len(header)) + "|")
    else:
        print("  ".join(f"{h:>20}" for h in header))
    for name, batch_size, t_mlp, t_loop, t_torch in rows:
        cells = [name, str(batch_size), f"{t_mlp:.2f}", f"{t_loop:.1f}", f"{t_loop / t_mlp:.0f}x"]
        if torch_version:
            cells += [f"{t_torch:.2f}", f"{t_torch / t_mlp:.1f}x"]
        if ARGS.markdown:
            print("| " + " | ".join(cells) + " |")
        else:
            print("  ".join(f"{c:>20}" for c in cells))
    print()
    print(
        f"Peak resident memory, loading MNIST and training 784-800-10 for one epoch "
        f"with mlp: {int(rss) / 1024:.0f} MiB."
    )


if __name__ == "__main__":
    main()
