"""Where pf sees packets (SPEC §7.10), through the ``pf_filter`` hook."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from kleene.backends.sim import SimulatedHost
from kleene.backends.sim.kernel import capture, pfhook
from kleene.backends.sim.kernel.pfhook import Action, Direction, Verdict
from kleene.backends.sim.packets import ICMP, RST, TCP, IPv4, Packet, ipv4
from kleene.backends.sim.world import Stack, World
from tests.sim.simhost import Ok, Run, vnet_jail

Seen = list[tuple[str, str, str]]


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> Seen:
    calls: Seen = []

    def record(
        world: World, stack: Stack, ifname: str, direction: Direction, packet: Packet
    ) -> Verdict:
        if isinstance(packet.payload, ICMP):
            kind = "request" if packet.payload.type == 8 else "reply"
            calls.append((ifname, direction.value, kind))
        return Verdict(Action.PASS, packet)

    monkeypatch.setattr(pfhook, "pf_filter", record)
    return calls


@pytest.fixture
def bridged(ok: Ok) -> Ok:
    for command in (
        "sysctl net.inet.ip.forwarding=1",
        "kldload -n if_bridge",
        "sysctl net.link.bridge.pfil_bridge=1",
        "pfctl -e",
        "ifconfig bridge create name kleene0",
        "ifconfig kleene0 inet 10.4.6.1/24 alias",
    ):
        ok(command)
    vnet_jail(ok, "a", "kleene0", "10.4.6.2/24", "10.4.6.1")
    vnet_jail(ok, "b", "kleene0", "10.4.6.3/24", "10.4.6.1")
    return ok


def test_disabled_pf_sees_nothing(ok: Ok, seen: Seen) -> None:
    ok("ping -c 1 127.0.0.1")
    assert seen == []


def test_local_traffic_crosses_lo0_out_and_in(ok: Ok, seen: Seen) -> None:
    ok("pfctl -e")
    ok("ping -c 1 127.0.0.1")
    assert seen == [
        ("lo0", "out", "request"),
        ("lo0", "in", "request"),
        ("lo0", "out", "reply"),
        ("lo0", "in", "reply"),
    ]


def test_bridged_frames_are_filtered_on_members_and_bridge(
    bridged: Ok, seen: Seen
) -> None:
    bridged("jexec a ping -c 1 10.4.6.3")
    assert seen == [
        ("epair0a", "in", "request"),
        ("kleene0", "in", "request"),
        ("kleene0", "out", "request"),
        ("epair1a", "out", "request"),
        ("epair1a", "in", "reply"),
        ("kleene0", "in", "reply"),
        ("kleene0", "out", "reply"),
        ("epair0a", "out", "reply"),
    ]


def test_without_pfil_bridge_only_members_filter(bridged: Ok, seen: Seen) -> None:
    bridged("sysctl net.link.bridge.pfil_bridge=0")
    bridged("jexec a ping -c 1 10.4.6.3")
    assert seen[:2] == [("epair0a", "in", "request"), ("epair1a", "out", "request")]


def test_traffic_for_the_host_is_filtered_once_on_the_bridge(
    bridged: Ok, seen: Seen
) -> None:
    bridged("jexec a ping -c 1 10.4.6.1")
    assert seen == [("kleene0", "in", "request"), ("kleene0", "out", "reply")]


def test_routed_traffic_is_filtered_in_and_out(ok: Ok, bridged: Ok, seen: Seen) -> None:
    ok("ifconfig bridge create name kleene1")
    ok("ifconfig kleene1 inet 10.5.0.1/24 alias")
    vnet_jail(ok, "d", "kleene1", "10.5.0.2/24", "10.5.0.1")
    ok("jexec a ping -c 1 10.5.0.2")
    assert seen == [
        ("kleene0", "in", "request"),
        ("kleene1", "out", "request"),
        ("kleene1", "in", "reply"),
        ("kleene0", "out", "reply"),
    ]


def test_blocked_local_packets_fail_with_eacces(
    ok: Ok, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def block_em0(
        world: World, stack: Stack, ifname: str, direction: Direction, packet: Packet
    ) -> Verdict:
        action = Action.BLOCK if ifname == "em0" else Action.PASS
        return Verdict(action, packet, log=ifname == "em0", rulenr=3)

    monkeypatch.setattr(pfhook, "pf_filter", block_em0)
    ok("pfctl -e")
    assert run("ping -c 1 10.0.2.2").output.splitlines()[1] == (
        "ping: sendto: Permission denied"
    )
    assert run("nc -z 1.1.1.1 80").output == (
        "nc: connect to 1.1.1.1 port 80 (tcp) failed: Permission denied\n"
    )


def test_logged_packets_reach_the_pf_log(
    host: SimulatedHost, ok: Ok, monkeypatch: pytest.MonkeyPatch
) -> None:
    def log_all(
        world: World, stack: Stack, ifname: str, direction: Direction, packet: Packet
    ) -> Verdict:
        return Verdict(Action.PASS, packet, log=ifname == "em0", rulenr=2)

    monkeypatch.setattr(pfhook, "pf_filter", log_all)
    ok("pfctl -e")
    ok("ping -c 1 10.0.2.2")
    lines = capture.pflog_lines(host.world())
    assert [line.split(" ", 1)[1] for line in lines] == [
        "rule 2/0(match): pass out on em0: 10.0.2.15 > 10.0.2.2: ICMP length 84",
        "rule 2/0(match): pass in on em0: 10.0.2.2 > 10.0.2.15: ICMP length 84",
    ]


def test_block_return_sends_the_reply(
    ok: Ok, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(
        world: World, stack: Stack, ifname: str, direction: Direction, packet: Packet
    ) -> Verdict:
        segment = packet.payload
        if ifname == "em0" and direction is Direction.OUT and isinstance(segment, TCP):
            answer = TCP(segment.dport, segment.sport, 0, segment.seq + 1, RST | 0x10)
            assert isinstance(packet, IPv4)
            return Verdict(
                Action.BLOCK, packet, reply=ipv4(packet.dst, packet.src, answer)
            )
        return Verdict(Action.PASS, packet)

    monkeypatch.setattr(pfhook, "pf_filter", refuse)
    ok("sysctl net.inet.ip.forwarding=1")
    ok("pfctl -e")
    ok("ifconfig bridge create name kleene0")
    ok("ifconfig kleene0 inet 10.4.6.1/24 alias")
    vnet_jail(ok, "a", "kleene0", "10.4.6.2/24", "10.4.6.1")
    assert run("jexec a nc -v -z 1.1.1.1 80").output == (
        "nc: connect to 1.1.1.1 port 80 (tcp) failed: Connection refused\n"
    )


def test_translated_packets_go_on_translated(
    ok: Ok, monkeypatch: pytest.MonkeyPatch
) -> None:
    def rewrite(
        world: World, stack: Stack, ifname: str, direction: Direction, packet: Packet
    ) -> Verdict:
        if ifname == "em0" and direction is Direction.OUT and packet.dst == "10.0.2.99":
            return Verdict(Action.PASS, replace(packet, dst="10.0.2.2"))
        return Verdict(Action.PASS, packet)

    monkeypatch.setattr(pfhook, "pf_filter", rewrite)
    ok("pfctl -e")
    assert "64 bytes from 10.0.2.2" in ok("ping -c 1 10.0.2.99")


def test_pflog0_can_be_captured(
    host: SimulatedHost, ok: Ok, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def log_em0(
        world: World, stack: Stack, ifname: str, direction: Direction, packet: Packet
    ) -> Verdict:
        return (
            Verdict(Action.BLOCK, packet, log=True)
            if ifname == "em0"
            else Verdict(Action.PASS, packet)
        )

    monkeypatch.setattr(pfhook, "pf_filter", log_em0)
    ok("pfctl -e")
    host.capture_start("pflog0")
    assert host.run(["ping", "-c", "1", "10.0.2.2"]).status == 2
    assert host.pflog_lines()[0].endswith(
        "rule 0/0(match): block out on em0: 10.0.2.15 > 10.0.2.2: ICMP length 84"
    )
    assert host.capture_write("pflog0", tmp_path / "pflog.pcap") == 1
    header = (tmp_path / "pflog.pcap").read_bytes()[20:24]
    assert header == (117).to_bytes(4, "little")
