"""Long-running commands on FreeBSD: supervised, logged, followed."""

from __future__ import annotations

from pathlib import Path

from kleene.backends.follow import read_status
from kleene.backends.freebsd.host import FreeBSDHost


def test_started_command_is_logged_and_followed(tmp_path: Path) -> None:
    log = tmp_path / "exec" / "e1.log"
    process = FreeBSDHost().start(
        ["/bin/sh", "-c", "echo out; echo err >&2; exit 3"], log=log
    )
    chunks: list[bytes] = []
    assert process.follow(chunks.append) == 3
    assert b"".join(chunks) == b"out\nerr\n"
    assert log.read_bytes() == b"out\nerr\n"
    assert read_status(log) == 3


def test_stdin_is_passed_to_the_command(tmp_path: Path) -> None:
    log = tmp_path / "e2.log"
    process = FreeBSDHost().start(["/bin/cat"], log=log, stdin=b"hello\n")
    chunks: list[bytes] = []
    assert process.follow(chunks.append) == 0
    assert b"".join(chunks) == b"hello\n"


def test_signal_death_is_reported_as_128_plus_signal(tmp_path: Path) -> None:
    log = tmp_path / "e3.log"
    process = FreeBSDHost().start(["/bin/sh", "-c", "kill -TERM $$"], log=log)
    assert process.follow(lambda chunk: None) == 128 + 15


def test_missing_program_ends_with_127(tmp_path: Path) -> None:
    log = tmp_path / "e4.log"
    process = FreeBSDHost().start(["/nonexistent/program"], log=log)
    assert process.follow(lambda chunk: None) == 127
