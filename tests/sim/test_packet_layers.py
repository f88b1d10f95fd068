"""The typed packet layers: immutable values with computed lengths.

Layers are frozen and slotted, compare and hash by value, are changed only by
``dataclasses.replace``, and know their wire length without encoding. The
package must not import scapy (start-up speed).
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import FrozenInstanceError, replace
from pathlib import Path

import pytest

from kleene.backends.sim.packets import (
    ACK,
    ARP,
    DNS,
    DNSQR,
    DNSRR,
    DNSRRMX,
    FIN,
    ICMP,
    PSH,
    SYN,
    TCP,
    UDP,
    Encodable,
    Ether,
    ICMPv6,
    IPv4,
    IPv6,
    PflogRecord,
    arp_reply,
    arp_request,
    checksum,
    dest_unreachable,
    dest_unreachable6,
    echo6_reply,
    echo6_request,
    echo_reply,
    echo_request,
    encode,
    ether,
    ipv4,
    ipv6,
    neighbor_advertisement,
    neighbor_solicitation,
    solicited_node,
    summary,
)
from kleene.backends.sim.packets import dns as kdns

HOST_MAC = "08:00:27:b2:00:96"
GW_MAC = "52:54:00:12:35:02"
HOST = "10.0.2.15"
GW = "10.0.2.2"


def _request() -> ARP:
    message = arp_request(HOST_MAC, HOST, GW).payload
    assert isinstance(message, ARP)
    return message


UDP_DATAGRAM = ipv4(HOST, "10.0.2.3", UDP(40000, 53, b"q" * 30))
TCP_SYN = ipv4(HOST, "1.1.1.1", TCP(50000, 443, seq=1, flags=SYN))
ANSWER = kdns.response(
    kdns.query(1, "freebsd.org"),
    (
        DNSRR("freebsd.org", kdns.TYPE_A, "96.47.72.84"),
        DNSRR("freebsd.org", kdns.TYPE_AAAA, "2610:1c1:1:606c::50:15"),
        DNSRRMX("freebsd.org", 10, "mx1.freebsd.org."),
    ),
)

ALL_KINDS: dict[str, Encodable] = {
    "arp request": arp_request(HOST_MAC, HOST, GW),
    "arp reply": arp_reply(_request(), GW_MAC),
    "echo request": ether(HOST_MAC, GW_MAC, echo_request(HOST, GW, 1, 0)),
    "echo reply": echo_reply(echo_request(HOST, GW, 1, 0)),
    "unreachable udp": dest_unreachable(GW, UDP_DATAGRAM, 3),
    "unreachable tcp": dest_unreachable(GW, TCP_SYN, 13),
    "unreachable short": dest_unreachable(GW, ipv4(HOST, GW, ICMP(8)), 1),
    "udp": UDP_DATAGRAM,
    "tcp syn": TCP_SYN,
    "tcp data": ipv4(HOST, GW, TCP(1, 2, flags=PSH | ACK, payload=b"hello")),
    "tcp fin": ipv4(HOST, GW, TCP(1, 2, flags=FIN | ACK)),
    "echo6 request": echo6_request("fd00::1", "fd00::2", 1, 0),
    "echo6 reply": echo6_reply(echo6_request("fd00::1", "fd00::2", 1, 0)),
    "unreachable6": dest_unreachable6("fd00::1", ipv6("fd00::2", "::1", UDP(1, 2)), 4),
    "ns": neighbor_solicitation(HOST_MAC, "fe80::2", "fe80::1"),
    "ns without option": ipv6("::", "ff02::1:ff00:1", ICMPv6(135, tgt="fe80::1")),
    "na": neighbor_advertisement(GW_MAC, "fe80::1", HOST_MAC, "fe80::2"),
    "udp6": ipv6("fd00::1", "fd00::2", UDP(5, 6, b"abc")),
    "tcp6": ipv6("fd00::1", "fd00::2", TCP(5, 6, flags=SYN)),
    "dns query": ipv4(HOST, "10.0.2.3", UDP(1000, 53, kdns.query(1, "freebsd.org."))),
    "dns answer": ipv4("10.0.2.3", HOST, UDP(53, 1000, ANSWER)),
    "raw ether": Ether(GW_MAC, HOST_MAC, 0x88B5, b"\x01\x02"),
}


@pytest.mark.parametrize("kind", sorted(ALL_KINDS))
def test_wire_len_equals_encoded_length(kind: str) -> None:
    item = ALL_KINDS[kind]
    assert item.wire_len == len(encode(item))


def test_ip_and_udp_length_fields_are_computed_from_payload() -> None:
    datagram = UDP(1, 2, b"x" * 10)
    packet = ipv4(HOST, GW, datagram)
    assert datagram.len == 18
    assert packet.len == 38
    assert ipv6("fd00::1", "fd00::2", datagram).plen == 18


def test_icmp_error_quotes_ip_header_and_eight_bytes_as_freebsd() -> None:
    error = dest_unreachable(GW, UDP_DATAGRAM, 3)
    assert error.wire_len == 20 + 8 + 20 + 8
    assert encode(error)[28:] == encode(UDP_DATAGRAM)[:28]


def test_icmp_error_about_tcp_quotes_the_whole_tcp_header() -> None:
    assert dest_unreachable(GW, TCP_SYN, 13).wire_len == 20 + 8 + 20 + 20


def test_layers_are_frozen() -> None:
    packet = echo_request(HOST, GW, 1, 0)
    with pytest.raises(FrozenInstanceError):
        packet.ttl = 1  # type: ignore[misc]


def test_layers_are_slotted() -> None:
    kinds = (Ether, ARP, IPv4, IPv6, ICMP, ICMPv6, UDP, TCP, DNS, DNSQR, PflogRecord)
    for kind in kinds:
        assert "__slots__" in vars(kind)
    assert not hasattr(echo_request(HOST, GW, 1, 0), "__dict__")


def test_equal_packets_compare_and_hash_equal() -> None:
    first = ether(HOST_MAC, GW_MAC, echo_request(HOST, GW, 1, 0))
    second = ether(HOST_MAC, GW_MAC, echo_request(HOST, GW, 1, 0))
    assert first == second
    assert hash(first) == hash(second)
    assert len({first, second, ALL_KINDS["dns answer"]}) == 2


def test_packets_differing_in_one_field_are_not_equal() -> None:
    packet = echo_request(HOST, GW, 1, 0)
    assert packet != replace(packet, ttl=63)
    assert packet != echo_request(HOST, GW, 1, 1)


def test_replace_makes_a_new_packet_and_keeps_the_old() -> None:
    packet = echo_request(HOST, GW, 1, 0)
    forwarded = replace(packet, ttl=packet.ttl - 1)
    assert (packet.ttl, forwarded.ttl) == (64, 63)
    assert forwarded.payload is packet.payload


def test_echo_reply_swaps_addresses_and_keeps_id_seq_data() -> None:
    reply = echo_reply(echo_request(HOST, GW, 7, 3, data=b"abc"))
    assert (reply.src, reply.dst) == (GW, HOST)
    assert reply.payload == ICMP(0, id=7, seq=3, payload=b"abc")


def test_echo_reply_to_something_else_raises() -> None:
    with pytest.raises(ValueError, match="not an ICMP echo request"):
        echo_reply(UDP_DATAGRAM)


def test_solicited_node_address_keeps_the_low_24_bits() -> None:
    assert solicited_node("fe80::a00:27ff:feb2:96") == "ff02::1:ffb2:96"
    frame = neighbor_solicitation(HOST_MAC, "fe80::2", "fd00::1:2:3")
    assert frame.dst == "33:33:ff:02:00:03"


def test_checksum_of_a_correct_header_is_zero() -> None:
    header = encode(echo_request(HOST, GW, 1, 0))[:20]
    assert checksum(header) == 0
    assert checksum(b"") == 0xFFFF
    assert checksum(b"\xff\xff") == 0


def test_summary_speaks_tcpdump() -> None:
    assert summary(ALL_KINDS["arp request"]) == (
        "08:00:27:b2:00:96 > ff:ff:ff:ff:ff:ff, "
        "ARP, Request who-has 10.0.2.2 tell 10.0.2.15, length 28"
    )
    assert summary(ALL_KINDS["echo reply"]) == (
        "IP 10.0.2.2 > 10.0.2.15: ICMP echo reply, id 1, seq 0, length 64"
    )
    assert summary(TCP_SYN) == (
        "IP 10.0.2.15.50000 > 1.1.1.1.443: Flags [S], seq 1, ack 0, win 65535, length 0"
    )
    assert summary(ALL_KINDS["unreachable udp"]) == (
        "IP 10.0.2.2 > 10.0.2.15: ICMP 10.0.2.3 udp port 53 unreachable, length 36"
    )
    assert summary(ALL_KINDS["dns answer"]).startswith(
        "IP 10.0.2.3.53 > 10.0.2.15.1000: 1 3/0/0 A 96.47.72.84, AAAA 2610:"
    )
    assert "neighbor advertisement, tgt is fe80::1" in summary(ALL_KINDS["na"])


def test_importing_the_package_does_not_import_scapy() -> None:
    code = (
        "import sys, kleene.backends.sim.packets\n"
        "sys.exit(1 if any(m.startswith('scapy') for m in sys.modules) else 0)\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, check=False)
    assert done.returncode == 0
