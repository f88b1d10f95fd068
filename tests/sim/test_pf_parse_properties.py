"""Whatever kleene renders, the simulated pf loads: properties and examples.

The inputs are the renderer's own strategies (``tests/test_pf_properties``):
random networks, endpoints and containers with published ports, rendered
with the built-in template and with a user template around the markers;
then every rendering of reference/pf-examples.md and each internal x icc x
nat combination of its load checks.
"""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kleene import pf as renderer
from kleene.backends.sim.pf import check, format_nat, format_rules, parse_ruleset
from kleene.pf import PfInputs
from tests.test_pf import FIXTURE_NAMES, load_fixture, make_network
from tests.test_pf_properties import USER_TEMPLATE, inputs

MACRO = re.compile(r'^(\w+)="(.*)"$', re.MULTILINE)
ON = re.compile(r"\bon (\$\w+|\S+)")
NAMES = re.compile(r"[^\s{},]+")

fast = settings(max_examples=50, deadline=None)
templates = st.sampled_from([renderer.default_template(), USER_TEMPLATE])


def expanded_count(text: str, keywords: tuple[str, ...]) -> int:
    """Count the rules of some kind in a rendered text, lists expanded."""
    macros = dict(MACRO.findall(text))
    count = 0
    for line in text.splitlines():
        if not line.startswith(keywords):
            continue
        on = ON.search(line)
        target = on.group(1) if on else ""
        value = macros[target[1:]] if target.startswith("$") else target
        count += len(NAMES.findall(value)) if value.startswith("{") else 1
    return count


@fast
@given(inputs(), templates)
def test_every_rendering_parses(given_inputs: PfInputs, template: str) -> None:
    text = renderer.render(template, given_inputs)

    assert check(text, "stdin") == []


@fast
@given(inputs(), templates)
def test_every_macro_of_a_rendering_is_resolved(
    given_inputs: PfInputs, template: str
) -> None:
    ruleset = parse_ruleset(renderer.render(template, given_inputs), "stdin")

    printed = format_rules(ruleset) + format_nat(ruleset)
    assert not any("$" in line for line in printed)
    interfaces = [rule.interface for rule in ruleset.filter_rules]
    interfaces += [rule.interface for rule in ruleset.rdr_rules]
    assert all(name is None or re.fullmatch(r"\w+", name) for name in interfaces)


@fast
@given(inputs(), templates)
def test_filter_rules_are_the_filtering_lines_expanded(
    given_inputs: PfInputs, template: str
) -> None:
    text = renderer.render(template, given_inputs)

    ruleset = parse_ruleset(text, "stdin")

    count = expanded_count(text, ("block ", "pass "))
    assert [rule.number for rule in ruleset.filter_rules] == list(range(count))
    assert len(ruleset.nat_rules) == expanded_count(text, ("nat ",))
    assert len(ruleset.rdr_rules) == expanded_count(text, ("rdr ",))


@fast
@given(inputs(), st.data())
def test_a_bad_line_is_reported_where_it_is(
    given_inputs: PfInputs, data: st.DataObject
) -> None:
    lines = renderer.render(renderer.default_template(), given_inputs).splitlines()
    position = data.draw(st.integers(0, len(lines)))

    lines.insert(position, "this is not pf")
    text = "\n".join(lines) + "\n"

    assert check(text, "stdin")[0] == f"stdin:{position + 1}: syntax error"


ifnames = st.lists(
    st.sampled_from(["em0", "em1", "lo0", "kleene0"]), min_size=1, max_size=3
)
protos = st.lists(st.sampled_from(["tcp", "udp"]), min_size=1, max_size=2, unique=True)
hosts = st.lists(
    st.from_regex(r"10\.[0-9]\.[0-9]\.[1-9]", fullmatch=True), min_size=1, max_size=3
)
ports = st.lists(st.integers(1, 65535), min_size=1, max_size=3)


@settings(max_examples=100)
@given(ifnames, protos, hosts, ports)
def test_a_rule_expands_to_the_product_of_its_lists(
    on: list[str], proto: list[str], src: list[str], dport: list[int]
) -> None:
    text = (
        f"pass on {{{' '.join(on)}}} proto {{{', '.join(proto)}}}"
        f" from {{{', '.join(src)}}} to any port {{{' '.join(map(str, dport))}}}\n"
    )

    rules = parse_ruleset(text, "stdin").filter_rules

    assert len(rules) == len(on) * len(proto) * len(src) * len(dport)
    assert [rule.interface for rule in rules[:: len(rules) // len(on)]] == on
    assert [rule.dst.port.low for rule in rules[: len(dport)] if rule.dst.port] == dport


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_every_reference_rendering_parses(name: str) -> None:
    template, inputs = load_fixture(name)

    assert check(renderer.render(template, inputs), "stdin") == []


@pytest.mark.parametrize(
    ("internal", "icc", "nat"),
    list(itertools.product([False, True], [False, True], ["", "em0"])),
)
def test_every_isolation_combination_parses(
    internal: bool, icc: bool, nat: str
) -> None:
    network = make_network(internal=internal, icc=icc, nat=nat, subnet6="fd00::/64")
    inputs = renderer.PfInputs(host_gateway="em0", networks=[network])

    text = renderer.render(renderer.default_template(), inputs)

    assert check(text, "stdin") == []
