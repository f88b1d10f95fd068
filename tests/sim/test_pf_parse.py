"""The simulated host's pf.conf parser: constructs, macros and the model.

Errors and their line numbers are in ``test_pf_parse_errors.py``, the
``pfctl -s`` printing in ``test_pf_parse_show.py``.
"""

from __future__ import annotations

import ipaddress
import itertools

import pytest

from kleene.backends.sim.pf import (
    Action,
    AddressFamily,
    AddressSpec,
    AnyAddress,
    BlockPolicy,
    Direction,
    FilterRule,
    HostAddress,
    InterfaceAddress,
    InterfaceMode,
    KeepState,
    PortOp,
    PortSpec,
    Ruleset,
    TcpFlags,
    TranslationKind,
    parse_ruleset,
)

TCP, UDP = 6, 17


def parse(text: str) -> Ruleset:
    return parse_ruleset(text, "stdin")


def only_rule(text: str) -> FilterRule:
    (rule,) = parse(text).filter_rules
    return rule


def host(text: str) -> AddressSpec:
    return AddressSpec(HostAddress(ipaddress.ip_interface(text)))


def test_empty_text_is_an_empty_ruleset() -> None:
    ruleset = parse("")

    assert (ruleset.filter_rules, ruleset.nat_rules, ruleset.rdr_rules) == ((), (), ())


def test_comments_and_blank_lines_are_ignored() -> None:
    ruleset = parse("# a comment\n\npass all # trailing comment\n   \n")

    assert len(ruleset.filter_rules) == 1


def test_backslash_continues_a_statement_on_the_next_line() -> None:
    rule = only_rule("pass \\\n  quick on em0 \\\n  all\n")

    assert (rule.quick, rule.interface, rule.line) == (True, "em0", 1)


def test_last_line_needs_no_newline() -> None:
    assert only_rule("pass all").action is Action.PASS


def test_macro_is_replaced_by_its_value() -> None:
    rule = only_rule('ext_if = "em0"\npass in on $ext_if all\n')

    assert rule.interface == "em0"


def test_macro_list_expands_with_or_without_commas() -> None:
    ruleset = parse(
        'a = "{em0, em1}"\nb = "{em2 em3}"\npass on $a all\npass on $b all\n'
    )

    names = [rule.interface for rule in ruleset.filter_rules]
    assert names == ["em0", "em1", "em2", "em3"]


def test_macros_nest_the_documented_way() -> None:
    text = (
        'host1 = "10.0.0.1"\nhost2 = "10.0.0.2"\n'
        'all_hosts = "{" $host1 $host2 "}"\npass from $all_hosts\n'
    )
    ruleset = parse(text)

    assert dict(ruleset.macros)["all_hosts"] == "{ 10.0.0.1 10.0.0.2 }"
    sources = [rule.src.address for rule in ruleset.filter_rules]
    assert sources == [host("10.0.0.1"), host("10.0.0.2")]


def test_macro_value_joins_with_the_text_after_it() -> None:
    rule = only_rule('if = "kleene0"\npass from ($if:network)\n')

    assert rule.src.address.address == InterfaceAddress(
        "kleene0", InterfaceMode.NETWORK
    )


def test_number_macro_is_kept_as_digits() -> None:
    rule = only_rule("http_port = 80\npass proto tcp to port $http_port\n")

    assert rule.dst.port == PortSpec(PortOp.EQ, 80)


def test_redefined_macro_takes_its_last_value() -> None:
    rule = only_rule('if = "em0"\nif = "em1"\npass on $if all\n')

    assert rule.interface == "em1"


def test_set_block_policy_applies_to_later_block_rules() -> None:
    ruleset = parse("set block-policy return\nblock all\nblock drop all\n")

    assert ruleset.options.block_policy is BlockPolicy.RETURN
    policies = [rule.block_policy for rule in ruleset.filter_rules]
    assert policies == [BlockPolicy.RETURN, BlockPolicy.DROP]


@pytest.mark.parametrize(
    ("text", "skipped"),
    [
        ("set skip on lo0\n", ("lo0",)),
        ("set skip on {lo0, em0}\n", ("lo0", "em0")),
        ("set skip on lo0\nset skip on {em0 lo0}\n", ("lo0", "em0")),
        ("set skip on lo0\nset skip on none\n", ()),
    ],
)
def test_set_skip_names_interfaces(text: str, skipped: tuple[str, ...]) -> None:
    assert parse(text).options.skip_interfaces == skipped


def test_other_options_are_kept() -> None:
    text = (
        "set loginterface em0\nset optimization aggressive\n"
        "set state-policy if-bound\nset require-order yes\n"
    )
    options = parse(text).options

    assert (options.loginterface, options.optimization) == ("em0", "aggressive")
    assert options.state_policy.value == "if-bound"


@pytest.mark.parametrize(
    "text",
    ["scrub in all\n", "scrub in on em0 all fragment reassemble\n"],
)
def test_scrub_is_accepted(text: str) -> None:
    (rule,) = parse(text).scrub_rules

    assert (rule.number, rule.direction) == (0, Direction.IN)


def test_nat_rule_keeps_its_interface_target_unresolved() -> None:
    text = "nat on em0 from (kleene0:network) to any -> (em0)\n"
    (rule,) = parse(text).nat_rules

    assert (rule.kind, rule.interface, rule.af) == (TranslationKind.NAT, "em0", None)
    assert rule.src.address.address == InterfaceAddress(
        "kleene0", InterfaceMode.NETWORK
    )
    assert rule.pool.addresses == (InterfaceAddress("em0"),)
    assert rule.pool.ports == (50001, 65535)


def test_nat_family_comes_from_its_source() -> None:
    (rule,) = parse("nat on em0 from 10.0.0.0/24 to any -> (em0)\n").nat_rules

    assert rule.af is AddressFamily.INET


def test_rdr_rule_maps_a_port() -> None:
    text = (
        "rdr on em0 inet proto tcp from any to (em0) port 8080 -> 10.13.37.2 port 80\n"
    )
    (rule,) = parse(text).rdr_rules

    assert (rule.proto, rule.dst.port) == (TCP, PortSpec(PortOp.EQ, 8080))
    assert rule.dst.address.address == InterfaceAddress("em0")
    assert rule.pool.addresses == (host("10.13.37.2").address,)
    assert rule.rdr_port(8080) == 80


def test_rdr_range_with_star_maps_port_by_port() -> None:
    text = "rdr on em0 inet proto tcp to port 8080:8090 -> 10.0.0.2 port 80:*\n"
    (rule,) = parse(text).rdr_rules

    assert rule.pool.ports == (80, 90)
    assert [rule.rdr_port(port) for port in (8080, 8085, 8090)] == [80, 85, 90]


def test_rdr_star_on_a_single_port_still_maps_to_the_first_port() -> None:
    text = "rdr on em0 inet proto tcp to port 8080 -> 10.0.0.2 port 80:*\n"
    (rule,) = parse(text).rdr_rules

    assert rule.rdr_port(8080) == 80


def test_filter_rule_keeps_every_field() -> None:
    text = (
        "block out quick log on em0 inet proto tcp"
        " from 10.0.0.0/8 port 1024:2048 to ! 10.1.0.1 port ssh\n"
    )
    rule = only_rule(text)

    assert (rule.action, rule.direction, rule.quick, rule.log) == (
        Action.BLOCK,
        Direction.OUT,
        True,
        True,
    )
    assert (rule.interface, rule.af, rule.proto) == ("em0", AddressFamily.INET, TCP)
    assert rule.src.address == host("10.0.0.0/8")
    assert rule.src.port == PortSpec(PortOp.RANGE, 1024, 2048)
    assert rule.dst.address == AddressSpec(host("10.1.0.1").address, negated=True)
    assert rule.dst.port == PortSpec(PortOp.EQ, 22)
    assert (rule.keep_state, rule.flags) == (KeepState.NONE, None)


@pytest.mark.parametrize("text", ["pass log quick all\n", "pass quick log all\n"])
def test_log_and_quick_come_in_either_order(text: str) -> None:
    rule = only_rule(text)

    assert (rule.log, rule.quick) == (True, True)


def test_pass_keeps_state_with_syn_flags_by_default() -> None:
    rule = only_rule("pass all\n")

    assert rule.keep_state is KeepState.KEEP
    assert rule.flags == TcpFlags(0b10, 0b10010)


@pytest.mark.parametrize(
    ("options", "keep", "flags"),
    [
        ("keep state", KeepState.KEEP, TcpFlags(2, 18)),
        ("flags S/SA keep state", KeepState.KEEP, TcpFlags(2, 18)),
        ("no state", KeepState.NONE, None),
        ("flags any", KeepState.KEEP, None),
        ("modulate state", KeepState.MODULATE, TcpFlags(2, 18)),
    ],
)
def test_pass_state_options(
    options: str, keep: KeepState, flags: TcpFlags | None
) -> None:
    rule = only_rule(f"pass proto tcp all {options}\n")

    assert (rule.keep_state, rule.flags) == (keep, flags)


def test_udp_rule_has_no_flags() -> None:
    assert only_rule("pass proto udp all\n").flags is None


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("any", AnyAddress()),
        ("10.0.0.1", host("10.0.0.1").address),
        ("10.13.37.0/24", host("10.13.37.0/24").address),
        ("10/8", host("10.0.0.0/8").address),
        ("fd00::1", host("fd00::1").address),
        ("fdef:1234:5678::/48", host("fdef:1234:5678::/48").address),
        ("(em0)", InterfaceAddress("em0")),
        ("(em0:network)", InterfaceAddress("em0", InterfaceMode.NETWORK)),
        ("(em0:0)", InterfaceAddress("em0", noalias=True)),
        ("(em0)/24", InterfaceAddress("em0", prefixlen=24)),
    ],
)
def test_address_forms(text: str, address: object) -> None:
    assert only_rule(f"pass to {text}\n").dst.address.address == address


def test_negated_address() -> None:
    assert only_rule("pass from ! (em0)\n").src.address.negated


@pytest.mark.parametrize(
    ("text", "port"),
    [
        ("80", PortSpec(PortOp.EQ, 80)),
        ("= 80", PortSpec(PortOp.EQ, 80)),
        ("8080:8090", PortSpec(PortOp.RANGE, 8080, 8090)),
        ("80:80", PortSpec(PortOp.EQ, 80)),
        ("ssh", PortSpec(PortOp.EQ, 22)),
        ("domain", PortSpec(PortOp.EQ, 53)),
        ("http", PortSpec(PortOp.EQ, 80)),
        ("https", PortSpec(PortOp.EQ, 443)),
        ("!= 22", PortSpec(PortOp.NE, 22)),
        ("< 1024", PortSpec(PortOp.LT, 1024)),
        (">= 1024", PortSpec(PortOp.GE, 1024)),
        ("1000 <> 2000", PortSpec(PortOp.EXCEPT_RANGE, 1000, 2000)),
        ("1000 >< 2000", PortSpec(PortOp.INSIDE_RANGE, 1000, 2000)),
    ],
)
def test_port_forms(text: str, port: PortSpec) -> None:
    assert only_rule(f"pass proto tcp to port {text}\n").dst.port == port


def test_port_ops_match_as_pf_does() -> None:
    inside = PortSpec(PortOp.INSIDE_RANGE, 10, 20)
    outside = PortSpec(PortOp.EXCEPT_RANGE, 10, 20)
    span = PortSpec(PortOp.RANGE, 10, 20)

    assert [inside.matches(p) for p in (10, 11, 20)] == [False, True, False]
    assert [outside.matches(p) for p in (9, 10, 21)] == [True, False, True]
    assert [span.matches(p) for p in (9, 10, 20)] == [False, True, True]


def test_interfaces_may_be_negated_and_need_not_exist() -> None:
    rules = parse("pass on {nosuch0 ! nosuch1} all\n").filter_rules

    named = [(rule.interface, rule.interface_negated) for rule in rules]
    assert named == [("nosuch0", False), ("nosuch1", True)]


def test_list_expansion_follows_pfctls_order() -> None:
    text = (
        "pass on {a b} proto {tcp udp} from {10.0.0.1 10.0.0.2} port {1 2}"
        " to {10.0.1.1 10.0.1.2} port {3 4}\n"
    )
    rules = parse(text).filter_rules

    expected = itertools.product(
        ["a", "b"],
        [TCP, UDP],
        ["10.0.0.1", "10.0.0.2"],
        [1, 2],
        ["10.0.1.1", "10.0.1.2"],
        [3, 4],
    )
    got = [
        (r.interface, r.proto, r.src.address, r.src.port, r.dst.address, r.dst.port)
        for r in rules
    ]
    assert got == [
        (i, p, host(s), PortSpec(PortOp.EQ, sp), host(d), PortSpec(PortOp.EQ, dp))
        for i, p, s, sp, d, dp in expected
    ]
    assert [rule.number for rule in rules] == list(range(64))


def test_numbers_run_on_across_statements_and_apart_per_ruleset() -> None:
    text = (
        "nat on em0 from 10.0.0.0/24 to any -> (em0)\n"
        "rdr on {em0 em1} proto tcp to port 80 -> 10.0.0.2\n"
        "block on {a b} all\npass on {a b c} all\n"
    )
    ruleset = parse(text)

    assert [r.number for r in ruleset.nat_rules] == [0]
    assert [r.number for r in ruleset.rdr_rules] == [0, 1]
    numbered = [(rule.number, rule.line) for rule in ruleset.filter_rules]
    assert numbered == [(0, 3), (1, 3), (2, 4), (3, 4), (4, 4)]


def test_combinations_of_different_families_are_left_out() -> None:
    text = "pass from {10.0.0.1 fd00::1} to {10.0.0.2 fd00::2}\n"
    rules = parse(text).filter_rules

    assert [(r.af, r.dst.address) for r in rules] == [
        (AddressFamily.INET, host("10.0.0.2")),
        (AddressFamily.INET6, host("fd00::2")),
    ]


def test_any_inside_a_list_is_dropped_as_pfctl_drops_it() -> None:
    rules = parse("pass from {any, 10.0.0.1}\n").filter_rules

    assert [rule.src.address for rule in rules] == [host("10.0.0.1")]


def test_lists_may_span_lines_inside_braces() -> None:
    rules = parse("pass on {\n em0\n em1\n} all\n").filter_rules

    assert [rule.interface for rule in rules] == ["em0", "em1"]
