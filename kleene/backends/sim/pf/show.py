"""Print pf's rules, translations and states as ``pfctl -s rules|nat|states``.

The conventions are those of FreeBSD 13's ``print_rule`` (pfctl_parser.c)
as it prints the rules it reads back from the kernel, one line per rule
after list expansion, macros replaced:

- ``-s rules`` prints the scrub rules, then the filter rules; ``-s nat``
  the nat rules, then the rdr rules, whatever their order in the file;
- the words come in pfctl's order, not the file's: ``block drop out log
  quick on em0``; a block rule names its policy (``drop``, ``return``);
- the family is printed when the rule has one, given or taken from its
  addresses: ``block in log from any to 10.13.37.0/24`` prints ``block
  drop in log inet from any to 10.13.37.0/24``;
- an address is printed without a full mask (``/32``, ``/128``); a rule
  matching any address and port on both sides prints ``all``;
- a port equal to (or different from) a value prints as ``port = http``
  when the port has a service name, ``port = 8081`` otherwise;
- a pass rule that keeps state prints its flags, ``flags S/SA keep
  state`` by default and ``flags any`` for ``flags any`` on TCP; UDP and
  ICMP rules have none;
- a translation prints ``-> ADDR`` with the ports pf will use
  (``port 80:90`` for ``port 80:*`` on ``8080:8090``) and its pool type:
  ``-> (em0) round-robin``, as pfctl chooses round-robin for an
  interface's addresses.

Where the simulation is unsure (see the package docstring): service names
come from a short table (``names``), so FreeBSD may name a port that is
printed here as a number; an rdr rule ``port 8080 -> ... port 80:*``
prints ``port 80:57536``, the 16-bit arithmetic pfctl's parser does.

``pfctl -s states`` (FreeBSD 13's ``print_state``) prints one line per
state, oldest first::

    all udp 10.0.2.15:50873 (10.13.37.1:31000) -> 1.1.1.1:53       SINGLE:NO_TRAFFIC
    all tcp 10.13.37.1:80 (10.0.2.15:8080) <- 10.0.2.2:41000       CLOSED:SYN_SENT

The interface is ``all`` for a floating state; an outbound state prints
its wire source (its stack source in parentheses when translated), ``->``
and its destination; an inbound one its stack destination (its wire
destination in parentheses), ``<-`` and its source. IPv6 ports are written
in brackets (``fd00::1[80]``), a port of 0 not at all, ICMP ids as ports.
The peer states come last: TCP states, ``NO_TRAFFIC``/``SINGLE``/
``MULTIPLE`` for UDP and others, numbers for ICMP.
"""

from __future__ import annotations

from typing import Final

from kleene.backends.sim.pf.expand import NAT_PORTS
from kleene.backends.sim.pf.model import (
    Action,
    Address,
    AddressFamily,
    AnyAddress,
    BlockPolicy,
    Direction,
    FilterRule,
    HostAddress,
    InterfaceAddress,
    InterfaceMode,
    KeepState,
    Peer,
    PoolType,
    PortOp,
    PortSpec,
    Ruleset,
    ScrubRule,
    TranslationKind,
    TranslationRule,
)
from kleene.backends.sim.pf.names import (
    TCP,
    format_tcp_flags,
    protocol_name,
    service_name,
)
from kleene.backends.sim.pf.states import State, StateTable, TcpState

_NAMED_OPS = (PortOp.EQ, PortOp.NE)
_BINARY_OPS = (PortOp.EXCEPT_RANGE, PortOp.INSIDE_RANGE)
TCP_NAMES: Final = (
    "CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED", "CLOSE_WAIT",
    "FIN_WAIT_1", "CLOSING", "LAST_ACK", "FIN_WAIT_2", "TIME_WAIT",
)  # fmt: skip
PEER_NAMES: Final = ("NO_TRAFFIC", "SINGLE", "MULTIPLE")
ICMP_PROTOS: Final = frozenset({1, 58})


def format_rules(ruleset: Ruleset) -> list[str]:
    """Return the lines of ``pfctl -s rules``: scrub, then filter rules."""
    scrub = [format_scrub_rule(rule) for rule in ruleset.scrub_rules]
    return scrub + [format_filter_rule(rule) for rule in ruleset.filter_rules]


def format_nat(ruleset: Ruleset) -> list[str]:
    """Return the lines of ``pfctl -s nat``: nat, then rdr rules."""
    rules = (*ruleset.nat_rules, *ruleset.rdr_rules)
    return [format_translation_rule(rule) for rule in rules]


def format_filter_rule(rule: FilterRule) -> str:
    """Return one pass or block rule as pfctl prints it."""
    words = [rule.action.value]
    if rule.action is Action.BLOCK:
        words.append(_block_policy(rule.block_policy, rule.af))
    words += _direction(rule.direction)
    if rule.log:
        words.append("log (all)" if rule.log_all else "log")
    if rule.quick:
        words.append("quick")
    words += _interface(rule.interface, rule.interface_negated)
    words += _family_and_proto(rule.af, rule.proto)
    words += _fromto(rule.src, rule.dst, rule.af)

    stateful = rule.keep_state is not KeepState.NONE
    if rule.flags is not None:
        flags, mask = rule.flags.flags, rule.flags.mask
        words.append(f"flags {format_tcp_flags(flags)}/{format_tcp_flags(mask)}")
    elif rule.action is Action.PASS and rule.proto in (None, TCP) and stateful:
        words.append("flags any")
    if stateful:
        words.append(f"{rule.keep_state.value} state")
    elif rule.action is Action.PASS:
        words.append("no state")
    if rule.label is not None:
        words.append(f'label "{rule.label}"')
    return " ".join(words)


def format_scrub_rule(rule: ScrubRule) -> str:
    """Return one scrub rule as pfctl prints it."""
    words = ["scrub", *_direction(rule.direction)]
    if rule.log:
        words.append("log")
    words += _interface(rule.interface, rule.interface_negated)
    words += _family_and_proto(rule.af, rule.proto)
    words += _fromto(rule.src, rule.dst, rule.af)
    options = rule.options
    words += ["no-df"] if options.no_df else []
    words += ["random-id"] if options.random_id else []
    words += [f"min-ttl {options.min_ttl}"] if options.min_ttl else []
    words += [f"max-mss {options.max_mss}"] if options.max_mss else []
    words += ["reassemble tcp"] if options.reassemble_tcp else []
    return " ".join([*words, "fragment reassemble"])


def format_translation_rule(rule: TranslationRule) -> str:
    """Return one nat or rdr rule as pfctl prints it."""
    words = [rule.kind.value]
    words += ["pass"] if rule.passes else []
    words += ["log"] if rule.log else []
    words += _interface(rule.interface, rule.interface_negated)
    words += _family_and_proto(rule.af, rule.proto)
    words += _fromto(rule.src, rule.dst, rule.af)

    pool = rule.pool
    targets = [_address(address, rule.af) for address in pool.addresses]
    words.append("->")
    words.append(f"{{ {', '.join(targets)} }}" if len(targets) > 1 else targets[0])
    low, high = pool.ports
    if rule.kind is TranslationKind.NAT and (low, high) not in (NAT_PORTS, (0, 0)):
        words.append(f"port {low}" if low == high else f"port {low}:{high}")
    if rule.kind is TranslationKind.RDR and low:
        words.append(f"port {low}:{high}" if high and high != low else f"port {low}")
    words += [pool.pool_type.value] if pool.pool_type is not PoolType.NONE else []
    words += ["sticky-address"] if pool.sticky_address else []
    if rule.kind is TranslationKind.NAT and (low, high) == (0, 0):
        words.append("static-port")
    return " ".join(words)


def _block_policy(policy: BlockPolicy | None, af: AddressFamily | None) -> str:
    if policy not in (BlockPolicy.RETURN_ICMP, BlockPolicy.RETURN_ICMP6):
        return (policy or BlockPolicy.DROP).value
    if af is AddressFamily.INET:
        return "return-icmp(port-unr)"
    if af is AddressFamily.INET6:
        return "return-icmp6(port-unr)"
    return "return-icmp(port-unr, port-unr)"


def _direction(direction: Direction) -> list[str]:
    return [direction.value] if direction is not Direction.BOTH else []


def _interface(name: str | None, negated: bool) -> list[str]:
    if name is None:
        return []
    return ["on", "!", name] if negated else ["on", name]


def _family_and_proto(af: AddressFamily | None, proto: int | None) -> list[str]:
    words = [af.value] if af else []
    if proto is not None:
        words.append(f"proto {protocol_name(proto) or proto}")
    return words


def _fromto(src: Peer, dst: Peer, af: AddressFamily | None) -> list[str]:
    if _matches_all(src) and _matches_all(dst):
        return ["all"]
    return ["from", *_peer(src, af), "to", *_peer(dst, af)]


def _matches_all(peer: Peer) -> bool:
    spec = peer.address
    return peer.port is None and not spec.negated and _is_zero(spec.address)


def _is_zero(address: Address) -> bool:
    if isinstance(address, AnyAddress):
        return True
    return (
        isinstance(address, HostAddress)
        and address.value.network.prefixlen == 0
        and int(address.value.ip) == 0
    )


def _peer(peer: Peer, af: AddressFamily | None) -> list[str]:
    words = ["!"] if peer.address.negated else []
    words.append(_address(peer.address.address, af))
    if peer.port is not None:
        words += ["port", _port(peer.port)]
    return words


def _address(address: Address, af: AddressFamily | None) -> str:
    full = 32 if af is AddressFamily.INET else 128
    if _is_zero(address):
        return "any"
    if isinstance(address, HostAddress):
        bits = address.value.network.prefixlen
        mask = "" if bits == address.value.max_prefixlen else f"/{bits}"
        return f"{address.value.ip}{mask}"
    if isinstance(address, InterfaceAddress):
        text = address.ifname
        if address.mode is not InterfaceMode.ADDRESSES:
            text += f":{address.mode.value}"
        if address.noalias:
            text += ":0"
        prefix = address.prefixlen
        shown = prefix is not None and prefix not in (full, 128)
        return f"({text})/{prefix}" if shown else f"({text})"
    return "any"


def _port(port: PortSpec) -> str:
    if port.op in _NAMED_OPS:
        return f"{port.op.value} {service_name(port.low) or port.low}"
    if port.op is PortOp.RANGE:
        return f"{port.low}:{port.high}"
    if port.op in _BINARY_OPS:
        return f"{port.low} {port.op.value} {port.high}"
    return f"{port.op.value} {port.low}"


def format_states(table: StateTable, now_us: int) -> list[str]:
    """Return the lines of ``pfctl -s states`` for the live states."""
    table.expire(now_us)
    return [format_state(state) for state in table.states.values()]


def format_state(state: State) -> str:
    """Return one state as pfctl prints it."""
    af, proto = state.wire[0], state.wire[1]
    if state.direction is Direction.OUT:
        src, dst = state.src_state, state.dst_state
        shown, other, arrow = state.wire, state.stack, "->"
        if proto in ICMP_PROTOS:
            other = (*other[:4], shown[4], other[5])
    else:
        src, dst = state.dst_state, state.src_state
        shown, other, arrow = state.stack, state.wire, "<-"
        if proto in ICMP_PROTOS:
            other = (*other[:5], shown[5])

    ifname = state.ifname if state.bound else "all"
    name = protocol_name(proto) or str(proto)
    near = _side(af, (shown[3], shown[5]), (other[3], other[5]))
    far = _side(af, (shown[2], shown[4]), (other[2], other[4]))
    return f"{ifname} {name} {near} {arrow} {far}       {_peers(proto, src, dst)}"


def _side(af: int, host: tuple[str, int], stack: tuple[str, int]) -> str:
    text = _host(af, *host)
    if host != stack:
        text += f" ({_host(af, *stack)})"
    return text


def _host(af: int, addr: str, port: int) -> str:
    if not port:
        return addr
    return f"{addr}:{port}" if af == 4 else f"{addr}[{port}]"


def _peers(proto: int, src: int, dst: int) -> str:
    if proto == 6 and max(src, dst) <= TcpState.TIME_WAIT:
        return f"{TCP_NAMES[src]}:{TCP_NAMES[dst]}"
    if proto not in ICMP_PROTOS and max(src, dst) < len(PEER_NAMES):
        return f"{PEER_NAMES[src]}:{PEER_NAMES[dst]}"
    return f"{src}:{dst}"
