"""Golden and unit tests of the pf.conf renderer (SPEC §5, reference/pf-examples.md).

Each fixture of pf-examples.md is a pair in ``fixtures/pf``: ``<name>.json``
(the input) and ``<name>.pf`` (the expected output, byte for byte). Values a
fixture leaves out are the defaults that pf-examples.md states.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from kleene import pf
from kleene.errors import ValidationError
from kleene.model import Container, Endpoint, Network, PublishedPort
from kleene.pf import PfInputs

FIXTURES = Path(__file__).parent / "fixtures" / "pf"
FIXTURE_NAMES = sorted(path.stem for path in FIXTURES.glob("*.json"))
FIXTURE_TEMPLATE = (FIXTURES / "fixture.template").read_text()

NETWORK_DEFAULTS: dict[str, Any] = {
    "id": "netid",
    "name": "netid",
    "type": "loopback",
    "interface": "kleene0",
    "subnet": "10.13.37.0/24",
}
PORT_DEFAULTS: dict[str, Any] = {
    "interfaces": ["em0"],
    "host_port": "8080",
    "container_port": "80",
    "protocol": "tcp",
}
CONTAINER_DEFAULTS: dict[str, Any] = {
    "name": "web",
    "image_id": "img",
    "image_name": "FreeBSD",
    "image_tag": "latest",
    "cmd": ["/bin/sh"],
    "network_driver": "vnet",
    "created": "2024-01-01T00:00:00Z",
    "path": "/zroot/kleene/container",
}
MARKER_ERROR = (
    "pf template {} must contain <%= kleene_macros %>, <%= kleene_translation %>"
    " and <%= kleene_filtering %> once each, in this order"
)


def make_network(**fields: Any) -> Network:
    return Network.model_validate(NETWORK_DEFAULTS | fields)


def make_port(**fields: Any) -> PublishedPort:
    return PublishedPort.model_validate(PORT_DEFAULTS | fields)


def make_container(cid: str, ports: Sequence[PublishedPort] = ()) -> Container:
    fields = CONTAINER_DEFAULTS | {"id": cid, "public_ports": list(ports)}
    return Container.model_validate(fields)


def make_endpoint(**fields: Any) -> Endpoint:
    defaults = {"id": "ep", "network_id": "netid", "container_id": "c1"}
    return Endpoint.model_validate(defaults | fields)


def with_ports(
    *ports: PublishedPort, ip: str = "10.13.37.2", ip6: str = ""
) -> PfInputs:
    """Return inputs of one container, on no network, that publishes ports."""
    endpoint = make_endpoint(ip_address=ip, ip_address6=ip6)
    container = make_container("c1", ports)
    return PfInputs(host_gateway="em0", containers=[(container, [endpoint])])


def load_fixture(name: str) -> tuple[str, PfInputs]:
    data = json.loads((FIXTURES / f"{name}.json").read_text())
    networks, endpoints = [], {}
    for fields in data["networks"]:
        members = fields.pop("endpoints", [])
        network = make_network(**fields)
        networks.append(network)
        endpoints[network.id] = [
            make_endpoint(network_id=network.id, **member) for member in members
        ]

    containers = []
    for fields in data["containers"]:
        ports = [make_port(**port) for port in fields["public_ports"]]
        own = [
            make_endpoint(container_id=fields["id"], **e) for e in fields["endpoints"]
        ]
        containers.append((make_container(fields["id"], ports), own))

    template = (FIXTURES / data["template"]).read_text()
    inputs = PfInputs(data["host_gateway"], networks, endpoints, containers)
    return template, inputs


def render(inputs: PfInputs) -> str:
    return pf.render(FIXTURE_TEMPLATE, inputs)


def section(text: str, name: str) -> str:
    """Return the lines between a section's START and END lines, each with "\\n"."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if f" {name} START " in line)
    end = next(i for i, line in enumerate(lines) if f" {name} END " in line)
    return "".join(line + "\n" for line in lines[start + 1 : end])


def rendered_network(**fields: Any) -> str:
    return render(PfInputs(host_gateway="em0", networks=[make_network(**fields)]))


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_render_reproduces_fixture(name: str) -> None:
    template, inputs = load_fixture(name)
    expected = (FIXTURES / f"{name}.pf").read_text()

    assert pf.render(template, inputs) == expected


def test_fixtures_cover_every_example() -> None:
    names = ["F1", "F1b", "F2", "F3", "F4", "F4b", "F5", "F6", "F7", "F8"]
    assert names == FIXTURE_NAMES


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_render_twice_gives_identical_text(name: str) -> None:
    template, inputs = load_fixture(name)

    assert pf.render(template, inputs) == pf.render(template, inputs)


def test_default_template_is_the_fourteen_lines_of_the_spec() -> None:
    template = pf.default_template()
    header = (
        "# pf.conf rendered by kleene from its template; changes made here are"
        " overwritten.\n"
        "# Put your own options and rules in the template, around the KLEENED"
        " sections.\n"
        "\n"
    )

    assert template == header + FIXTURE_TEMPLATE
    assert len(template.splitlines(keepends=True)) == 14


def test_render_with_default_template_keeps_its_comment_lines() -> None:
    inputs = PfInputs(host_gateway="em0")
    expected = (FIXTURES / "F1.pf").read_text()

    text = pf.render(pf.default_template(), inputs)

    assert text.endswith(expected)
    assert text.startswith("# pf.conf rendered by kleene")


def test_host_gateway_is_defined_as_macro() -> None:
    text = render(PfInputs(host_gateway="vtnet0"))

    assert 'kleenet_host_gw_if="vtnet0"' in text


def test_unknown_host_gateway_is_never_referenced() -> None:
    network = make_network(internal=True, icc=True, subnet6="fd00::/64")

    text = render(PfInputs(host_gateway=None, networks=[network]))

    assert "kleenet_host_gw_if" not in text


def test_network_interfaces_macro_uses_kleene_separators() -> None:
    networks = [
        make_network(id="b", name="b", interface="kleene1"),
        make_network(id="a", name="a", interface="kleene0"),
    ]

    text = render(PfInputs(host_gateway="em0", networks=networks))

    assert 'kleenet_network_interfaces="{lo0, kleene0,kleene1}"' in text


def test_network_interfaces_macro_without_networks_is_lo0() -> None:
    assert 'kleenet_network_interfaces="{lo0}"' in render(PfInputs("em0"))


def test_nat_network_gets_nat_rule() -> None:
    text = rendered_network(nat="em0", internal=False)

    assert (
        "nat on $kleenet_netid_nat_if from ($kleenet_netid_interface:network)"
        " to any -> ($kleenet_netid_nat_if)"
    ) in section(text, "TRANSLATION RULES")


@pytest.mark.parametrize("internal", [False, True])
@pytest.mark.parametrize("icc", [False, True])
def test_every_network_blocks_traffic_into_its_subnet(
    internal: bool, icc: bool
) -> None:
    text = rendered_network(internal=internal, icc=icc)

    filtering = section(text, "FILTERING RULES")
    assert "block in log from any to $kleenet_netid_subnet" in filtering


ICC_PASS = (
    "pass quick on $kleenet_netid_all_interfaces"
    " from $kleenet_netid_subnet to $kleenet_netid_subnet"
)
OUT_BLOCK = (
    "block out quick log on $kleenet_network_interfaces from $kleenet_netid_subnet"
)
NAT_BLOCK = "block out quick log on $kleenet_netid_nat_if from $kleenet_netid_subnet"


def test_icc_network_passes_traffic_within_its_subnet() -> None:
    assert ICC_PASS in rendered_network(internal=False, icc=True)


def test_network_without_icc_has_no_pass_and_no_block_out_rule() -> None:
    text = rendered_network(internal=False, icc=False)

    assert ICC_PASS not in text
    assert "block out" not in text


def test_internal_network_with_icc_and_nat_blocks_outgoing_traffic() -> None:
    text = rendered_network(internal=True, icc=True, nat="em0")

    assert OUT_BLOCK in text
    assert NAT_BLOCK in text


def test_internal_network_without_icc_blocks_outgoing_traffic_only() -> None:
    text = rendered_network(internal=True, icc=False, nat="em0")

    assert OUT_BLOCK in text
    assert NAT_BLOCK in text
    assert ICC_PASS not in text


def test_internal_network_without_icc_and_nat_has_no_gateway_rule() -> None:
    text = rendered_network(internal=True, icc=False, nat="", subnet6="fd00::/64")

    assert "$kleenet_host_gw_if" not in section(text, "FILTERING RULES")


def test_published_port_gets_rdr_and_pass_rules() -> None:
    text = render(with_ports(make_port()))

    assert (
        "rdr on em0 inet proto tcp from any to (em0) port 8080 -> 10.13.37.2 port 80"
    ) in text
    assert "pass quick on em0 inet proto tcp from any to 10.13.37.2 port 80" in text


def test_published_port_on_two_interfaces_gets_rdr_on_each() -> None:
    text = render(with_ports(make_port(interfaces=["em0", "em1"])))

    assert "rdr on em0 inet proto tcp" in text
    assert "rdr on em1 inet proto tcp" in text


def test_udp_port_rules_use_udp_everywhere() -> None:
    text = render(with_ports(make_port(protocol="udp")))

    assert "rdr on em0 inet proto udp" in text
    assert "pass quick on $kleenet_network_interfaces inet proto udp" in text


def test_port_of_ipv6_only_container_gets_inet6_rules_only() -> None:
    text = render(with_ports(make_port(), ip="", ip6="fd00::2"))

    assert "inet6 proto tcp" in text
    assert "fd00::2" in text
    assert "inet proto" not in text


def test_ports_of_two_containers_go_to_their_own_addresses() -> None:
    first = make_container("c1", [make_port()])
    second = make_container("c2", [make_port(host_port="9090")])
    containers = [
        (first, [make_endpoint(ip_address="10.13.37.2")]),
        (second, [make_endpoint(id="ep2", ip_address="10.13.37.3")]),
    ]

    text = render(PfInputs(host_gateway="em0", containers=containers))

    assert "port 8080 -> 10.13.37.2" in text
    assert "port 9090 -> 10.13.37.3" in text


def test_nothing_configured_leaves_translation_empty() -> None:
    text = render(PfInputs(host_gateway="em0"))

    assert section(text, "TRANSLATION RULES") == "\n"


def test_host_range_resolves_filter_port_range() -> None:
    text = render(with_ports(make_port(host_port="8080:8090", container_port="80:*")))

    assert "port 80:90" in section(text, "FILTERING RULES")


def test_single_host_port_resolves_container_range_to_its_start() -> None:
    text = render(with_ports(make_port(host_port="8080", container_port="80:*")))

    assert "-> 10.13.37.2 port 80:*" in section(text, "TRANSLATION RULES")
    filtering = section(text, "FILTERING RULES")
    assert "to 10.13.37.2 port 80\n" in filtering
    assert "80:*" not in filtering


@pytest.mark.parametrize(
    ("host_port", "container_port", "expected"),
    [
        ("8080", "80", "80"),
        ("8080:8090", "80:*", "80:90"),
        ("8080", "80:*", "80"),
        ("5000:6000", "4000:*", "4000:5000"),
    ],
)
def test_filter_port_follows_the_spec_examples(
    host_port: str, container_port: str, expected: str
) -> None:
    assert pf.filter_port(host_port, container_port) == expected


def test_port_without_interfaces_gets_no_rdr_rule() -> None:
    text = render(with_ports(make_port(interfaces=[])))

    assert "rdr " not in text


def test_container_without_addresses_gets_no_port_rules() -> None:
    text = render(with_ports(make_port(), ip="", ip6=""))

    assert "8080" not in text
    assert "port 80" not in text


def test_bind_ports_takes_first_non_empty_address_of_each_family() -> None:
    container = make_container("c1", [make_port(ip_address="10.9.9.9")])
    endpoints = [
        make_endpoint(id="e1", ip_address6="fd00::1"),
        make_endpoint(id="e2", ip_address="10.13.37.5"),
        make_endpoint(id="e3", ip_address="10.13.38.5", ip_address6="fd01::1"),
    ]

    (port,) = pf.bind_ports(container, endpoints)

    assert (port.ip_address, port.ip_address6) == ("10.13.37.5", "fd00::1")
    assert container.public_ports[0].ip_address == "10.9.9.9"


def test_bind_ports_without_addresses_binds_empty_strings() -> None:
    container = make_container("c1", [make_port(ip_address="10.9.9.9")])

    (port,) = pf.bind_ports(container, [])

    assert (port.ip_address, port.ip_address6) == ("", "")


def test_all_interfaces_lists_epair_host_ends_in_connect_order() -> None:
    endpoints = [
        make_endpoint(id="e1", epair="epair3"),
        make_endpoint(id="e2", epair=None),
        make_endpoint(id="e3", epair="epair1"),
    ]
    inputs = PfInputs("em0", [make_network()], {"netid": endpoints})

    text = render(inputs)

    assert 'kleenet_netid_all_interfaces="{kleene0, lo0, epair3a, epair1a}"' in text


def test_user_template_keeps_its_own_rules_around_the_sections() -> None:
    template = (
        "set skip on lo0\n"
        "<%= kleene_macros %>\n"
        "scrub in all\n"
        "<%= kleene_translation %>\n"
        "block log all\n"
        "<%= kleene_filtering %>\n"
        "pass out quick all\n"
    )
    inputs = PfInputs(host_gateway="em0", networks=[make_network()])

    text = pf.render(template, inputs, template_path="/etc/my.pf")

    lines = text.splitlines()
    assert lines[0] == "set skip on lo0"
    assert lines[1] == 'kleenet_host_gw_if="em0"'
    assert "scrub in all\n\nblock log all\nblock in log" in text
    assert text.endswith("$kleenet_netid_subnet\npass out quick all\n")


@pytest.mark.parametrize(
    "template",
    [
        pytest.param("<%= kleene_macros %>\n<%= kleene_filtering %>\n", id="missing"),
        pytest.param("", id="empty"),
        pytest.param(FIXTURE_TEMPLATE + "<%= kleene_translation %>\n", id="duplicated"),
        pytest.param(
            "<%= kleene_translation %>\n<%= kleene_macros %>\n"
            "<%= kleene_filtering %>\n",
            id="out-of-order",
        ),
    ],
)
def test_bad_template_raises_validation_error(template: str) -> None:
    with pytest.raises(ValidationError) as caught:
        pf.render(template, PfInputs("em0"), template_path="/usr/local/etc/t.pf")

    assert str(caught.value) == MARKER_ERROR.format("/usr/local/etc/t.pf")


def test_check_template_accepts_the_fixture_template() -> None:
    pf.check_template(FIXTURE_TEMPLATE, "fixture.template")


def test_bad_built_in_template_is_named_in_error() -> None:
    with pytest.raises(ValidationError) as caught:
        pf.render("no markers\n", PfInputs("em0"))

    assert str(caught.value) == MARKER_ERROR.format("<built-in>")
