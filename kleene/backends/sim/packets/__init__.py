"""Typed packets that the links of the simulated host carry.

Modules:

- ``layers``: ``Ether``, ``ARP``, ``IPv4``, ``IPv6``, ``ICMP``, ``ICMPv6``,
  ``UDP``, ``TCP`` (frozen, slotted dataclasses, RFC/scapy field names) and
  their constants (``SYN``, ``ACK``, ``ETH_P_IP``, ``PROTO_UDP``, ...)
- ``dns``: ``DNS`` messages with ``DNSQR``, ``DNSRR`` and ``DNSRRMX``
- ``build``: constructors (``arp_request``, ``echo_request``, ...)
- ``encode``: exact bytes with lengths and checksums (captures, tests only)
- ``summary``: one-line descriptions for DEBUG logs
- ``pflog``: ``PflogRecord``, its ``klee sim pflog`` line, its pfloghdr bytes
- ``pcap``: ``write_pcap``, the only module that uses scapy, lazily

Nodes read headers straight from these objects; forwarding makes a new one
with ``dataclasses.replace`` (a decremented TTL, a translated address) and
never encodes. Every name below is importable from this package.
"""

from kleene.backends.sim.packets.build import (
    PING_DATA,
    arp_reply,
    arp_request,
    dest_unreachable,
    dest_unreachable6,
    echo6_reply,
    echo6_request,
    echo_reply,
    echo_request,
    ether,
    ipv4,
    ipv6,
    multicast_mac,
    neighbor_advertisement,
    neighbor_solicitation,
    solicited_node,
)
from kleene.backends.sim.packets.dns import DNS, DNSQR, DNSRR, DNSRRMX
from kleene.backends.sim.packets.encode import Encodable, checksum, encode
from kleene.backends.sim.packets.layers import (
    ACK,
    ARP,
    FIN,
    ICMP,
    PSH,
    RST,
    SYN,
    TCP,
    UDP,
    URG,
    Ether,
    ICMPv6,
    IPv4,
    IPv6,
    Packet,
)
from kleene.backends.sim.packets.pcap import (
    LINKTYPE_ETHERNET,
    LINKTYPE_PFLOG,
    LINKTYPE_RAW,
    write_pcap,
)
from kleene.backends.sim.packets.pflog import PflogRecord, pflog_line
from kleene.backends.sim.packets.summary import summary

__all__ = [
    "ACK",
    "ARP",
    "DNS",
    "DNSQR",
    "DNSRR",
    "DNSRRMX",
    "FIN",
    "ICMP",
    "LINKTYPE_ETHERNET",
    "LINKTYPE_PFLOG",
    "LINKTYPE_RAW",
    "PING_DATA",
    "PSH",
    "RST",
    "SYN",
    "TCP",
    "UDP",
    "URG",
    "Encodable",
    "Ether",
    "ICMPv6",
    "IPv4",
    "IPv6",
    "Packet",
    "PflogRecord",
    "arp_reply",
    "arp_request",
    "checksum",
    "dest_unreachable",
    "dest_unreachable6",
    "echo6_reply",
    "echo6_request",
    "echo_reply",
    "echo_request",
    "encode",
    "ether",
    "ipv4",
    "ipv6",
    "multicast_mac",
    "neighbor_advertisement",
    "neighbor_solicitation",
    "pflog_line",
    "solicited_node",
    "summary",
    "write_pcap",
]
