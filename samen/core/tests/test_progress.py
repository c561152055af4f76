"""The progress bar: in place on a terminal, a line per tenth elsewhere, silent when disabled."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management.base import OutputWrapper

from samen.core.progress import Progress, format_duration


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_terminal_gets_one_line_redrawn_in_place():
    stream, clock = Terminal(), Clock()
    with Progress(1000, stream=stream, label="Households", clock=clock) as progress:
        for _ in range(4):
            clock.now += 1
            progress.advance(250)
    text = stream.getvalue()
    assert text.count("\r") == 5  # four updates and the final state
    assert text.endswith("\n") and text.count("\n") == 1
    first = text.split("\r")[1]
    assert "25%" in first and "250/1,000" in first and "250/s" in first and "ETA 0:00:03" in first
    assert "100%" in text.split("\r")[-1] and "1,000/1,000" in text


def test_a_terminal_is_not_redrawn_more_often_than_the_interval():
    stream, clock = Terminal(), Clock()
    progress = Progress(100, stream=stream, clock=clock, min_interval=0.5)
    for _ in range(99):
        clock.now += 0.01
        progress.advance()
    assert stream.getvalue().count("\r") == 2  # the first update, and one half a second later


def test_a_log_gets_a_line_per_tenth():
    stream, clock = StringIO(), Clock()
    with Progress(1000, stream=stream, unit="households", clock=clock) as progress:
        for _ in range(100):
            clock.now += 0.1
            progress.advance(10)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 10
    assert [line.split("|")[2].split("%")[0].strip() for line in lines] == [str(p) for p in range(10, 101, 10)]
    assert "1,000/1,000 households" in lines[-1] and "\r" not in stream.getvalue()


def test_a_log_gets_a_final_line_even_for_a_single_big_step_or_nothing_to_do():
    stream = StringIO()
    with Progress(0, stream=stream):
        pass
    assert stream.getvalue().count("\n") == 1 and "100%" in stream.getvalue()


def test_disabled_writes_nothing():
    stream = Terminal()
    with Progress(10, stream=stream, enabled=False) as progress:
        progress.advance(10)
    assert stream.getvalue() == ""


def test_a_django_output_wrapper_is_written_through_without_extra_newlines():
    inner = StringIO()
    with Progress(10, stream=OutputWrapper(inner), interactive=True) as progress:
        progress.advance(5)
    assert inner.getvalue().count("\n") == 1


def test_an_error_ends_the_open_line_so_the_traceback_starts_on_its_own():
    stream = Terminal()
    with pytest.raises(RuntimeError), Progress(10, stream=stream) as progress:
        progress.advance(3)
        raise RuntimeError
    assert stream.getvalue().endswith("\n") and "100%" not in stream.getvalue()


def test_durations():
    assert format_duration(7) == "0:00:07"
    assert format_duration(3723) == "1:02:03"
    assert format_duration(float("inf")) == "--:--:--"
