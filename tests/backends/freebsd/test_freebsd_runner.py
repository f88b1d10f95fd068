"""Tests of the subprocess runner and FreeBSDHost against harmless local programs."""

from __future__ import annotations

import logging
import os
import stat
from datetime import UTC
from pathlib import Path

import pytest

from kleene.backends.base import Host
from kleene.backends.freebsd import runner
from kleene.backends.freebsd.host import FreeBSDHost
from kleene.errors import CommandFailed, CommandNotFound, HostError

# runner.run


def test_run_returns_status_zero_for_true() -> None:
    result = runner.run(["true"])

    assert result.ok
    assert result.argv == ("true",)
    assert result.output == ""


def test_run_returns_a_non_zero_status_without_raising() -> None:
    result = runner.run(["false"])

    assert result.status == 1
    assert not result.ok


def test_run_merges_stderr_into_stdout_in_order() -> None:
    argv = ["sh", "-c", "echo out; echo err >&2"]

    assert runner.run(argv).output == "out\nerr\n"


def test_run_passes_arguments_without_a_shell() -> None:
    result = runner.run(["printf", "%s|", "a b", "$HOME", ";"])

    assert result.output == "a b|$HOME|;|"


def test_run_feeds_stdin() -> None:
    assert runner.run(["cat"], stdin="pass in all\n").output == "pass in all\n"


def test_run_without_stdin_gives_an_empty_one() -> None:
    assert runner.run(["cat"]).output == ""


def test_run_replaces_bytes_that_are_not_utf8() -> None:
    assert runner.run(["printf", "\\377ok"]).output == "\ufffdok"


def test_run_of_a_missing_program_raises_command_not_found() -> None:
    with pytest.raises(CommandNotFound) as caught:
        runner.run(["/nonexistent/kleene-no-such-program", "-a"])

    assert caught.value.name == "kleene-no-such-program"
    assert caught.value.exit_code == 127


def test_run_past_its_timeout_raises_host_error() -> None:
    with pytest.raises(HostError, match="timed out"):
        runner.run(["sleep", "5"], timeout=0.1)


def test_run_rejects_a_shell_string() -> None:
    with pytest.raises(ValueError, match="argv list"):
        runner.run("echo hi")


def test_run_logs_the_argv_and_status_at_debug(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="kleene.backends.freebsd.runner"):
        runner.run(["sh", "-c", "exit 3"])

    assert "run sh -c 'exit 3'" in caplog.messages
    assert "exit 3 from sh" in caplog.messages


def test_check_of_a_failed_command_raises_command_failed() -> None:
    result = runner.run(["sh", "-c", "echo no such interface; exit 1"])

    with pytest.raises(CommandFailed) as caught:
        result.check()

    assert caught.value.argv == ["sh", "-c", "echo no such interface; exit 1"]
    assert caught.value.status == 1
    assert caught.value.output == "no such interface\n"
    assert str(caught.value).endswith(": no such interface")


# runner.start


def test_start_streams_the_merged_output() -> None:
    with runner.start(["sh", "-c", "echo out; echo err >&2"]) as process:
        assert process.stdout is not None
        output = process.stdout.read()

    assert output == b"out\nerr\n"
    assert process.returncode == 0


def test_start_of_a_missing_program_raises_command_not_found() -> None:
    with pytest.raises(CommandNotFound, match="kleene-no-such-program"):
        runner.start(["kleene-no-such-program"])


# FreeBSDHost


def test_freebsd_host_implements_the_host_protocol() -> None:
    host: Host = FreeBSDHost()

    assert host.name == "freebsd"
    assert host.run(["sh", "-c", "echo hi"]).output == "hi\n"


def test_write_file_creates_a_file_that_read_file_returns(tmp_path: Path) -> None:
    host = FreeBSDHost()
    path = str(tmp_path / "pf.conf")

    host.write_file(path, "pass all\n")

    assert host.read_file(path) == "pass all\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o644


def test_write_file_replaces_the_file_and_keeps_its_mode(tmp_path: Path) -> None:
    host = FreeBSDHost()
    path = tmp_path / "pf.conf"
    path.write_text("block all\n")
    path.chmod(0o600)

    host.write_file(str(path), "pass all\r\n")

    assert host.read_file(str(path)) == "pass all\r\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert os.listdir(tmp_path) == ["pf.conf"]


def test_write_file_follows_a_symlink(tmp_path: Path) -> None:
    host = FreeBSDHost()
    target = tmp_path / "real.conf"
    target.write_text("old\n")
    link = tmp_path / "pf.conf"
    link.symlink_to(target)

    host.write_file(str(link), "new\n")

    assert link.is_symlink()
    assert target.read_text() == "new\n"


def test_write_file_into_a_missing_directory_raises_host_error(
    tmp_path: Path,
) -> None:
    path = str(tmp_path / "missing" / "pf.conf")

    with pytest.raises(HostError, match="could not write"):
        FreeBSDHost().write_file(path, "pass all\n")


def test_read_file_of_an_absent_file_is_none(tmp_path: Path) -> None:
    assert FreeBSDHost().read_file(str(tmp_path / "absent")) is None


def test_read_file_of_a_directory_raises_host_error(tmp_path: Path) -> None:
    with pytest.raises(HostError, match="could not read"):
        FreeBSDHost().read_file(str(tmp_path))


def test_remove_file_removes_and_tolerates_an_absent_file(tmp_path: Path) -> None:
    host = FreeBSDHost()
    path = tmp_path / "pf.conf"
    path.write_text("pass all\n")

    host.remove_file(str(path))
    host.remove_file(str(path))

    assert not path.exists()


def test_now_is_timezone_aware_utc() -> None:
    assert FreeBSDHost().now().tzinfo is UTC


def test_random_bytes_returns_the_requested_count() -> None:
    assert len(FreeBSDHost().random_bytes(6)) == 6


def test_is_root_follows_the_effective_uid() -> None:
    assert FreeBSDHost().is_root() == (os.geteuid() == 0)
