"""pf's filter rules on typed packets: which rule decides, and on what."""

from __future__ import annotations

from kleene.backends.sim.packets import ACK, SYN
from tests.sim.pfeval import (
    HOST,
    IN,
    OUT,
    iface,
    passes,
    pf,
    ping,
    run,
    syn,
    syn6,
    tcp,
    udp,
)

OUTSIDE = "10.0.2.2"
HOST_IP = "10.0.2.15"


def test_no_rule_matching_passes() -> None:
    ctx = pf("block in on em1 all\n")

    assert passes(ctx, "em0", IN, syn(OUTSIDE, HOST_IP))


def test_last_matching_rule_wins() -> None:
    ctx = pf("block all\npass all\n")
    reverse = pf("pass all\nblock all\n")

    assert passes(ctx, "em0", IN, syn(OUTSIDE, HOST_IP))
    assert not passes(reverse, "em0", IN, syn(OUTSIDE, HOST_IP))


def test_quick_rule_wins_over_later_rules() -> None:
    ctx = pf("block quick all\npass all\n")

    decision = run(ctx, "em0", IN, syn(OUTSIDE, HOST_IP))

    assert not decision.passed
    assert decision.rule is not None and decision.rule.number == 0


def test_first_quick_rule_that_matches_decides() -> None:
    ctx = pf("pass quick proto udp all\nblock quick all\npass all\n")

    assert passes(ctx, "em0", IN, udp(OUTSIDE, HOST_IP))
    assert not passes(ctx, "em0", IN, syn(OUTSIDE, HOST_IP))


def test_direction_limits_a_rule() -> None:
    ctx = pf("block in all\n")

    assert not passes(ctx, "em0", IN, syn(OUTSIDE, HOST_IP))
    assert passes(ctx, "em0", OUT, syn(HOST_IP, OUTSIDE))


def test_rule_on_an_interface_ignores_the_others() -> None:
    ctx = pf("block on em0 all\n")

    assert not passes(ctx, "em0", IN, syn(OUTSIDE, HOST_IP))
    assert passes(ctx, "lo0", IN, syn("127.0.0.1", "127.0.0.1"))


def test_rule_on_a_missing_interface_matches_nothing() -> None:
    ctx = pf("block all\npass on em1 all\npass from (em1) to any\n")

    assert not passes(ctx, "em0", IN, syn(OUTSIDE, HOST_IP))


def test_rule_matches_once_the_interface_appears() -> None:
    interfaces = dict(HOST, em1=iface("em1", "192.168.1.5/24"))
    ctx = pf("block all\npass in on em1 from any to (em1)\n", interfaces)

    assert passes(ctx, "em1", IN, syn("192.168.1.9", "192.168.1.5"))


def test_negated_interface_matches_every_other_interface() -> None:
    ctx = pf("block on ! lo0 all\n")

    assert passes(ctx, "lo0", IN, syn("127.0.0.1", "127.0.0.1"))
    assert not passes(ctx, "em0", IN, syn(OUTSIDE, HOST_IP))


def test_rule_on_a_group_covers_its_members() -> None:
    ctx = pf("block on lo all\n")

    assert not passes(ctx, "kleene0", OUT, syn("10.13.37.1", "10.13.37.2"))
    assert passes(ctx, "em0", OUT, syn(HOST_IP, OUTSIDE))


def test_macro_list_expands_to_one_rule_per_interface() -> None:
    text = 'ifs = "{lo0, kleene0}"\nblock all\npass quick on $ifs all\n'
    ctx = pf(text)

    assert passes(ctx, "kleene0", IN, syn("10.13.37.2", "10.13.37.1"))
    assert passes(ctx, "lo0", IN, syn("127.0.0.1", "127.0.0.1"))
    assert not passes(ctx, "em0", IN, syn(OUTSIDE, HOST_IP))


def test_interface_address_is_the_interfaces_address_now() -> None:
    ctx = pf("block all\npass in quick to (em0)\n")

    assert passes(ctx, "em0", IN, syn(OUTSIDE, HOST_IP))
    assert not passes(ctx, "em0", IN, syn(OUTSIDE, "10.0.2.16"))


def test_interface_address_follows_address_changes() -> None:
    text = "block all\npass in quick to (em0)\n"
    moved = dict(HOST, em0=iface("em0", "10.0.2.99/24"))

    assert not passes(pf(text, moved), "em0", IN, syn(OUTSIDE, HOST_IP))
    assert passes(pf(text, moved), "em0", IN, syn(OUTSIDE, "10.0.2.99"))


def test_interface_network_is_the_subnet_of_its_addresses() -> None:
    ctx = pf("block all\npass quick from (kleene0:network)\n")

    assert passes(ctx, "em0", OUT, syn("10.13.37.200", OUTSIDE))
    assert not passes(ctx, "em0", OUT, syn("10.13.38.2", OUTSIDE))


def test_interface_network_leaves_out_link_local_addresses() -> None:
    ctx = pf("block all\npass quick inet6 from (em0:network)\n")

    assert not passes(ctx, "em0", OUT, syn6("fe80::9", "fd00::1"))


def test_negated_address_of_a_missing_interface_matches_everything() -> None:
    ctx = pf("block all\npass quick from ! (em9)\n")

    assert passes(ctx, "em0", OUT, syn(HOST_IP, OUTSIDE))


def test_address_family_limits_a_rule() -> None:
    ctx = pf("block inet6 all\n")

    assert passes(ctx, "em0", IN, syn(OUTSIDE, HOST_IP))
    assert not passes(ctx, "em0", IN, syn6("fd00::2", "fd00::1"))


def test_cidr_address_matches_its_network() -> None:
    ctx = pf("block in from 10.0.2.0/24 to any\n")

    assert not passes(ctx, "em0", IN, syn("10.0.2.77", HOST_IP))
    assert passes(ctx, "em0", IN, syn("10.0.3.77", HOST_IP))


def test_single_port_matches_only_itself() -> None:
    ctx = pf("block all\npass quick proto tcp to port 80\n")

    assert passes(ctx, "em0", IN, syn(OUTSIDE, HOST_IP, dport=80))
    assert not passes(ctx, "em0", IN, syn(OUTSIDE, HOST_IP, dport=81))


def test_port_range_includes_both_ends() -> None:
    ctx = pf("block all\npass quick proto tcp to port 4000:5000\n")

    for port, expected in ((3999, False), (4000, True), (5000, True), (5001, False)):
        assert passes(ctx, "em0", IN, syn(OUTSIDE, HOST_IP, dport=port)) is expected


def test_source_port_is_matched_too() -> None:
    ctx = pf("block all\npass quick proto udp from any port 53\n")

    assert passes(ctx, "em0", IN, udp(OUTSIDE, HOST_IP, sport=53, dport=9))
    assert not passes(ctx, "em0", IN, udp(OUTSIDE, HOST_IP, sport=54, dport=53))


def test_protocol_list_expands_to_one_rule_per_protocol() -> None:
    ctx = pf("block all\npass quick proto { tcp, udp } to port 53\n")

    assert passes(ctx, "em0", IN, udp(OUTSIDE, HOST_IP))
    assert passes(ctx, "em0", IN, syn(OUTSIDE, HOST_IP, dport=53))
    assert not passes(ctx, "em0", IN, ping(OUTSIDE, HOST_IP))


def test_pass_rule_matches_only_a_syn_by_default() -> None:
    ctx = pf("block all\npass in quick proto tcp all\n")

    assert passes(ctx, "em0", IN, syn(OUTSIDE, HOST_IP))
    assert not passes(ctx, "em0", IN, tcp(OUTSIDE, HOST_IP, 1, 80, ACK))


def test_flags_any_matches_every_segment() -> None:
    ctx = pf("block all\npass in quick proto tcp all flags any\n")

    assert passes(ctx, "em0", IN, tcp(OUTSIDE, HOST_IP, 1, 80, ACK))
    assert passes(ctx, "em0", IN, tcp(OUTSIDE, HOST_IP, 1, 80, SYN | ACK))


def test_skipped_interface_is_not_filtered() -> None:
    ctx = pf("set skip on lo0\nblock all\n")

    assert passes(ctx, "lo0", IN, syn("127.0.0.1", "127.0.0.1"))
    assert not passes(ctx, "em0", IN, syn(OUTSIDE, HOST_IP))


def test_skipped_group_skips_its_members() -> None:
    ctx = pf("set skip on lo\nblock all\n")

    assert passes(ctx, "kleene0", IN, syn("10.13.37.2", "10.13.37.1"))


def test_filter_rules_are_cached_per_interface_direction_and_protocol() -> None:
    ctx = pf("block in on em0 all\nblock out all\nblock in proto udp all\n")
    em0 = HOST["em0"]

    first = ctx.rules.filters_on(em0, IN, 4, 6)

    assert first is ctx.rules.filters_on(em0, IN, 4, 6)
    assert [item.rule.number for item in first] == [0]
    assert [item.rule.number for item in ctx.rules.filters_on(em0, IN, 4, 17)] == [0, 2]
    assert [item.rule.number for item in ctx.rules.filters_on(em0, OUT, 4, 6)] == [1]
