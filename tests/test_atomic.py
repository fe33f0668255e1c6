"""atomic.replace_file: whole old file or whole new file, readable by a server."""

from __future__ import annotations

import os
import stat

import pytest

from generator.output import atomic


def test_replaces_the_file_readable_by_everyone_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "messages.po"
    target.write_bytes(b"old")
    atomic.replace_file(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["messages.po"]


def test_a_failed_write_keeps_the_old_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "translations.yaml"
    target.write_bytes(b"old")

    def refuse(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(OSError):
        atomic.replace_file(target, b"new", prefix=".translations-")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["translations.yaml"]
