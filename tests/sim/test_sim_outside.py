"""The outside world behind em0: gateway, resolvers, the internet (SPEC §7.4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kleene.backends.base import status_path
from kleene.backends.sim import SimulatedHost
from kleene.errors import CommandNotFound
from tests.sim.simhost import Ok, Run, vnet_jail


def test_gateway_and_resolver_answer_arp_and_ping(ok: Ok) -> None:
    assert "64 bytes from 10.0.2.2: icmp_seq=0 ttl=64" in ok("ping -c 1 10.0.2.2")
    assert "64 bytes from 10.0.2.3: icmp_seq=0 ttl=64" in ok("ping -c 1 10.0.2.3")


def test_every_global_address_answers_through_the_gateway(ok: Ok, run: Run) -> None:
    assert "ttl=63" in ok("ping -c 1 96.47.72.84")
    assert run("ping -c 1 192.168.1.1").status == 2
    assert run("ping -c 1 100.64.0.1").status == 2


def test_tcp_ports_of_the_internet(ok: Ok, run: Run) -> None:
    for port in (22, 80, 443):
        assert run(f"nc -z 96.47.72.84 {port}").status == 0
    assert run("nc -v -z 96.47.72.84 8080").output.endswith("Connection refused\n")
    assert ok("sh -c 'echo GET / | nc -N 96.47.72.84 80'") == ""


def test_unnated_private_sources_get_no_answer(ok: Ok, run: Run) -> None:
    ok("sysctl net.inet.ip.forwarding=1")
    ok("ifconfig bridge create name kleene0")
    ok("ifconfig kleene0 inet 10.4.6.1/24 alias")
    vnet_jail(ok, "a", "kleene0", "10.4.6.2/24", "10.4.6.1")
    assert run("jexec a ping -c 1 1.1.1.1").status == 2
    assert run("jexec a ping -c 1 10.0.2.2").status == 2
    assert "ttl=64" in ok("jexec a ping -c 1 10.0.2.15")


def test_both_resolvers_know_freebsd_org(ok: Ok) -> None:
    assert ok("host -t A freebsd.org").splitlines() == [
        "freebsd.org has address 96.47.72.84"
    ]
    assert ok("host -t A freebsd.org 10.0.2.3").splitlines()[-1] == (
        "freebsd.org has address 96.47.72.84"
    )
    assert ok("host -t A freebsd.org 1.1.1.1").splitlines()[-1] == (
        "freebsd.org has address 96.47.72.84"
    )


def test_other_udp_to_the_internet_is_dropped(run: Run) -> None:
    assert run("host -W 1 -R 0 freebsd.org 8.8.8.8").output == (
        ";; connection timed out; no servers could be reached\n"
    )


def test_run_outside_pings_the_host(host: SimulatedHost) -> None:
    result = host.run_outside(["ping", "-c", "1", "10.0.2.15"])
    assert result.status == 0
    assert "64 bytes from 10.0.2.15: icmp_seq=0 ttl=64" in result.output
    assert "ttl=64" in host.run_outside(["ping", "-c", "1", "1.1.1.1"]).output


def test_run_outside_reaches_a_host_listener(
    host: SimulatedHost, tmp_path: Path
) -> None:
    log = tmp_path / "srv.log"
    host.start(["nc", "-l", "8080"], log=log)
    result = host.run_outside(["nc", "-v", "-z", "10.0.2.15", "8080"])
    assert (
        result.output == "Connection to 10.0.2.15 8080 port [tcp/http-alt] succeeded!\n"
    )
    assert status_path(log).read_text() == "0\n"


def test_run_outside_host_and_other_commands(host: SimulatedHost) -> None:
    assert host.run_outside(["host", "-t", "A", "freebsd.org"]).output == (
        "freebsd.org has address 96.47.72.84\n"
    )
    with pytest.raises(CommandNotFound):
        host.run_outside(["ifconfig"])
