"""Property tests of the pf.conf renderer over random networks and containers."""

from __future__ import annotations

import re
from dataclasses import replace
from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from kleene import pf
from kleene.model import (
    Container,
    Endpoint,
    Network,
    NetworkDriver,
    NetworkType,
    Protocol,
    PublishedPort,
)
from kleene.pf import PfInputs

USER_TEMPLATE = (
    "set block-policy drop\n"
    "<%= kleene_macros %>\n"
    "scrub in all fragment reassemble\n"
    "<%= kleene_translation %>\n"
    "block log all\n"
    "<%= kleene_filtering %>\n"
    "pass out quick on em0 all\n"
)
MACRO_DEFINITION = re.compile(r'^(\w+)="', re.MULTILINE)
MACRO_REFERENCE = re.compile(r"\$(\w+)")

ids = st.text("0123456789abcdef", min_size=1, max_size=12)
names = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=8)
host_interfaces = st.sampled_from(["em0", "em1", "vtnet0"])


def ipv4(index: int) -> st.SearchStrategy[str]:
    return st.sampled_from(["", f"10.{index}.0.2", f"10.{index}.0.3"])


def ipv6(index: int) -> st.SearchStrategy[str]:
    return st.sampled_from(["", f"fd{index:02x}::2", f"fd{index:02x}::3"])


@st.composite
def networks(draw: st.DrawFn) -> list[Network]:
    count = draw(st.integers(0, 4))
    network_ids = draw(st.lists(ids, min_size=count, max_size=count, unique=True))
    network_names = draw(st.lists(names, min_size=count, max_size=count, unique=True))
    return [
        Network(
            id=network_id,
            name=name,
            type=draw(st.sampled_from(NetworkType)),
            interface=f"kleene{index}",
            subnet=draw(st.sampled_from(["", f"10.{index}.0.0/24"])),
            subnet6=draw(st.sampled_from(["", f"fd{index:02x}::/64"])),
            nat=draw(st.sampled_from(["", "em0", "em1"])),
            icc=draw(st.booleans()),
            internal=draw(st.booleans()),
        )
        for index, (network_id, name) in enumerate(
            zip(network_ids, network_names, strict=True)
        )
    ]


@st.composite
def endpoints(draw: st.DrawFn, network_id: str, index: int) -> list[Endpoint]:
    count = draw(st.integers(0, 3))
    return [
        Endpoint(
            id=f"ep{index}x{number}",
            network_id=network_id,
            container_id=f"c{number}",
            ip_address=draw(ipv4(index)),
            ip_address6=draw(ipv6(index)),
            epair=draw(st.sampled_from([None, f"epair{index * 4 + number}"])),
        )
        for number in range(count)
    ]


@st.composite
def ports(draw: st.DrawFn) -> PublishedPort:
    start = draw(st.integers(1, 60000))
    size = draw(st.integers(0, 500))
    container_start = draw(st.integers(1, 60000))
    if draw(st.booleans()):
        host_port, container_port = f"{start}:{start + size}", f"{container_start}:*"
    else:
        host_port = str(start)
        container_port = draw(st.sampled_from([str(container_start), f"{start}:*"]))
    return PublishedPort(
        interfaces=draw(st.lists(host_interfaces, max_size=2, unique=True)),
        host_port=host_port,
        container_port=container_port,
        protocol=draw(st.sampled_from(Protocol)),
    )


@st.composite
def containers(
    draw: st.DrawFn,
) -> list[tuple[Container, list[Endpoint]]]:
    count = draw(st.integers(0, 3))
    result = []
    for number in range(count):
        container = Container(
            id=f"c{number}",
            name=f"container{number}",
            image_id="img",
            image_name="FreeBSD",
            image_tag="latest",
            cmd=["/bin/sh"],
            network_driver=draw(st.sampled_from(NetworkDriver)),
            public_ports=draw(st.lists(ports(), max_size=3)),
            created=f"2024-01-01T00:00:0{number}Z",
            path=f"/zroot/kleene/container/c{number}",
        )
        result.append((container, draw(endpoints(f"n{number}", number))))
    return result


@st.composite
def inputs(draw: st.DrawFn) -> PfInputs:
    chosen = draw(networks())
    members = {
        network.id: draw(endpoints(network.id, index))
        for index, network in enumerate(chosen)
    }
    return PfInputs(
        host_gateway=draw(st.sampled_from([None, "em0", "vtnet0"])),
        networks=chosen,
        endpoints=members,
        containers=draw(containers()),
    )


# Rendering is cheap; generating the inputs dominates, so fewer examples suffice.
fast = settings(max_examples=50)
templates = st.sampled_from([pf.default_template(), USER_TEMPLATE])


@fast
@given(inputs(), templates)
def test_render_is_deterministic(given_inputs: PfInputs, template: str) -> None:
    assert pf.render(template, given_inputs) == pf.render(template, given_inputs)


@fast
@given(inputs(), templates)
def test_render_replaces_every_marker(given_inputs: PfInputs, template: str) -> None:
    text = pf.render(template, given_inputs)

    assert "<%=" not in text
    assert "kleenet_network_interfaces=" in text


@fast
@given(inputs(), templates)
def test_every_referenced_macro_is_defined(
    given_inputs: PfInputs, template: str
) -> None:
    text = pf.render(template, given_inputs)

    defined = set(MACRO_DEFINITION.findall(text))
    assert set(MACRO_REFERENCE.findall(text)) <= defined


@fast
@given(inputs())
def test_every_subnet_is_blocked_by_default(given_inputs: PfInputs) -> None:
    filtering = pf.render_filtering(given_inputs)

    for network in given_inputs.networks:
        p = f"kleenet_{network.id}"
        if network.subnet:
            assert f"block in log from any to ${p}_subnet" in filtering
        if network.subnet6:
            assert f"block in log from any to ${p}_subnet6" in filtering


@fast
@given(inputs())
def test_unknown_host_gateway_is_never_referenced(given_inputs: PfInputs) -> None:
    unknown = replace(given_inputs, host_gateway=None)

    assert "kleenet_host_gw_if" not in pf.render(pf.default_template(), unknown)


@fast
@given(inputs(), st.randoms(use_true_random=False))
def test_network_order_does_not_matter(given_inputs: PfInputs, rng: Random) -> None:
    shuffled = list(given_inputs.networks)
    rng.shuffle(shuffled)

    reordered = replace(given_inputs, networks=shuffled)

    template = pf.default_template()
    assert pf.render(template, reordered) == pf.render(template, given_inputs)


@fast
@given(inputs())
def test_filter_rules_never_keep_an_open_port_range(given_inputs: PfInputs) -> None:
    filtering = pf.render_filtering(given_inputs)

    assert not any(line.endswith(":*") for line in filtering)
