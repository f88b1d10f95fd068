"""The names pfctl looks up: keywords, protocols, services and TCP flags.

``KEYWORDS`` are the words pfctl's lexer turns into keywords (a word that
is one can be neither a macro name nor an interface name). Protocols and
services are the entries of FreeBSD's ``/etc/protocols`` and
``/etc/services`` that a ruleset is likely to name; pfctl resolves other
names through the whole files, which the simulated host does not carry.
A port without an entry here is printed as a number, where FreeBSD may
print a name.
"""

from __future__ import annotations

from typing import Final

_KEYWORD_LIST: Final = """
    all allow-opts altq anchor antispoof any bandwidth binat binat-anchor
    bitmask block block-policy buckets cbq code codelq crop debug divert-reply
    divert-to drop drop-ovl dup-to fail-policy fairq fastroute file
    fingerprints flags floating flush for fragment from global group hfsc hogs
    hostid icmp-type icmp6-type if-bound in include inet inet6 interval keep
    label limit linkshare load log loginterface max max-mss max-src-conn
    max-src-conn-rate max-src-nodes max-src-states min-ttl modulate nat
    nat-anchor no no-df no-route no-sync on optimization os out overload pass
    port prio priority priq probability proto qlimit queue quick random
    random-id rdr rdr-anchor realtime reassemble reply-to require-order return
    return-icmp return-icmp6 return-rst round-robin route route-to rtable rule
    ruleset-optimization scrub set set-tos skip sloppy source-hash
    source-track state state-defaults state-policy static-port sticky-address
    synproxy table tag tagged target tbrsize timeout to tos ttl upperlimit
    urpf-failed user
"""
KEYWORDS: Final = frozenset(_KEYWORD_LIST.split())

TCP: Final = 6
UDP: Final = 17
ICMP: Final = 1
ICMP6: Final = 58

# /etc/protocols: number, official name, aliases.
_PROTOCOLS: Final = (
    (0, "ip", ("IP",)),
    (1, "icmp", ("ICMP",)),
    (2, "igmp", ("IGMP",)),
    (4, "ipencap", ("IP-ENCAP",)),
    (6, "tcp", ("TCP",)),
    (8, "egp", ("EGP",)),
    (17, "udp", ("UDP",)),
    (41, "ipv6", ("IPV6",)),
    (47, "gre", ("GRE",)),
    (50, "esp", ("ESP",)),
    (51, "ah", ("AH",)),
    (58, "ipv6-icmp", ("IPV6-ICMP", "icmp6")),
    (89, "ospf", ("OSPFIGP",)),
    (103, "pim", ("PIM",)),
    (112, "carp", ("CARP",)),
    (132, "sctp", ("SCTP",)),
    (240, "pfsync", ("PFSYNC",)),
)
_PROTOCOL_NUMBERS: Final = {
    name: number
    for number, official, aliases in _PROTOCOLS
    for name in (official, *aliases)
}
_PROTOCOL_NAMES: Final = {number: official for number, official, _ in _PROTOCOLS}

# /etc/services: port, official name, aliases (the same for tcp and udp).
_SERVICES: Final = (
    (20, "ftp-data", ()),
    (21, "ftp", ()),
    (22, "ssh", ()),
    (23, "telnet", ()),
    (25, "smtp", ("mail",)),
    (53, "domain", ()),
    (67, "bootps", ("dhcps",)),
    (68, "bootpc", ("dhcpc",)),
    (69, "tftp", ()),
    (80, "http", ("www", "www-http")),
    (110, "pop3", ()),
    (111, "sunrpc", ("rpcbind",)),
    (123, "ntp", ()),
    (143, "imap", ("imap2", "imap4")),
    (161, "snmp", ()),
    (179, "bgp", ()),
    (389, "ldap", ()),
    (443, "https", ()),
    (587, "submission", ()),
    (636, "ldaps", ()),
    (993, "imaps", ()),
    (995, "pop3s", ()),
    (3306, "mysql", ()),
    (5353, "mdns", ()),
    (5432, "postgresql", ()),
    (8080, "http-alt", ()),
)
_SERVICE_PORTS: Final = {
    name: port for port, official, aliases in _SERVICES for name in (official, *aliases)
}
_SERVICE_NAMES: Final = {port: official for port, official, _ in _SERVICES}

TCP_FLAG_LETTERS: Final = "FSRPAUEW"


def protocol_number(name: str) -> int | None:
    """Return the number of a protocol name, as getprotobyname(3) would."""
    return _PROTOCOL_NUMBERS.get(name)


def protocol_name(number: int) -> str | None:
    """Return the official name of a protocol number, if it has one."""
    return _PROTOCOL_NAMES.get(number)


def service_port(name: str) -> int | None:
    """Return the port of a service name, as getservbyname(3) would."""
    return _SERVICE_PORTS.get(name)


def service_name(port: int) -> str | None:
    """Return the official name of a port, if it has one."""
    return _SERVICE_NAMES.get(port)


def parse_tcp_flags(text: str) -> int | None:
    """Return the bit mask of flag letters (``SA``), None if one is unknown."""
    mask = 0
    for letter in text:
        index = TCP_FLAG_LETTERS.find(letter)
        if index < 0:
            return None
        mask |= 1 << index
    return mask or 0xFF


def format_tcp_flags(mask: int) -> str:
    """Return the letters of a flag mask in pf's order (``SA``)."""
    return "".join(
        letter for index, letter in enumerate(TCP_FLAG_LETTERS) if mask & (1 << index)
    )
