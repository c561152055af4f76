"""A small progress bar for long-running commands (the demo generator, imports, exports).

On a terminal it redraws one line in place::

    Households |############------------------|  40%  40,000/100,000, 1,520/s, ETA 0:00:39

Anywhere else (a log file, CI, a pipe) it prints that line only when another tenth is done, so a
log gets at most ten lines. Usage::

    with Progress(total, stream=self.stderr, label="Households", enabled=verbosity > 0) as progress:
        for batch in batches:
            ...
            progress.advance(len(batch))
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO


def format_duration(seconds: float) -> str:
    """``0:00:07``, ``1:02:03``; ``--:--:--`` when unknown."""
    if seconds != seconds or seconds == float("inf") or seconds < 0:  # NaN, infinite, negative
        return "--:--:--"
    whole = int(seconds + 0.5)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


class Progress:
    """Progress of ``total`` units of work, written to ``stream`` (normally stderr).

    ``interactive`` defaults to whether the stream is a terminal. ``enabled=False`` writes nothing,
    for ``--quiet`` or verbosity 0. ``clock`` is injectable for tests.
    """

    BAR_WIDTH = 30
    STEPS = 10  # lines printed when not interactive: one per tenth

    def __init__(
        self,
        total: int,
        *,
        stream: TextIO | None = None,
        label: str = "Progress",
        unit: str = "",
        enabled: bool = True,
        interactive: bool | None = None,
        min_interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # A Django OutputWrapper appends a newline to every write; write to the stream it wraps.
        self.stream = getattr(stream, "_out", stream)
        self.total = max(0, int(total))
        self.label = label
        self.unit = unit
        self.enabled = enabled and self.stream is not None
        if interactive is None:
            isatty = getattr(self.stream, "isatty", None)
            interactive = bool(isatty and isatty())
        self.interactive = interactive
        self.min_interval = min_interval
        self.clock = clock
        self.done = 0
        self.started = clock()
        self._last_draw = float("-inf")
        self._last_step = 0
        self._finished = False
        self._line_open = False

    # --- counting ---------------------------------------------------------------------------
    def advance(self, amount: int = 1) -> None:
        self.done = min(self.total, self.done + amount) if self.total else self.done + amount
        if not self.enabled:
            return
        if self.interactive:
            now = self.clock()
            if now - self._last_draw >= self.min_interval or self.done >= self.total:
                self._last_draw = now
                self._write("\r" + self.render() + "\x1b[K")
                self._line_open = True
        else:
            step = self.done * self.STEPS // self.total if self.total else self.STEPS
            if step > self._last_step:
                self._last_step = step
                self._write(self.render() + "\n")

    def finish(self) -> None:
        """Show the final state (once) and end the line."""
        if self._finished:
            return
        self._finished = True
        if not self.enabled:
            return
        if self.interactive:
            self._write("\r" + self.render() + "\x1b[K\n")
        elif self._last_step < self.STEPS or self.total == 0:
            self._last_step = self.STEPS
            self._write(self.render() + "\n")
        self._line_open = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.finish()
        elif self.enabled and self._line_open:
            self._write("\n")  # let the traceback start on a line of its own

    # --- showing ----------------------------------------------------------------------------
    @property
    def fraction(self) -> float:
        return 1.0 if self.total == 0 else self.done / self.total

    @property
    def rate(self) -> float:
        elapsed = self.clock() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def eta(self) -> float:
        remaining = self.total - self.done
        if remaining <= 0:
            return 0.0
        rate = self.rate
        return remaining / rate if rate > 0 else float("inf")

    def render(self) -> str:
        filled = int(self.BAR_WIDTH * self.fraction)
        bar = "#" * filled + "-" * (self.BAR_WIDTH - filled)
        unit = f" {self.unit}" if self.unit else ""
        return (
            f"{self.label} |{bar}| {int(self.fraction * 100):3d}%  "
            f"{self.done:,}/{self.total:,}{unit}, {self.rate:,.0f}/s, ETA {format_duration(self.eta())}"
        )

    def _write(self, text: str) -> None:
        self.stream.write(text)
        flush = getattr(self.stream, "flush", None)
        if flush is not None:
            flush()
