"""Kernel pieces of the packet path and the process table, called directly."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

import pytest

from kleene.backends.sim import SimulatedHost
from kleene.backends.sim.kernel import (
    addresses,
    capture,
    dnszone,
    interfaces,
    ip,
    procs,
    routes,
)
from kleene.backends.sim.kernel.errno import Errno
from kleene.backends.sim.kernel.runtime import Runtime
from kleene.backends.sim.packets import DNS, TCP, UDP, Ether, ipv4
from kleene.backends.sim.packets.dns import (
    DNSRRMX,
    RCODE_NXDOMAIN,
    TYPE_A,
    TYPE_MX,
    query,
)
from kleene.backends.sim.records import IpMode, Jail
from tests.sim.simhost import Ok


@pytest.fixture
def rt(host: SimulatedHost, ok: Ok) -> Iterator[Runtime]:
    ok("ifconfig lo create name kleene0")
    ok("ifconfig kleene0 inet 10.13.37.1/32 alias")
    ok("ifconfig bridge create name kleene1")
    ok("ifconfig kleene1 inet 10.4.6.1/24 alias")
    ok("ifconfig kleene1 inet 10.4.6.9/32 alias")
    with host.kernel() as runtime:
        yield runtime


def test_source_is_the_destination_when_it_is_local(rt: Runtime) -> None:
    host = rt.world.host
    assert ip.select_source(rt, host, None, "10.13.37.1") == "10.13.37.1"


def test_source_is_the_address_whose_subnet_holds_the_next_hop(rt: Runtime) -> None:
    host = rt.world.host
    assert ip.select_source(rt, host, None, "10.4.6.7") == "10.4.6.1"
    assert ip.select_source(rt, host, None, "1.1.1.1") == "10.0.2.15"


def test_source_of_an_ipnet_jail_is_its_first_address(rt: Runtime) -> None:
    jail = Jail(1, "c", "/", "c", "host", ip4=IpMode.NEW, ip4_addrs=["10.4.6.9"])
    assert ip.select_source(rt, rt.world.host, jail, "1.1.1.1") == "10.4.6.9"
    assert ip.select_source(rt, rt.world.host, jail, "::1") == Errno.EADDRNOTAVAIL


def test_no_route_is_ehostunreach(rt: Runtime, ok: Ok) -> None:
    rt.world.host.routes.clear()
    rt.invalidate()
    assert ip.select_source(rt, rt.world.host, None, "1.1.1.1") == Errno.EHOSTUNREACH
    packet = ipv4("10.0.2.15", "1.1.1.1", UDP(1000, 53))
    assert ip.output(rt, rt.world.host, packet) == Errno.EHOSTUNREACH


def test_lookup_takes_the_longest_prefix(rt: Runtime) -> None:
    host = rt.world.host
    entry = ip.lookup(rt, host, "10.4.6.7")
    assert entry is not None and str(entry.destination) == "10.4.6.0/24"
    entry = ip.lookup(rt, host, "8.8.8.8")
    assert entry is not None and str(entry.gateway) == "10.0.2.2"
    kleene1 = interfaces.find(host, "kleene1")
    assert kleene1 is not None
    routes.add_static(
        host, ipaddress.ip_network("8.8.8.0/24"), ipaddress.ip_address("10.4.6.5")
    )
    rt.invalidate()
    entry = ip.lookup(rt, host, "8.8.8.8")
    assert entry is not None and entry.link is kleene1


def test_a_forwarded_packet_with_ttl_1_is_answered_time_exceeded(
    host: SimulatedHost, ok: Ok
) -> None:
    ok("sysctl net.inet.ip.forwarding=1")
    host.capture_start("em0")
    with host.kernel() as runtime:
        em0 = interfaces.find(runtime.world.host, "em0")
        assert em0 is not None
        dying = ipv4("10.0.2.2", "10.9.9.9", UDP(1000, 2000), ttl=1)
        ip.input(runtime, runtime.world.host, em0, dying)
        runtime.drain()
    sent = [capture.from_json(item) for _, item in host.world().captures["1"]]
    answer = sent[-1].payload
    assert (answer.src, answer.dst, answer.payload.type) == (
        "10.0.2.15",
        "10.0.2.2",
        11,
    )


def test_unanswered_neighbour_solicitations_drop_the_packet(rt: Runtime) -> None:
    packet = ipv4("10.4.6.1", "10.4.6.77", UDP(1000, 2000))
    assert ip.output(rt, rt.world.host, packet) is None
    rt.drain()
    assert "10.4.6.77" not in rt.world.host.neighbors
    assert rt.pending == {}


def test_timers_fire_in_deadline_order(rt: Runtime) -> None:
    fired: list[str] = []

    class Recorder:
        def on_timer(self, rt: Runtime, proc: object, tag: str) -> None:
            fired.append(tag)

    proc = procs.spawn(rt, ppid=1, jid=0, stack="host", argv=["x"], log=None, env=[])
    proc.prog = "recorder"
    rt.handlers = {"recorder": Recorder()}  # type: ignore[dict-item]
    procs.set_timer(rt, proc.pid, 3_000_000, "late")
    procs.set_timer(rt, proc.pid, 1_000_000, "early")
    procs.set_timer(rt, proc.pid, 1_000_000, "tie")
    start = rt.world.clock_us
    procs.advance(rt, start + 2_000_000)
    assert fired == ["early", "tie"]
    assert rt.world.clock_us == start + 2_000_000
    procs.exit(rt, proc.pid, 0)
    assert rt.world.timers == []


def test_the_zone_answers_freebsd_org_only() -> None:
    answer = dnszone.answer(query(7, "FreeBSD.org.", TYPE_MX))
    records = [r for r in answer.answers if isinstance(r, DNSRRMX)]
    assert [(record.preference, record.exchange) for record in records] == [
        (10, "mx1.freebsd.org."),
        (30, "mx66.freebsd.org."),
    ]
    assert dnszone.answer(query(8, "example.org", TYPE_A)).rcode == RCODE_NXDOMAIN


def test_frames_round_trip_through_their_json_form() -> None:
    frame = Ether(
        "02:00:00:00:00:0b",
        "02:00:00:00:00:0a",
        0x0800,
        ipv4("10.0.0.1", "10.0.0.2", UDP(5353, 53, query(1, "freebsd.org"))),
    )
    assert capture.from_json(capture.to_json(frame)) == frame
    segment = ipv4("10.0.0.1", "10.0.0.2", TCP(1, 2, payload=b"\x00data"))
    assert capture.from_json(capture.to_json(segment)) == segment
    assert isinstance(frame.payload, type(segment))
    assert isinstance(query(1, "x"), DNS)


def test_a_loopback_clone_gets_its_address_routes(rt: Runtime) -> None:
    kleene0 = interfaces.find(rt.world.host, "kleene0")
    assert kleene0 is not None
    addresses.add(kleene0, ipaddress.ip_interface("10.13.37.2/32"))
    rt.invalidate()
    assert rt.local(rt.world.host)["10.13.37.2"] is kleene0
    assert ip.loopback_for(rt.world.host, kleene0, ipv4("a", "b", UDP(1, 2))) is kleene0
