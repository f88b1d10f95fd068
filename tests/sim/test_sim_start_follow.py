"""SimulatedHost.start and following: logs, statuses, virtual time, waiting."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from kleene.backends.base import status_path
from kleene.backends.sim import SimulatedHost
from kleene.errors import CommandNotFound
from tests.sim.simhost import Ok, exec_argv, follow, jail_argv


def test_a_finished_process_has_its_log_and_status(
    host: SimulatedHost, tmp_path: Path
) -> None:
    log = tmp_path / "exec" / "deep" / "e.log"
    process = host.start(jail_argv("c1", command=("echo", "hi")), log=log)
    assert log.read_text() == "hi\n"
    assert status_path(log).read_text() == "0\n"
    assert process.follow(lambda data: None) == 0


def test_start_of_an_unknown_program_raises(
    host: SimulatedHost, tmp_path: Path
) -> None:
    with pytest.raises(CommandNotFound):
        host.start(["nosuch"], log=tmp_path / "e.log")


def test_following_advances_time_to_the_deadlines(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    argv = jail_argv("c1", command=("/bin/sh", "-c", "sleep 5; date"))
    assert follow(host, argv, tmp_path / "e.log") == (
        0,
        "Mon Jan  1 00:00:05 UTC 2024\n",
    )
    assert ok("date") == "Mon Jan  1 00:00:05 UTC 2024\n"


def test_a_detached_process_goes_on_in_later_invocations(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    ok("jail -c name=c1 path=/ persist")
    log = tmp_path / "d.log"
    host.start(exec_argv("c1", "/bin/sh", "-c", "sleep 3; echo woke"), log=log)
    assert log.read_text() == ""
    assert follow(host, exec_argv("c1", "sleep", "10"), tmp_path / "s.log") == (0, "")
    assert log.read_text() == "woke\n"
    assert status_path(log).read_text() == "0\n"


def test_earliest_deadlines_of_the_world_fire_first(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    ok("jail -c name=c1 path=/ persist")
    first = tmp_path / "a.log"
    host.start(
        exec_argv("c1", "/bin/sh", "-c", "sleep 1; date; sleep 1; date"), log=first
    )
    assert follow(
        host, exec_argv("c1", "/bin/sh", "-c", "sleep 3; date"), tmp_path / "b.log"
    ) == (
        0,
        "Mon Jan  1 00:00:03 UTC 2024\n",
    )
    assert first.read_text() == (
        "Mon Jan  1 00:00:01 UTC 2024\nMon Jan  1 00:00:02 UTC 2024\n"
    )


def test_a_listener_waits_for_another_invocation(
    tmp_path: Path, ok: Ok, host: SimulatedHost
) -> None:
    ok("ifconfig lo0 alias 127.0.0.2")
    ok("jail -c name=srv path=/ ip4.addr=127.0.0.2 persist")
    server = host.start(exec_argv("srv", "nc", "-l", "4000"), log=tmp_path / "srv.log")
    received: list[bytes] = []
    result: list[int] = []
    thread = threading.Thread(
        target=lambda: result.append(server.follow(received.append))
    )
    thread.start()
    time.sleep(0.2)
    assert thread.is_alive()

    other = SimulatedHost(host.store.directory.parent)
    client = other.run(["sh", "-c", "echo testing | nc -N 127.0.0.2 4000"])
    thread.join(5)
    assert (client.status, result, b"".join(received)) == (0, [0], b"testing\n")


def test_keyboard_interrupt_propagates_and_leaves_the_process(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    ok("jail -c name=c1 path=/ ip4=inherit persist")
    log = tmp_path / "e.log"
    process = host.start(exec_argv("c1", "nc", "-k", "-l", "4000"), log=log)
    ok("sh -c 'echo hi | nc -N 127.0.0.1 4000'")

    def interrupt(data: bytes) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        process.follow(interrupt)
    assert log.read_text() == "hi\n"
    assert not status_path(log).exists()
    ok("sh -c 'echo again | nc -N 127.0.0.1 4000'")
    assert log.read_text() == "hi\nagain\n"


def test_run_of_a_waiting_program_collects_its_output(ok: Ok, tmp_path: Path) -> None:
    assert ok("sh -c 'echo a; sleep 2; echo b'") == "a\nb\n"
    assert not (tmp_path / "sim" / "run").exists() or not list(
        (tmp_path / "sim" / "run").iterdir()
    )


def test_detach_leaves_the_process_running(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    ok("jail -c name=c1 path=/ persist")
    process = host.start(exec_argv("c1", "sleep", "5"), log=tmp_path / "e.log")
    process.detach()
    assert not status_path(tmp_path / "e.log").exists()
    ok("sleep 6")
    assert status_path(tmp_path / "e.log").read_text() == "0\n"


def test_ping_without_count_is_paced_in_real_time(
    host: SimulatedHost, tmp_path: Path
) -> None:
    process = host.start(["ping", "10.0.2.2"], log=tmp_path / "p.log")
    lines: list[bytes] = []

    def collect(data: bytes) -> None:
        lines.extend(data.splitlines())
        if len(lines) >= 3:
            raise KeyboardInterrupt

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        process.follow(collect)
    assert time.monotonic() - started >= 0.9
    assert lines[0] == b"PING 10.0.2.2 (10.0.2.2): 56 data bytes"
    assert lines[2].startswith(b"64 bytes from 10.0.2.2: icmp_seq=1 ttl=64 time=")
