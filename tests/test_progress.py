"""progress.Progress: a line on a terminal for builds longer than a second, nothing otherwise."""

from __future__ import annotations

import io

from generator.cli.progress import Progress, wanted


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_silent_during_the_first_second_then_a_line_then_erased():
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, enabled=True, clock=clock)
    progress.update("render", 10, 100)
    clock.now += 0.5
    progress.update("render", 20, 100)
    assert stream.getvalue() == ""
    clock.now += 0.6
    progress.update("render", 50, 100)
    assert stream.getvalue() == "\rrender [############............] 50/100 pages  50%\x1b[K"
    progress.close()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_redrawn_at_most_ten_times_a_second_but_always_at_the_end():
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, enabled=True, clock=clock)
    clock.now += 2
    for done in range(1, 51):
        progress.update("render", done, 100)
    assert stream.getvalue().count("\r") == 1
    progress.update("render", 100, 100)
    assert stream.getvalue().count("\r") == 2 and "100/100" in stream.getvalue()


def test_a_quick_build_leaves_nothing_to_erase():
    stream = io.StringIO()
    progress = Progress(stream, enabled=True, clock=Clock())
    progress.update("render", 1, 2)
    progress.close()
    assert stream.getvalue() == ""


def test_only_on_a_terminal_and_never_in_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert wanted(Terminal()) is True
    assert wanted(io.StringIO()) is False  # piped or redirected
    monkeypatch.setenv("CI", "true")
    assert wanted(Terminal()) is False
    stream, clock = Terminal(), Clock()
    progress = Progress(stream, clock=clock)
    clock.now += 5
    progress.update("render", 1, 2)
    assert stream.getvalue() == ""
