"""Packets between stacks: epairs, bridges, ARP, routing, TTL, ICMP errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from kleene.backends.sim import SimulatedHost
from kleene.backends.sim.kernel import capture
from kleene.backends.sim.packets import ARP, Ether, IPv4
from tests.sim.simhost import Ok, Run, ipnet_jail, vnet_jail


@pytest.fixture
def bridged(ok: Ok) -> Ok:
    """A bridge kleene0 (10.4.6.1/24) with vnet jails a, b and c on it."""
    ok("sysctl net.inet.ip.forwarding=1")
    ok("ifconfig bridge create name kleene0")
    ok("ifconfig kleene0 inet 10.4.6.1/24 alias")
    for number, name in enumerate("abc", start=2):
        vnet_jail(ok, name, "kleene0", f"10.4.6.{number}/24", "10.4.6.1")
    return ok


def frames(host: SimulatedHost, ifname: str) -> list[Ether]:
    world = host.world()
    uid = next(i.uid for i in world.host.interfaces if i.name == ifname)
    return [capture.from_json(item) for _, item in world.captures[str(uid)]]


def test_vnet_jails_ping_each_other_over_the_bridge(bridged: Ok) -> None:
    output = bridged("jexec a ping -c 2 10.4.6.3")
    assert output.splitlines()[1].startswith(
        "64 bytes from 10.4.6.3: icmp_seq=0 ttl=64 time="
    )
    assert "2 packets transmitted, 2 packets received, 0.0% packet loss" in output


def test_bridge_floods_broadcasts_and_forwards_learnt_unicast(
    host: SimulatedHost, bridged: Ok
) -> None:
    host.capture_start("epair2a")
    bridged("jexec a ping -c 1 10.4.6.3")
    seen = frames(host, "epair2a")
    assert [type(frame.payload) for frame in seen] == [ARP]
    assert seen[0].dst == "ff:ff:ff:ff:ff:ff"


def test_neighbours_are_remembered_between_invocations(
    host: SimulatedHost, bridged: Ok
) -> None:
    bridged("jexec a ping -c 1 10.4.6.3")
    host.capture_start("epair0a")
    bridged("jexec a ping -c 1 10.4.6.3")
    assert [type(frame.payload) for frame in frames(host, "epair0a")] == [IPv4, IPv4]


def test_a_new_address_is_announced_with_a_gratuitous_arp(
    host: SimulatedHost, bridged: Ok
) -> None:
    host.capture_start("epair2a")
    bridged("jexec a ifconfig epair0b inet 10.4.6.9/24 alias")
    announced = frames(host, "epair2a")[0].payload
    assert isinstance(announced, ARP)
    assert (announced.psrc, announced.pdst) == ("10.4.6.9", "10.4.6.9")


def test_forwarding_decrements_the_ttl(ok: Ok, bridged: Ok) -> None:
    ok("ifconfig bridge create name kleene1")
    ok("ifconfig kleene1 inet 10.5.0.1/24 alias")
    vnet_jail(ok, "d", "kleene1", "10.5.0.2/24", "10.5.0.1")
    assert "ttl=63" in ok("jexec a ping -c 1 10.5.0.2")


def test_without_forwarding_the_host_does_not_route(
    ok: Ok, run: Run, bridged: Ok
) -> None:
    ok("ifconfig bridge create name kleene1")
    ok("ifconfig kleene1 inet 10.5.0.1/24 alias")
    vnet_jail(ok, "d", "kleene1", "10.5.0.2/24", "10.5.0.1")
    ok("sysctl net.inet.ip.forwarding=0")
    result = run("jexec a ping -c 1 10.5.0.2")
    assert result.status == 2
    assert (
        "1 packets transmitted, 0 packets received, 100.0% packet loss" in result.output
    )


def test_no_route_is_reported_by_the_sender(ok: Ok, run: Run) -> None:
    ok("jail -c name=v path=/ vnet persist")
    ok("jexec v sh /etc/rc")
    result = run("jexec v ping -c 1 1.1.1.1")
    assert result.output.splitlines()[1] == "ping: sendto: No route to host"
    assert result.status == 2


def test_a_host_without_route_answers_unreachable(
    ok: Ok, run: Run, bridged: Ok
) -> None:
    result = run("jexec a nc -v -w 2 10.99.0.1 80")
    assert result.output == (
        "nc: connect to 10.99.0.1 port 80 (tcp) failed: Operation timed out\n"
    )
    ok("route delete default")
    result = run("jexec a nc -v -w 2 10.99.0.1 80")
    assert result.output == (
        "nc: connect to 10.99.0.1 port 80 (tcp) failed: No route to host\n"
    )


def test_loopback_traffic_stays_on_the_loopback(host: SimulatedHost, ok: Ok) -> None:
    ok("ifconfig lo create name kleene0")
    ipnet_jail(ok, "c1", "kleene0", "10.2.3.1")
    ipnet_jail(ok, "c2", "kleene0", "10.2.3.2")
    host.capture_start("kleene0")
    assert "ttl=64" in ok("jexec c2 ping -c 1 10.2.3.1")
    packets = frames(host, "kleene0")
    assert [(p.src, p.dst) for p in packets] == [
        ("10.2.3.2", "10.2.3.1"),
        ("10.2.3.1", "10.2.3.2"),
    ]


def test_capture_is_written_as_pcap(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    from scapy.all import rdpcap

    host.capture_start("em0")
    ok("ping -c 1 10.0.2.2")
    assert host.capture_write("em0", tmp_path / "em0.pcap") == 4
    summaries = [packet.summary() for packet in rdpcap(str(tmp_path / "em0.pcap"))]
    assert summaries[0].startswith("Ether / ARP who has 10.0.2.2")
    assert "echo-reply" in summaries[3]


def test_loopback_captures_hold_raw_ip(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    host.capture_start("lo0")
    ok("ping -c 1 127.0.0.1")
    assert host.capture_write("lo0", tmp_path / "lo0.pcap") == 2
    assert (tmp_path / "lo0.pcap").read_bytes()[20:24] == (101).to_bytes(4, "little")


def test_ipv6_neighbour_discovery_and_echo_over_the_bridge(ok: Ok) -> None:
    ok("ifconfig bridge create name kleene1")
    ok("ifconfig kleene1 inet6 fdef::1/64 alias")
    for number, name in ((2, "v2"), (3, "v3")):
        epair = ok("ifconfig epair create").strip()[:-1]
        params = [
            f"name={name} path=/{name} vnet vnet.interface={epair}b persist",
            f"'exec.prestart=ifconfig kleene1 addm {epair}a'",
            f"'exec.prestart=ifconfig {epair}a up'",
            f"'exec.start=ifconfig {epair}b inet6 fdef::{number}/64'",
        ]
        ok("jail -c " + " ".join(params))
    output = ok("jexec v2 ping6 -c 1 fdef::3")
    assert output.splitlines()[0] == "PING6(56=40+8+8 bytes) fdef::2 --> fdef::3"
    assert "16 bytes from fdef::3, icmp_seq=0 hlim=64 time=" in output
    assert "1 packets received" in ok("ping6 -c 1 fdef::2")


def test_capturing_an_unknown_interface_is_not_found(host: SimulatedHost) -> None:
    from kleene.errors import NotFound

    with pytest.raises(NotFound, match="interface nosuch0 does not exist"):
        host.capture_start("nosuch0")
    with pytest.raises(NotFound, match="no capture was started on em0"):
        host.capture_write("em0", "/tmp/never.pcap")
