"""Render kleene's pf.conf from its template (SPEC §5).

This module owns the text of the ruleset and nothing else: it reads no file
(except its own built-in template, as package data) and runs no command. The
caller passes the template text and the inputs of SPEC §5.2; ``render``
returns the text to check and load.

Each of the three markers of the template is replaced by one section:

    <%= kleene_macros %>         macros
    <%= kleene_translation %>    nat and rdr rules
    <%= kleene_filtering %>      block and pass rules

Names used in the rendered ruleset, with P = ``kleenet_<network id>``:

    kleenet_host_gw_if           the host gateway interface, only when known
    kleenet_network_interfaces   lo0 and the interfaces of all networks
    P_interface, P_subnet, P_subnet6, P_nat_if
                                 a network's values, each only when set
    P_all_interfaces             the network's interface, lo0 and the host
                                 ends (``epairNa``) of its endpoints' epairs
"""

from __future__ import annotations

import functools
import importlib.resources
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

from kleene.errors import ValidationError
from kleene.model import Container, Endpoint, Network, PublishedPort

MACROS_MARKER = "<%= kleene_macros %>"
TRANSLATION_MARKER = "<%= kleene_translation %>"
FILTERING_MARKER = "<%= kleene_filtering %>"
MARKERS = (MACROS_MARKER, TRANSLATION_MARKER, FILTERING_MARKER)

HOST_GW_MACRO = "kleenet_host_gw_if"
NETWORK_INTERFACES_MACRO = "kleenet_network_interfaces"
BUILT_IN_PATH = "<built-in>"


@dataclass(frozen=True)
class PfInputs:
    """Everything the ruleset depends on (SPEC §5.2).

    ``networks`` may come in any order: the renderer sorts them by name.
    ``endpoints`` maps a network id to its endpoints in connect order.
    ``containers`` are ordered by ``created`` (ties: creation order), each
    with its own endpoints in connect order, from which its ports are bound.
    ``host_gateway`` is ``None`` (or ``""``) when no host gateway interface
    is known; the rules that would name it are then left out.
    """

    host_gateway: str | None
    networks: Sequence[Network] = ()
    endpoints: Mapping[str, Sequence[Endpoint]] = field(default_factory=dict)
    containers: Sequence[tuple[Container, Sequence[Endpoint]]] = ()


class _Isolation(Enum):
    """The isolation rules of SPEC §5.5, for one subnet macro ``s``."""

    ICC = "pass quick on ${p}_all_interfaces from ${s} to ${s}"
    OUT = "block out quick log on $" + NETWORK_INTERFACES_MACRO + " from ${s}"
    NAT = "block out quick log on ${p}_nat_if from ${s}"
    GATEWAY = "block out quick log on $" + HOST_GW_MACRO + " from ${s}"


_ICC = _Isolation.ICC
_OUT = _Isolation.OUT
_NAT = _Isolation.NAT
_GATEWAY = _Isolation.GATEWAY
_FamilyRules = tuple[tuple[_Isolation, ...], tuple[_Isolation, ...]]

# The table of SPEC §5.5, keyed by (internal, icc, nat set): the IPv4 rules,
# then the IPv6 rules. There is no NAT rule for IPv6.
_ISOLATION_RULES: dict[tuple[bool, bool, bool], _FamilyRules] = {
    (False, True, False): ((_ICC,), (_ICC,)),
    (False, True, True): ((_ICC,), (_ICC,)),
    (False, False, False): ((), ()),
    (False, False, True): ((), ()),
    (True, True, False): ((_ICC, _OUT, _GATEWAY), (_ICC, _OUT, _GATEWAY)),
    (True, True, True): ((_ICC, _OUT, _NAT), (_ICC, _OUT, _GATEWAY)),
    (True, False, False): ((_OUT,), (_OUT,)),
    (True, False, True): ((_OUT, _NAT), (_OUT, _GATEWAY)),
}


@functools.cache
def default_template() -> str:
    """Return the built-in template of SPEC §5.1."""
    data = importlib.resources.files("kleene") / "data" / "pf.conf.kleene"
    return data.read_text(encoding="utf-8")


def check_template(template: str, path: str) -> None:
    """Raise ValidationError unless each marker occurs once, in order."""
    positions = [template.find(marker) for marker in MARKERS]
    once = all(template.count(marker) == 1 for marker in MARKERS)
    if not once or positions != sorted(positions):
        raise ValidationError(
            f"pf template {path} must contain {MACROS_MARKER}, "
            f"{TRANSLATION_MARKER} and {FILTERING_MARKER} once each, in this order"
        )


def render(
    template: str, inputs: PfInputs, *, template_path: str = BUILT_IN_PATH
) -> str:
    """Render the ruleset: the template with its three markers replaced."""
    check_template(template, template_path)
    sections = (
        render_macros(inputs),
        render_translation(inputs),
        render_filtering(inputs),
    )

    pieces: list[str] = []
    rest = template
    for marker, lines in zip(MARKERS, sections, strict=True):
        before, rest = rest.split(marker, 1)
        pieces += [before, "\n".join(lines)]
    pieces.append(rest)
    return "".join(pieces)


def bind_ports(
    container: Container, endpoints: Sequence[Endpoint]
) -> list[PublishedPort]:
    """Bind a container's ports to its first IPv4 and IPv6 addresses (§4.13)."""
    ip_address = next((e.ip_address for e in endpoints if e.ip_address), "")
    ip_address6 = next((e.ip_address6 for e in endpoints if e.ip_address6), "")
    update = {"ip_address": ip_address, "ip_address6": ip_address6}
    return [port.model_copy(update=update) for port in container.public_ports]


def filter_port(host_port: str, container_port: str) -> str:
    """Return the container port of a pass rule, with ``START:*`` resolved."""
    start, _, end = container_port.partition(":")
    if end != "*":
        return container_port

    host_start, _, host_end = host_port.partition(":")
    if not host_end:
        return start
    return f"{start}:{int(start) + int(host_end) - int(host_start)}"


def render_macros(inputs: PfInputs) -> list[str]:
    """Return the lines of the macros section (SPEC §5.3)."""
    networks = _by_name(inputs.networks)
    lines = []
    if inputs.host_gateway:
        lines.append(f'{HOST_GW_MACRO}="{inputs.host_gateway}"')

    # Kleene's quirk: ", " after lo0 but a bare "," between network interfaces.
    interfaces = ",".join(network.interface for network in networks)
    members = f"lo0, {interfaces}" if interfaces else "lo0"
    lines.append(f'{NETWORK_INTERFACES_MACRO}="{{{members}}}"')

    for network in networks:
        lines += _network_macros(network, inputs.endpoints.get(network.id, ()))
    return lines


def render_translation(inputs: PfInputs) -> list[str]:
    """Return the nat and rdr rules of the translation section (SPEC §5.4)."""
    lines = []
    for network in _by_name(inputs.networks):
        if network.nat and not network.internal:
            p = _prefix(network)
            lines.append(
                f"nat on ${p}_nat_if from (${p}_interface:network) to any"
                f" -> (${p}_nat_if)"
            )

    for port in _bound_ports(inputs):
        for family, address in _families(port):
            lines += [
                f"rdr on {interface} {family} proto {port.protocol} from any"
                f" to ({interface}) port {port.host_port}"
                f" -> {address} port {port.container_port}"
                for interface in port.interfaces
            ]
    return lines


def render_filtering(inputs: PfInputs) -> list[str]:
    """Return the block and pass rules of the filtering section (SPEC §5.5)."""
    lines = []
    for network in _by_name(inputs.networks):
        lines += _network_filtering(network, gateway_known=bool(inputs.host_gateway))

    for port in _bound_ports(inputs):
        lines += _port_filtering(port)
    return lines


def _prefix(network: Network) -> str:
    return f"kleenet_{network.id}"


def _by_name(networks: Sequence[Network]) -> list[Network]:
    return sorted(networks, key=lambda network: network.name)


def _network_macros(network: Network, endpoints: Sequence[Endpoint]) -> list[str]:
    p = _prefix(network)
    values = (
        ("interface", network.interface),
        ("subnet", network.subnet),
        ("subnet6", network.subnet6),
        ("nat_if", network.nat),
    )
    lines = [f'{p}_{name}="{value}"' for name, value in values if value]

    epairs = [f"{e.epair}a" for e in endpoints if e.epair]
    members = ", ".join([network.interface, "lo0", *epairs])
    lines.append(f'{p}_all_interfaces="{{{members}}}"')
    return lines


def _network_filtering(network: Network, *, gateway_known: bool) -> list[str]:
    p = _prefix(network)
    rules4, rules6 = _ISOLATION_RULES[network.internal, network.icc, bool(network.nat)]
    families = (
        (f"{p}_subnet", network.subnet, rules4),
        (f"{p}_subnet6", network.subnet6, rules6),
    )
    defined = [(s, rules) for s, subnet, rules in families if subnet]
    lines = [f"block in log from any to ${s}" for s, _ in defined]

    for s, rules in defined:
        lines += [
            rule.value.format(p=p, s=s)
            for rule in rules
            if gateway_known or rule is not _GATEWAY
        ]
    return lines


def _port_filtering(port: PublishedPort) -> list[str]:
    p = filter_port(port.host_port, port.container_port)
    lines = []
    for family, address in _families(port):
        rule = f"{family} proto {port.protocol} from any to {address} port {p}"
        lines += [f"pass quick on {interface} {rule}" for interface in port.interfaces]
        lines.append(f"pass quick on ${NETWORK_INTERFACES_MACRO} {rule}")
    return lines


def _bound_ports(inputs: PfInputs) -> Iterator[PublishedPort]:
    for container, endpoints in inputs.containers:
        yield from bind_ports(container, endpoints)


def _families(port: PublishedPort) -> list[tuple[str, str]]:
    families = [("inet", port.ip_address), ("inet6", port.ip_address6)]
    return [(family, address) for family, address in families if address]
