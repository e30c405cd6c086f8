"""A tiny text progress bar, used by downloads and by training.

It writes to standard error on one line, redrawing with a carriage return, so it works in
a terminal and in a Jupyter notebook alike without any extra dependency.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Show how far a task has gone: ``[#####.....] 50% 5/10 label``.

    Parameters
    ----------
    total : int
        Number of steps (or bytes) that make the whole task; 0 if unknown.
    label : str
        Short text printed after the bar.
    width : int
        Characters in the bar itself.
    stream : file-like, optional
        Where to write; ``sys.stderr`` by default.
    enabled : bool
        ``False`` turns the bar into a no-op (quiet mode, tests).
    min_interval : float
        Seconds between two redraws, so a fast loop is not slowed by printing.
    """

    def __init__(
        self,
        total: int,
        label: str = "",
        width: int = 30,
        stream: TextIO | None = None,
        enabled: bool = True,
        min_interval: float = 0.1,
    ) -> None:
        self.total = int(total)
        self.label = label
        self.width = width
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.min_interval = min_interval
        self.count = 0
        self._last_draw = 0.0

    def update(self, steps: int = 1) -> None:
        """Advance by ``steps`` and redraw if enough time has passed."""
        self.count += steps
        if not self.enabled:
            return  # quiet: not even a clock reading (this runs once per mini-batch)
        now = time.monotonic()
        if now - self._last_draw >= self.min_interval:
            self._last_draw = now
            self._draw()

    def close(self) -> None:
        """Draw the final state and end the line."""
        if self.enabled:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self) -> None:
        if self.total > 0:
            fraction = min(self.count / self.total, 1.0)
            filled = int(round(fraction * self.width))
            bar = "#" * filled + "." * (self.width - filled)
            text = f"\r[{bar}] {fraction:4.0%} {self.count}/{self.total} {self.label}"
        else:
            text = f"\r{self.count} {self.label}"
        self.stream.write(text)
        self.stream.flush()

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
