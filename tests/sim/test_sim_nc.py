"""nc(1): connection messages, services, listeners, UDP, timeouts."""

from __future__ import annotations

from pathlib import Path

from kleene.backends.base import status_path
from kleene.backends.sim import SimulatedHost
from tests.sim.simhost import Ok, Run, exec_argv, ipnet_jail


def test_success_names_the_service(ok: Ok) -> None:
    assert ok("nc -v -z 1.1.1.1 443") == (
        "Connection to 1.1.1.1 443 port [tcp/https] succeeded!\n"
    )
    assert ok("nc -vv -z 1.1.1.1 22") == (
        "Connection to 1.1.1.1 22 port [tcp/ssh] succeeded!\n"
    )
    assert ok("nc -z 1.1.1.1 80") == ""


def test_failures(run: Run) -> None:
    refused = run("nc -v -z 1.1.1.1 25")
    assert (refused.status, refused.output) == (
        1,
        "nc: connect to 1.1.1.1 port 25 (tcp) failed: Connection refused\n",
    )
    timeout = run("nc -v -z -w 2 192.168.7.7 80")
    assert timeout.output == (
        "nc: connect to 192.168.7.7 port 80 (tcp) failed: Operation timed out\n"
    )


def test_default_connect_timeout_is_75_seconds(ok: Ok, run: Run) -> None:
    run("nc -z 192.168.7.7 80")
    assert ok("date") == "Mon Jan  1 00:01:15 UTC 2024\n"


def test_listener_prints_what_it_receives_and_ends_on_fin(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    ok("ifconfig lo create name kleene0")
    ipnet_jail(ok, "c1", "kleene0", "10.2.3.1")
    ipnet_jail(ok, "c2", "kleene0", "10.2.3.2")
    log = tmp_path / "e6.log"
    host.start(exec_argv("c1", "nc", "-l", "4000"), log=log)
    client = ok("jexec c2 /bin/sh -c 'echo testing | nc -N -vv 10.2.3.1 4000'")
    assert client == "Connection to 10.2.3.1 4000 port [tcp/*] succeeded!\n"
    assert log.read_text() == "testing\n"
    assert status_path(log).read_text() == "0\n"


def test_keep_listening_with_k(host: SimulatedHost, ok: Ok, tmp_path: Path) -> None:
    log = tmp_path / "k.log"
    host.start(["nc", "-k", "-l", "5000"], log=log)
    ok("sh -c 'echo one | nc -N 127.0.0.1 5000'")
    ok("sh -c 'echo two | nc -N 127.0.0.1 5000'")
    assert log.read_text() == "one\ntwo\n"
    assert not status_path(log).exists()


def test_verbose_listener_reports_the_peer(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    log = tmp_path / "v.log"
    host.start(["nc", "-v", "-l", "5000"], log=log)
    ok("nc -z 127.0.0.1 5000")
    assert log.read_text().startswith("Connection from 127.0.0.1 ")


def test_listener_port_in_use(host: SimulatedHost, run: Run, tmp_path: Path) -> None:
    host.start(["nc", "-l", "5000"], log=tmp_path / "a.log")
    assert run("nc -l 5000").output == "nc: Address already in use\n"


def test_a_listener_in_an_ipnet_jail_gets_only_its_addresses(
    host: SimulatedHost, ok: Ok, run: Run, tmp_path: Path
) -> None:
    ok("ifconfig lo create name kleene0")
    ipnet_jail(ok, "c1", "kleene0", "10.2.3.1")
    host.start(exec_argv("c1", "nc", "-l", "4000"), log=tmp_path / "e.log")
    refused = run("nc -v -z 127.0.0.1 4000")
    assert refused.output.endswith("failed: Connection refused\n")
    assert run("nc -z 10.2.3.1 4000").status == 0


def test_client_without_n_ends_when_the_peer_closes(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    server = tmp_path / "s.log"
    host.start(["sh", "-c", "echo reply | nc -N -l 6000"], log=server)
    assert ok("nc 127.0.0.1 6000") == "reply\n"


def test_idle_timeout_ends_a_waiting_pair(
    ok: Ok, host: SimulatedHost, tmp_path: Path
) -> None:
    log = tmp_path / "s.log"
    host.start(["nc", "-l", "6000"], log=log)
    assert ok("sh -c 'echo hi | nc -w 3 127.0.0.1 6000'") == ""
    assert log.read_text() == "hi\n"
    assert ok("date") == "Mon Jan  1 00:00:03 UTC 2024\n"


def test_udp(host: SimulatedHost, ok: Ok, tmp_path: Path) -> None:
    log = tmp_path / "u.log"
    host.start(["nc", "-u", "-l", "5353"], log=log)
    assert ok("sh -c 'echo datagram | nc -u -v -w 1 127.0.0.1 5353'") == (
        "Connection to 127.0.0.1 5353 port [udp/mdns] succeeded!\n"
    )
    assert log.read_text() == "datagram\n"


def test_webapp_server_accepts_and_discards(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    log = tmp_path / "w.log"
    host.start(["/bin/sh", "-c", "cd /app && node src/index.js"], log=log)
    assert log.read_text() == "Listening on port 3000\n"
    assert ok("sh -c 'echo GET | nc -N -v 127.0.0.1 3000'") == (
        "Connection to 127.0.0.1 3000 port [tcp/*] succeeded!\n"
    )
    assert not status_path(log).exists()


def test_a_disabled_jail_has_no_sockets(ok: Ok, run: Run) -> None:
    ok("jail -c name=d path=/ ip4=disable ip6=disable persist")
    result = run("jexec d nc -z 1.1.1.1 80")
    assert (result.status, result.output) == (
        1,
        "nc: socket: Address family not supported by protocol family\n",
    )
