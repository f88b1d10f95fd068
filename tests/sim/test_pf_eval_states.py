"""pf's translations and states: nat, rdr, replies, ICMP, refusals, logging."""

from __future__ import annotations

from kleene.backends.sim.packets import (
    ACK,
    FIN,
    ICMP,
    RST,
    SYN,
    TCP,
    IPv4,
    dest_unreachable,
    echo_reply,
)
from kleene.backends.sim.packets.layers import UNREACH_PORT
from kleene.backends.sim.pf.states import PeerState, TcpState, Timeout
from tests.sim.pfeval import IN, OUT, passes, pf, ping, ports, run, syn, tcp, udp

OUTSIDE = "10.0.2.2"
HOST_IP = "10.0.2.15"
CONTAINER = "10.13.37.1"
NAT = "nat on em0 from (kleene0:network) to any -> (em0)\n"


def test_nat_rewrites_source_to_the_interface_address() -> None:
    ctx = pf(NAT)

    decision = run(ctx, "em0", OUT, udp(CONTAINER, "1.1.1.1", 31000, 53))

    assert decision.passed
    assert ports(decision.packet) == (HOST_IP, 50001, "1.1.1.1", 53)


def test_nat_reply_is_translated_back_by_the_state() -> None:
    ctx = pf(NAT)
    run(ctx, "em0", OUT, udp(CONTAINER, "1.1.1.1", 31000, 53))

    reply = run(ctx, "em0", IN, udp("1.1.1.1", HOST_IP, 53, 50001))

    assert ports(reply.packet) == ("1.1.1.1", 53, CONTAINER, 31000)
    assert reply.state is not None


def test_nat_later_packets_reuse_the_state_and_its_port() -> None:
    ctx = pf(NAT)
    run(ctx, "em0", OUT, udp(CONTAINER, "1.1.1.1", 31000, 53))

    again = run(ctx, "em0", OUT, udp(CONTAINER, "1.1.1.1", 31000, 53))

    assert ports(again.packet) == (HOST_IP, 50001, "1.1.1.1", 53)
    assert len(ctx.states) == 1


def test_nat_gives_two_connections_two_ports() -> None:
    ctx = pf(NAT)
    run(ctx, "em0", OUT, udp(CONTAINER, "1.1.1.1", 31000, 53))

    other = run(ctx, "em0", OUT, udp("10.13.37.2", "1.1.1.1", 31000, 53))

    assert ports(other.packet)[1] == 50002


def test_nat_leaves_other_sources_alone() -> None:
    ctx = pf(NAT)

    decision = run(ctx, "em0", OUT, udp(HOST_IP, "1.1.1.1", 31000, 53))

    assert decision.packet.src == HOST_IP
    assert decision.state is None


def test_nat_to_an_interface_without_address_drops() -> None:
    ctx = pf("nat on em0 from any to any -> (em1)\n")

    assert not passes(ctx, "em0", OUT, udp(CONTAINER, "1.1.1.1"))


def test_static_port_keeps_the_source_port() -> None:
    ctx = pf("nat on em0 from any to any -> (em0) static-port\n")

    decision = run(ctx, "em0", OUT, udp(CONTAINER, "1.1.1.1", 31000, 53))

    assert ports(decision.packet)[:2] == (HOST_IP, 31000)


def test_nat_of_a_ping_changes_its_id_and_the_reply_gets_it_back() -> None:
    ctx = pf(NAT)
    request = ping(CONTAINER, "1.1.1.1", id=7)

    out = run(ctx, "em0", OUT, request).packet
    assert isinstance(out, IPv4) and isinstance(out.payload, ICMP)
    assert (out.src, out.payload.id) == (HOST_IP, 50001)

    back = run(ctx, "em0", IN, echo_reply(out)).packet
    assert isinstance(back.payload, ICMP)
    assert (back.dst, back.payload.id) == (CONTAINER, 7)


def test_icmp_error_about_a_natted_datagram_reaches_the_container() -> None:
    ctx = pf(NAT)
    sent = run(ctx, "em0", OUT, udp(CONTAINER, "1.1.1.1", 31000, 53)).packet
    assert isinstance(sent, IPv4)

    error = dest_unreachable("1.1.1.1", sent, UNREACH_PORT)
    back = run(ctx, "em0", IN, error)

    assert back.passed and back.packet.dst == CONTAINER
    assert isinstance(back.packet.payload, ICMP)
    quoted = back.packet.payload.payload
    assert isinstance(quoted, IPv4)
    assert ports(quoted) == (CONTAINER, 31000, "1.1.1.1", 53)


def test_icmp_error_without_state_is_left_to_the_rules() -> None:
    ctx = pf("block in proto icmp all\n")
    error = dest_unreachable("1.1.1.1", udp(HOST_IP, "1.1.1.1"), UNREACH_PORT)

    assert not passes(ctx, "em0", IN, error)


def test_rdr_rewrites_destination_and_port() -> None:
    ctx = pf("rdr on em0 inet proto tcp to (em0) port 8080 -> 10.13.37.1 port 80\n")

    decision = run(ctx, "em0", IN, syn(OUTSIDE, HOST_IP, 41000, 8080))

    assert ports(decision.packet) == (OUTSIDE, 41000, CONTAINER, 80)


def test_rdr_port_range_maps_each_port_by_offset() -> None:
    text = (
        "rdr on em0 inet proto tcp to (em0) port 5000:6000 -> 10.13.37.1 port 4000:*\n"
    )
    ctx = pf(text)

    for port, mapped in ((5000, 4000), (5500, 4500), (6000, 5000)):
        decision = run(ctx, "em0", IN, syn(OUTSIDE, HOST_IP, 41000 + port, port))
        assert ports(decision.packet)[3] == mapped


def test_rdr_does_not_touch_other_ports() -> None:
    ctx = pf("rdr on em0 inet proto tcp to (em0) port 8080 -> 10.13.37.1 port 80\n")

    decision = run(ctx, "em0", IN, syn(OUTSIDE, HOST_IP, 41000, 8081))

    assert ports(decision.packet)[2:] == (HOST_IP, 8081)


def test_rdr_reply_leaves_with_the_published_address() -> None:
    ctx = pf("rdr on em0 inet proto tcp to (em0) port 8080 -> 10.13.37.1 port 80\n")
    run(ctx, "em0", IN, syn(OUTSIDE, HOST_IP, 41000, 8080))

    reply = run(ctx, "em0", OUT, tcp(CONTAINER, OUTSIDE, 80, 41000, SYN | ACK))

    assert ports(reply.packet) == (HOST_IP, 8080, OUTSIDE, 41000)


def test_filter_rules_see_translated_addresses() -> None:
    text = (
        "rdr on em0 inet proto tcp to (em0) port 8080 -> 10.13.37.1 port 80\n"
        "block in all\n"
        "pass in quick proto tcp to 10.13.37.1 port 80\n"
    )
    ctx = pf(text)

    assert passes(ctx, "em0", IN, syn(OUTSIDE, HOST_IP, 41000, 8080))
    assert not passes(ctx, "em0", IN, syn(OUTSIDE, HOST_IP, 41000, 80))


def test_rdr_pass_skips_the_filter_rules() -> None:
    text = "rdr pass on em0 proto tcp to (em0) port 8080 -> 10.13.37.1 port 80\n"
    ctx = pf(text + "block all\n")

    decision = run(ctx, "em0", IN, syn(OUTSIDE, HOST_IP, 41000, 8080))

    assert decision.passed and decision.state is not None


def test_pass_keeps_state_and_the_reply_needs_no_rule() -> None:
    ctx = pf("block all\npass out quick proto tcp all\n")
    first = run(ctx, "em0", OUT, syn(HOST_IP, OUTSIDE, 41000, 22))
    assert first.state is not None

    reply = tcp(OUTSIDE, HOST_IP, 22, 41000, SYN | ACK)

    assert passes(ctx, "em0", IN, reply)


def test_no_state_rule_keeps_no_state() -> None:
    ctx = pf("pass out proto udp all no state\n")

    decision = run(ctx, "em0", OUT, udp(HOST_IP, OUTSIDE))

    assert decision.passed and decision.state is None


def test_default_pass_keeps_no_state() -> None:
    ctx = pf("block in on em1 all\n")

    assert run(ctx, "em0", OUT, udp(HOST_IP, OUTSIDE)).state is None


def test_state_is_floating_across_interfaces() -> None:
    ctx = pf("block all\npass in quick on kleene0 proto udp all\n")
    run(ctx, "kleene0", IN, udp(CONTAINER, "1.1.1.1"))

    assert passes(ctx, "em0", IN, udp(CONTAINER, "1.1.1.1"))


def test_if_bound_state_stays_on_its_interface() -> None:
    text = "set state-policy if-bound\nblock all\npass in quick on kleene0 all\n"
    ctx = pf(text)
    run(ctx, "kleene0", IN, udp(CONTAINER, "1.1.1.1"))

    assert not passes(ctx, "em0", IN, udp(CONTAINER, "1.1.1.1"))


def test_tcp_state_follows_handshake_and_close() -> None:
    ctx = pf("pass out proto tcp all\n")
    state = run(ctx, "em0", OUT, syn(HOST_IP, OUTSIDE, 41000, 22)).state
    assert state is not None
    assert (state.src_state, state.dst_state) == (TcpState.SYN_SENT, TcpState.CLOSED)

    run(ctx, "em0", IN, tcp(OUTSIDE, HOST_IP, 22, 41000, SYN | ACK))
    run(ctx, "em0", OUT, tcp(HOST_IP, OUTSIDE, 41000, 22, ACK))
    established = state.timeout

    run(ctx, "em0", OUT, tcp(HOST_IP, OUTSIDE, 41000, 22, FIN | ACK))
    run(ctx, "em0", IN, tcp(OUTSIDE, HOST_IP, 22, 41000, FIN | ACK))
    run(ctx, "em0", OUT, tcp(HOST_IP, OUTSIDE, 41000, 22, ACK))
    assert (established, state.timeout) == (Timeout.TCP_ESTABLISHED, Timeout.TCP_CLOSED)


def test_rst_closes_a_tcp_state() -> None:
    ctx = pf("pass out proto tcp all\n")
    state = run(ctx, "em0", OUT, syn(HOST_IP, OUTSIDE, 41000, 22)).state
    assert state is not None

    run(ctx, "em0", IN, tcp(OUTSIDE, HOST_IP, 22, 41000, RST | ACK))

    assert (state.src_state, state.dst_state) == (TcpState.TIME_WAIT,) * 2
    assert state.timeout is Timeout.TCP_CLOSED


def test_udp_state_becomes_multiple_when_answered() -> None:
    ctx = pf("pass out proto udp all\n")
    state = run(ctx, "em0", OUT, udp(HOST_IP, OUTSIDE, 5000, 53)).state
    assert state is not None

    run(ctx, "em0", IN, udp(OUTSIDE, HOST_IP, 53, 5000))
    run(ctx, "em0", OUT, udp(HOST_IP, OUTSIDE, 5000, 53))

    assert (state.src_state, state.dst_state) == (PeerState.MULTIPLE,) * 2
    assert state.timeout is Timeout.UDP_MULTIPLE


def test_expired_state_no_longer_matches() -> None:
    ctx = pf("block in all\npass out proto udp all\n")
    run(ctx, "em0", OUT, udp(HOST_IP, OUTSIDE, 5000, 53))

    ctx.now_us = 61 * 1_000_000

    assert not passes(ctx, "em0", IN, udp(OUTSIDE, HOST_IP, 53, 5000))
    assert len(ctx.states) == 0


def test_syn_on_a_closed_state_is_decided_by_the_rules_again() -> None:
    ctx = pf("pass out proto tcp all\n")
    old = run(ctx, "em0", OUT, syn(HOST_IP, OUTSIDE, 41000, 22)).state
    run(ctx, "em0", IN, tcp(OUTSIDE, HOST_IP, 22, 41000, RST | ACK))

    new = run(ctx, "em0", OUT, syn(HOST_IP, OUTSIDE, 41000, 22)).state

    assert new is not None and new is not old
    assert len(ctx.states) == 1


def test_block_return_answers_tcp_with_a_reset() -> None:
    ctx = pf("set block-policy return\nblock in all\n")

    decision = run(ctx, "em0", IN, syn(OUTSIDE, HOST_IP, 41000, 22))

    reply = decision.reply
    assert reply is not None and isinstance(reply.payload, TCP)
    assert ports(reply) == (HOST_IP, 22, OUTSIDE, 41000)
    assert reply.payload.flags == RST | ACK
    assert reply.payload.ack == 1001


def test_block_return_answers_udp_with_port_unreachable() -> None:
    ctx = pf("block return in all\n")

    reply = run(ctx, "em0", IN, udp(OUTSIDE, HOST_IP)).reply

    assert reply is not None and isinstance(reply.payload, ICMP)
    assert (reply.src, reply.dst) == (HOST_IP, OUTSIDE)
    assert (reply.payload.type, reply.payload.code) == (3, UNREACH_PORT)


def test_block_return_does_not_answer_icmp() -> None:
    ctx = pf("block return in all\n")

    assert run(ctx, "em0", IN, ping(OUTSIDE, HOST_IP)).reply is None


def test_block_drop_answers_nothing() -> None:
    ctx = pf("block in all\n")

    assert run(ctx, "em0", IN, syn(OUTSIDE, HOST_IP)).reply is None


def test_block_with_log_names_the_rule_number_after_expansion() -> None:
    text = (
        'nets = "{ 10.1.0.0/16, 10.2.0.0/16 }"\n'
        "pass in quick on { lo0, em0 } from $nets\n"
        "block in log from any to 10.13.37.0/24\n"
    )
    ctx = pf(text)

    decision = run(ctx, "em0", IN, syn(OUTSIDE, CONTAINER))

    assert not decision.passed
    assert decision.log_rule == 4
    assert decision.packet.dst == CONTAINER


def test_pass_without_log_logs_nothing() -> None:
    ctx = pf("pass all\n")

    assert run(ctx, "em0", IN, syn(OUTSIDE, HOST_IP)).log_rule is None


def test_log_all_logs_packets_of_the_state_too() -> None:
    ctx = pf("pass out log (all) proto udp all\n")
    run(ctx, "em0", OUT, udp(HOST_IP, OUTSIDE, 5000, 53))

    assert run(ctx, "em0", IN, udp(OUTSIDE, HOST_IP, 53, 5000)).log_rule == 0


def test_nat_log_rule_logs_with_its_own_number() -> None:
    ctx = pf("nat log on em0 from any to any -> (em0)\n")

    assert run(ctx, "em0", OUT, udp(CONTAINER, OUTSIDE)).log_rule == 0
