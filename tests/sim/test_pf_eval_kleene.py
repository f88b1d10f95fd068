"""What kleene's rendered rulesets mean to the simulated pf (SPEC §5.6).

The rulesets come from ``kleene.pf.render`` over network and container
models, as kleene loads them. The host is the default profile's with ipnet
containers: their addresses sit on loopback networks in the host's stack,
so traffic between them goes ``out`` then ``in`` on ``lo0``, and traffic
to the world ``out`` on ``em0``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kleene import pf as render
from kleene.backends.sim.pf.evaluate import Context
from kleene.backends.sim.pf.interfaces import IfInfo
from kleene.pf import PfInputs
from tests.sim.pfeval import IN, OUT, iface, passes, pf, ping, ports, run, syn, udp
from tests.test_pf import make_container, make_endpoint, make_network, make_port

FIXTURES = Path(__file__).parent.parent / "fixtures" / "pf"
OUTSIDE = "10.0.2.2"
HOST_IP = "10.0.2.15"
SERVER = "10.13.37.1"
CLIENT = "10.13.38.1"
HOST_IFS: dict[str, IfInfo] = {
    "em0": iface("em0", "10.0.2.15/24"),
    "lo0": iface("lo0", "127.0.0.1/8", groups=("lo",)),
    "kleene0": iface("kleene0", "10.13.37.1/32", "10.13.37.2/32", groups=("lo",)),
    "kleene1": iface("kleene1", "10.13.38.1/32", groups=("lo",)),
}


def kleene_pf(
    a: dict[str, Any] | None = None,
    b: dict[str, Any] | None = None,
    published: tuple[tuple[str, str], ...] = (),
) -> Context:
    """Render the ruleset of networks a and b, a server on a, a client on b."""
    net_a = make_network(
        **{"id": "aaaa", "name": "a", "interface": "kleene0", "nat": "em0"} | (a or {})
    )
    net_b = make_network(
        **{"id": "bbbb", "name": "b", "interface": "kleene1", "nat": "em0"}
        | {"subnet": "10.13.38.0/24"}
        | (b or {})
    )
    server = make_endpoint(
        id="e1", network_id="aaaa", container_id="srv", ip_address=SERVER
    )
    client = make_endpoint(
        id="e2", network_id="bbbb", container_id="cli", ip_address=CLIENT
    )
    ports = [make_port(host_port=h, container_port=c) for h, c in published]
    inputs = PfInputs(
        host_gateway="em0",
        networks=[net_a, net_b],
        endpoints={"aaaa": [server], "bbbb": [client]},
        containers=[
            (make_container("srv", ports), [server]),
            (make_container("cli"), [client]),
        ],
    )
    return pf(render.render(render.default_template(), inputs), HOST_IFS)


def connects(ctx: Context, src: str, dst: str, dport: int = 4000) -> bool:
    """Tell whether a SYN between two local addresses crosses lo0 out and in."""
    packet = syn(src, dst, 41000, dport)
    return passes(ctx, "lo0", OUT, packet) and passes(ctx, "lo0", IN, packet)


def test_traffic_into_a_subnet_is_blocked_and_logged() -> None:
    ctx = kleene_pf()

    decision = run(ctx, "em0", IN, syn(OUTSIDE, SERVER))

    assert not decision.passed
    assert decision.log_rule == 0


def test_containers_on_one_network_reach_each_other_with_icc() -> None:
    assert connects(kleene_pf(), "10.13.37.2", SERVER)


def test_icc_off_drops_traffic_within_the_network() -> None:
    ctx = kleene_pf(a={"icc": False})

    assert passes(ctx, "lo0", OUT, syn("10.13.37.2", SERVER))
    assert not passes(ctx, "lo0", IN, syn("10.13.37.2", SERVER))


def test_containers_on_different_networks_cannot_connect() -> None:
    ctx = kleene_pf()

    decision = run(ctx, "lo0", IN, syn(CLIENT, SERVER, 41000, 4000))

    assert not decision.passed and decision.log_rule is not None


def test_published_port_is_reachable_from_another_network() -> None:
    assert connects(kleene_pf(published=(("4000", "4000"),)), CLIENT, SERVER)


def test_published_port_is_reachable_with_icc_off_everywhere() -> None:
    ctx = kleene_pf(a={"icc": False}, b={"icc": False}, published=(("4000", "4000"),))

    assert connects(ctx, CLIENT, SERVER)
    assert connects(ctx, "10.13.37.2", SERVER)


def test_published_range_passes_its_filter_ports_only() -> None:
    ctx = kleene_pf(published=(("5000:6000", "4000:*"),))

    assert connects(ctx, CLIENT, SERVER, 4500)
    assert connects(ctx, CLIENT, SERVER, 5000)
    assert not connects(ctx, CLIENT, SERVER, 5001)


def test_published_port_is_reachable_from_outside_through_rdr() -> None:
    ctx = kleene_pf(published=(("8080", "80"),))

    decision = run(ctx, "em0", IN, syn(OUTSIDE, HOST_IP, 41000, 8080))

    assert decision.passed
    assert ports(decision.packet) == (OUTSIDE, 41000, SERVER, 80)
    assert not passes(ctx, "em0", IN, syn(OUTSIDE, SERVER, 41000, 81))


def test_reply_from_a_published_port_leaves_with_the_host_address() -> None:
    ctx = kleene_pf(published=(("8080", "80"),))
    run(ctx, "em0", IN, syn(OUTSIDE, HOST_IP, 41000, 8080))

    reply = run(ctx, "em0", OUT, syn(SERVER, OUTSIDE, 80, 41000))

    assert ports(reply.packet) == (HOST_IP, 8080, OUTSIDE, 41000)


def test_nat_rewrites_the_source_to_em0() -> None:
    ctx = kleene_pf()

    decision = run(ctx, "em0", OUT, udp(SERVER, "1.1.1.1", 31000, 53))

    assert decision.passed and decision.packet.src == HOST_IP
    back = run(ctx, "em0", IN, udp("1.1.1.1", HOST_IP, 53, ports(decision.packet)[1]))
    assert back.passed and back.packet.dst == SERVER


def test_without_nat_packets_leave_with_the_private_source() -> None:
    ctx = kleene_pf(a={"nat": ""})

    assert run(ctx, "em0", OUT, udp(SERVER, "1.1.1.1")).packet.src == SERVER


def test_internal_network_blocks_leaving_on_network_interfaces() -> None:
    ctx = kleene_pf(b={"internal": True}, published=(("4000", "4000"),))

    decision = run(ctx, "lo0", OUT, syn(CLIENT, SERVER, 41000, 4000))

    assert not decision.passed and decision.log_rule is not None


def test_internal_network_with_nat_set_blocks_on_the_nat_interface() -> None:
    ctx = kleene_pf(b={"internal": True})

    decision = run(ctx, "em0", OUT, udp(CLIENT, "1.1.1.1"))

    assert not decision.passed and decision.log_rule is not None
    assert decision.packet.src == CLIENT


def test_internal_network_without_nat_blocks_on_the_gateway_interface() -> None:
    ctx = kleene_pf(b={"internal": True, "nat": ""})

    assert not passes(ctx, "em0", OUT, udp(CLIENT, "1.1.1.1"))


def test_internal_network_without_icc_and_nat_leaves_unblocked() -> None:
    ctx = kleene_pf(b={"internal": True, "icc": False, "nat": ""})

    decision = run(ctx, "em0", OUT, udp(CLIENT, "1.1.1.1"))

    assert decision.passed and decision.packet.src == CLIENT


def test_user_template_rules_are_kept_and_enforced() -> None:
    text = (FIXTURES / "F5.pf").read_text()
    interfaces = dict(
        HOST_IFS, kleene0=iface("kleene0", "10.23.45.1/32", "10.23.45.2/32")
    )
    ctx = pf(text, interfaces)

    assert passes(ctx, "em0", IN, syn(OUTSIDE, HOST_IP, 41000, 22))
    assert not passes(ctx, "em0", IN, syn(OUTSIDE, HOST_IP, 41000, 23))
    assert passes(ctx, "lo0", OUT, ping("10.23.45.1", "10.23.45.2"))
    assert passes(ctx, "lo0", IN, ping("10.23.45.1", "10.23.45.2"))
