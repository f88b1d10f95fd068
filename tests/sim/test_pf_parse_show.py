"""``pfctl -s rules`` and ``pfctl -s nat`` lines of a parsed ruleset."""

from __future__ import annotations

import pytest

from kleene import pf as renderer
from kleene.backends.sim.pf import format_nat, format_rules, parse_ruleset
from tests.test_pf import load_fixture


def rules(text: str) -> list[str]:
    return format_rules(parse_ruleset(text, "stdin"))


def nat(text: str) -> list[str]:
    return format_nat(parse_ruleset(text, "stdin"))


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        (
            "block in log from any to 10.13.37.0/24",
            "block drop in log inet from any to 10.13.37.0/24",
        ),
        (
            "pass quick on kleene0 from 10.13.37.0/24 to 10.13.37.0/24",
            "pass quick on kleene0 inet from 10.13.37.0/24 to 10.13.37.0/24"
            " flags S/SA keep state",
        ),
        (
            "block out quick log on lo0 from fd00::/64",
            "block drop out log quick on lo0 inet6 from fd00::/64 to any",
        ),
        ("block log all", "block drop log all"),
        (
            "pass out quick on em0 all",
            "pass out quick on em0 all flags S/SA keep state",
        ),
        (
            "pass in quick on em0 proto tcp from 10.0.2.2 to 10.0.2.15 port 22",
            "pass in quick on em0 inet proto tcp from 10.0.2.2 to 10.0.2.15"
            " port = ssh flags S/SA keep state",
        ),
        (
            "pass quick on em0 inet proto udp from any to 10.13.37.3 port 53",
            "pass quick on em0 inet proto udp from any to 10.13.37.3"
            " port = domain keep state",
        ),
        (
            "pass proto tcp to port 8081",
            "pass proto tcp from any to any port = 8081 flags S/SA keep state",
        ),
        (
            "pass proto tcp to port 80:90",
            "pass proto tcp from any to any port 80:90 flags S/SA keep state",
        ),
        (
            "pass proto tcp from any port > 1023 to ! 10.0.0.1 port 1 >< 9",
            "pass inet proto tcp from any port > 1023 to ! 10.0.0.1 port 1 >< 9"
            " flags S/SA keep state",
        ),
        ("pass all no state", "pass all no state"),
        ("pass proto tcp all flags any", "pass proto tcp all flags any keep state"),
        ("pass proto icmp all", "pass proto icmp all keep state"),
        ("pass inet6 proto icmp6 all", "pass inet6 proto ipv6-icmp all keep state"),
        (
            'pass on ! em0 all modulate state label "web"',
            'pass on ! em0 all flags S/SA modulate state label "web"',
        ),
        ("block return all", "block return all"),
        ("block return-rst proto tcp all", "block return-rst proto tcp all"),
        ("block return-icmp inet all", "block return-icmp(port-unr) inet all"),
        ("block log (all) all", "block drop log (all) all"),
        (
            "pass from (kleene0:network) to (em0)",
            "pass from (kleene0:network) to (em0) flags S/SA keep state",
        ),
        (
            "pass inet from (em0:0) to (em0)/24",
            "pass inet from (em0:0) to (em0)/24 flags S/SA keep state",
        ),
        ("pass from 10/8", "pass inet from 10.0.0.0/8 to any flags S/SA keep state"),
    ],
)
def test_filter_rule_prints_as_pfctl(written: str, printed: str) -> None:
    assert rules(f"{written}\n") == [printed]


def test_set_block_policy_return_prints_return() -> None:
    assert rules("set block-policy return\nblock all\n") == ["block return all"]


def test_macros_and_lists_print_one_rule_per_line() -> None:
    text = (
        'ifs = "{lo0, kleene0,kleene1}"\nblock out quick log on $ifs from 10.0.0.0/24\n'
    )

    assert rules(text) == [
        f"block drop out log quick on {name} inet from 10.0.0.0/24 to any"
        for name in ("lo0", "kleene0", "kleene1")
    ]


def test_scrub_rules_print_before_filter_rules() -> None:
    text = (
        "scrub in on em0 all fragment reassemble\n"
        "scrub out all no-df max-mss 1400\npass all\n"
    )

    assert rules(text) == [
        "scrub in on em0 all fragment reassemble",
        "scrub out all no-df max-mss 1400 fragment reassemble",
        "pass all flags S/SA keep state",
    ]


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        (
            "nat on em0 inet from 10.13.37.0/24 to any -> (em0)",
            "nat on em0 inet from 10.13.37.0/24 to any -> (em0) round-robin",
        ),
        (
            "nat on em0 from (kleene0:network) to any -> (em0)",
            "nat on em0 from (kleene0:network) to any -> (em0) round-robin",
        ),
        (
            "nat on em0 from 10.0.0.0/24 to any -> 192.0.2.1",
            "nat on em0 inet from 10.0.0.0/24 to any -> 192.0.2.1",
        ),
        (
            "nat on em0 from 10.0.0.0/24 to any -> 192.0.2.1 static-port",
            "nat on em0 inet from 10.0.0.0/24 to any -> 192.0.2.1 static-port",
        ),
        (
            "nat on em0 from 10.0.0.0/24 to any -> 192.0.2.1 port 1024:2048",
            "nat on em0 inet from 10.0.0.0/24 to any -> 192.0.2.1 port 1024:2048",
        ),
        (
            "nat pass log on em0 from 10/8 to any -> {192.0.2.1 192.0.2.2}",
            "nat pass log on em0 inet from 10.0.0.0/8 to any"
            " -> { 192.0.2.1, 192.0.2.2 } round-robin",
        ),
        (
            "rdr on em0 inet proto tcp to (em0) port 8080 -> 10.13.37.2 port 80",
            "rdr on em0 inet proto tcp from any to (em0) port = http-alt"
            " -> 10.13.37.2 port 80",
        ),
        (
            "rdr on em0 inet proto tcp to (em0) port 8080:8090 -> 10.13.37.2 port 80:*",
            "rdr on em0 inet proto tcp from any to (em0) port 8080:8090"
            " -> 10.13.37.2 port 80:90",
        ),
        (
            "rdr on em0 proto udp to port 53 -> fd00::3",
            "rdr on em0 inet6 proto udp from any to any port = domain -> fd00::3",
        ),
    ],
)
def test_translation_rule_prints_as_pfctl(written: str, printed: str) -> None:
    assert nat(f"{written}\n") == [printed]


def test_nat_rules_print_before_rdr_rules() -> None:
    text = (
        "rdr on em0 proto tcp to port 80 -> 10.0.0.2\n"
        "nat on em0 from 10.0.0.0/24 to any -> (em0)\n"
    )

    assert [line.split()[0] for line in nat(text)] == ["nat", "rdr"]


def test_published_port_rendering_prints_as_pfctl_would() -> None:
    template, inputs = load_fixture("F2")
    ruleset = parse_ruleset(renderer.render(template, inputs), "stdin")

    assert format_nat(ruleset) == [
        "nat on em0 from (kleene0:network) to any -> (em0) round-robin",
        "rdr on em0 inet proto tcp from any to (em0) port = http-alt"
        " -> 10.13.37.2 port 80",
    ]
    assert format_rules(ruleset) == [
        "block drop in log inet from any to 10.13.37.0/24",
        *(
            f"pass quick on {name} inet from 10.13.37.0/24 to 10.13.37.0/24"
            " flags S/SA keep state"
            for name in ("kleene0", "lo0", "epair0a")
        ),
        *(
            f"pass quick on {name} inet proto tcp from any to 10.13.37.2"
            " port = http flags S/SA keep state"
            for name in ("em0", "lo0", "kleene0")
        ),
    ]
