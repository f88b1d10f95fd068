"""Conformance of kleene's packet encoding with scapy's, byte for byte.

For every packet kind the simulated host sends, ``encode`` of the typed frame
must equal scapy's ``bytes()`` of the same packet built with scapy, which
computes lengths and checksums itself. Each ``*_pair`` builder returns both;
the fixed cases use the default profile's addresses, and hypothesis varies
addresses, ports, sequence numbers and payloads for a subset of kinds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scapy.layers import dns as sdns
from scapy.layers import inet as s4
from scapy.layers import inet6 as s6
from scapy.layers.l2 import ARP as SARP
from scapy.layers.l2 import Ether as SEther

from kleene.backends.sim.packets import (
    ACK,
    ARP,
    DNSRR,
    DNSRRMX,
    FIN,
    PSH,
    RST,
    SYN,
    TCP,
    UDP,
    Encodable,
    IPv6,
    arp_reply,
    arp_request,
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
)
from kleene.backends.sim.packets import dns as kdns
from kleene.backends.sim.packets.layers import DF, NA_OVERRIDE, NA_ROUTER, NA_SOLICITED

HOST_MAC = "08:00:27:b2:00:96"
GW_MAC = "52:54:00:12:35:02"
HOST = "10.0.2.15"
GW = "10.0.2.2"
RESOLVER = "10.0.2.3"
HOST6 = "fd00:1::1"
JAIL6 = "fd00:1::2"
LL = "fe80::a00:27ff:feb2:96"
LL_PEER = "fe80::1"
PING = bytes(range(56))

Pair = tuple[Encodable, Any]


def assert_same_bytes(ours: Encodable, theirs: Any) -> None:
    """Compare our encoding and wire length with scapy's bytes."""
    expected = bytes(theirs)
    assert encode(ours).hex() == expected.hex()
    assert ours.wire_len == len(expected)


def s_ip(src: str, dst: str, **fields: Any) -> Any:
    """Return scapy's IPv4 header with our defaults: id 0, no flags."""
    fields.setdefault("id", 0)
    fields.setdefault("flags", 0)
    return s4.IP(src=src, dst=dst, **fields)


def s_ip6(src: str, dst: str, **fields: Any) -> Any:
    """Return scapy's IPv6 header."""
    return s6.IPv6(src=src, dst=dst, **fields)


def s_upper(upper: TCP | UDP) -> Any:
    """Return scapy's equivalent of our UDP datagram or TCP segment."""
    if isinstance(upper, UDP):
        return s4.UDP(sport=upper.sport, dport=upper.dport) / upper.payload
    fields = {name: getattr(upper, name) for name in ("seq", "ack", "flags", "window")}
    header = s4.TCP(sport=upper.sport, dport=upper.dport, **fields)
    return header / upper.payload


def arp_request_pair(hwsrc: str = HOST_MAC, psrc: str = HOST, pdst: str = GW) -> Pair:
    theirs = SEther(dst="ff:ff:ff:ff:ff:ff", src=hwsrc) / SARP(
        op=1, hwsrc=hwsrc, psrc=psrc, hwdst="00:00:00:00:00:00", pdst=pdst
    )
    return arp_request(hwsrc, psrc, pdst), theirs


def arp_reply_pair(hwsrc: str = GW_MAC, psrc: str = GW, hwdst: str = HOST_MAC) -> Pair:
    request = arp_request(hwdst, HOST, psrc).payload
    assert isinstance(request, ARP)
    theirs = SEther(dst=hwdst, src=hwsrc) / SARP(
        op=2, hwsrc=hwsrc, psrc=psrc, hwdst=hwdst, pdst=HOST
    )
    return arp_reply(request, hwsrc), theirs


def echo_pair(
    src: str = HOST,
    dst: str = "1.1.1.1",
    id: int = 4242,
    seq: int = 0,
    data: bytes = PING,
) -> Pair:
    ours = ether(HOST_MAC, GW_MAC, echo_request(src, dst, id, seq, data))
    echo = s4.ICMP(type=8, id=id, seq=seq) / data
    return ours, SEther(dst=GW_MAC, src=HOST_MAC) / s_ip(src, dst) / echo


def echo_reply_pair() -> Pair:
    ours = echo_reply(echo_request(HOST, GW, 7, 3), ttl=63)
    return ours, s_ip(GW, HOST, ttl=63) / s4.ICMP(type=0, id=7, seq=3) / PING


def unreachable_udp_pair() -> Pair:
    datagram = UDP(40000, 53, b"a query of some length")
    quoted = bytes(s_ip(HOST, RESOLVER) / s_upper(datagram))[:28]
    theirs = s_ip(RESOLVER, HOST) / s4.ICMP(type=3, code=3) / quoted
    return dest_unreachable(RESOLVER, ipv4(HOST, RESOLVER, datagram), 3), theirs


def unreachable_tcp_pair() -> Pair:
    segment = TCP(40000, 8080, seq=1000, flags=SYN)
    quoted = bytes(s_ip(HOST, RESOLVER) / s_upper(segment))
    theirs = s_ip(GW, HOST) / s4.ICMP(type=3, code=13) / quoted
    return dest_unreachable(GW, ipv4(HOST, RESOLVER, segment), 13), theirs


def transport_pair(
    upper: TCP | UDP, src: str = HOST, dst: str = "96.47.72.84", flags: int = 0
) -> Pair:
    ours = ether(HOST_MAC, GW_MAC, replace(ipv4(src, dst, upper), flags=flags))
    theirs = s_ip(src, dst, flags=flags) / s_upper(upper)
    return ours, SEther(dst=GW_MAC, src=HOST_MAC) / theirs


def tcp4_pair(flags: int, data: bytes = b"") -> Callable[[], Pair]:
    segment = TCP(51000, 80, seq=7, ack=99, flags=flags, window=1024, payload=data)
    return lambda: transport_pair(segment, flags=DF)


def transport6_pair(upper: TCP | UDP, src: str = JAIL6, dst: str = HOST6) -> Pair:
    return ipv6(src, dst, upper), s_ip6(src, dst) / s_upper(upper)


def echo6_pair(
    src: str = HOST6, dst: str = JAIL6, id: int = 1, seq: int = 2, data: bytes = PING
) -> Pair:
    echo = s6.ICMPv6EchoRequest(id=id, seq=seq, data=data)
    return echo6_request(src, dst, id, seq, data), s_ip6(src, dst) / echo


def echo6_reply_pair() -> Pair:
    ours = echo6_reply(echo6_request(HOST6, JAIL6, 1, 2, data=b"odd"), hlim=63)
    echo = s6.ICMPv6EchoReply(id=1, seq=2, data=b"odd")
    return ours, s_ip6(JAIL6, HOST6, hlim=63) / echo


def unreachable6_pair() -> Pair:
    datagram = UDP(40000, 53, b"x" * 1500)
    quoted = bytes(s_ip6(HOST6, "2001:db8::9") / s_upper(datagram))[:1232]
    theirs = s_ip6(HOST6, HOST6) / s6.ICMPv6DestUnreach(code=0) / quoted
    original = ipv6(HOST6, "2001:db8::9", datagram)
    return dest_unreachable6(HOST6, original, 0), theirs


def ns_pair(hwsrc: str = HOST_MAC, src: str = LL, tgt: str = LL_PEER) -> Pair:
    ours = neighbor_solicitation(hwsrc, src, tgt)
    packet = ours.payload
    assert isinstance(packet, IPv6)
    theirs = (
        SEther(dst=ours.dst, src=hwsrc)
        / s_ip6(src, packet.dst, hlim=255)
        / s6.ICMPv6ND_NS(tgt=tgt)
        / s6.ICMPv6NDOptSrcLLAddr(lladdr=hwsrc)
    )
    return ours, theirs


def na_pair(
    hwsrc: str = GW_MAC,
    src: str = LL_PEER,
    hwdst: str = HOST_MAC,
    dst: str = LL,
    router: bool = True,
) -> Pair:
    flags = (NA_ROUTER if router else 0) | NA_SOLICITED | NA_OVERRIDE
    theirs = (
        SEther(dst=hwdst, src=hwsrc)
        / s_ip6(src, dst, hlim=255)
        / s6.ICMPv6ND_NA(R=int(router), S=1, O=1, tgt=src)
        / s6.ICMPv6NDOptDstLLAddr(lladdr=hwsrc)
    )
    return neighbor_advertisement(hwsrc, src, hwdst, dst, flags), theirs


def dns_query_pair() -> Pair:
    message = kdns.query(0x1234, "freebsd.org", kdns.TYPE_MX)
    query = sdns.DNS(id=0x1234, rd=1, qd=[sdns.DNSQR(qname="freebsd.org", qtype="MX")])
    udp = s4.UDP(sport=33000, dport=53) / query
    return ipv4(HOST, RESOLVER, UDP(33000, 53, message)), s_ip(HOST, RESOLVER) / udp


def dns_response_pair(
    id: int = 7,
    name: str = "freebsd.org",
    address: str = "96.47.72.84",
    address6: str = "2610:1c1:1:606c::50:15",
    prefs: tuple[int, ...] = (10, 30),
) -> Pair:
    exchanges = [(pref, f"mx{index}.{name}.") for index, pref in enumerate(prefs)]
    answers: tuple[kdns.Record, ...] = (
        DNSRR(name, kdns.TYPE_A, address),
        DNSRR(name + ".", kdns.TYPE_AAAA, address6, ttl=60),
        *(DNSRRMX(name, pref, exchange) for pref, exchange in exchanges),
    )
    message = kdns.response(kdns.query(id, name), answers)
    s_answers = [
        sdns.DNSRR(rrname=name, type="A", ttl=300, rdata=address),
        sdns.DNSRR(rrname=name + ".", type="AAAA", ttl=60, rdata=address6),
    ] + [
        sdns.DNSRRMX(rrname=name, ttl=300, preference=pref, exchange=exchange)
        for pref, exchange in exchanges
    ]
    question = [sdns.DNSQR(qname=name, qtype="A")]
    answer = sdns.DNS(id=id, qr=1, rd=1, ra=1, qd=question, an=s_answers)
    udp = s4.UDP(sport=53, dport=33000) / answer
    return ipv4(RESOLVER, HOST, UDP(53, 33000, message)), s_ip(RESOLVER, HOST) / udp


def nxdomain_pair() -> Pair:
    asked = kdns.query(9, "nowhere.example")
    message = kdns.response(asked, (), rcode=kdns.RCODE_NXDOMAIN)
    question = [sdns.DNSQR(qname="nowhere.example")]
    answer = sdns.DNS(id=9, qr=1, rd=1, ra=1, rcode=3, qd=question)
    return message, answer


KINDS: dict[str, Callable[[], Pair]] = {
    "arp request": arp_request_pair,
    "arp reply": arp_reply_pair,
    "icmp echo request": echo_pair,
    "icmp echo reply": echo_reply_pair,
    "icmp unreachable quoting udp": unreachable_udp_pair,
    "icmp unreachable quoting tcp": unreachable_tcp_pair,
    "ipv4 udp": lambda: transport_pair(UDP(5353, 9, b"hi!")),
    "ipv4 tcp syn": tcp4_pair(SYN),
    "ipv4 tcp syn-ack": tcp4_pair(SYN | ACK),
    "ipv4 tcp ack with data": tcp4_pair(PSH | ACK, b"GET / HTTP/1.0\r\n\r\n"),
    "ipv4 tcp fin": tcp4_pair(FIN | ACK),
    "ipv4 tcp rst": tcp4_pair(RST),
    "icmpv6 echo request": echo6_pair,
    "icmpv6 echo reply": echo6_reply_pair,
    "icmpv6 unreachable quoting udp": unreachable6_pair,
    "neighbor solicitation": ns_pair,
    "neighbor advertisement": na_pair,
    "ipv6 udp": lambda: transport6_pair(UDP(1234, 4500, b"\x00\xff")),
    "ipv6 tcp": lambda: transport6_pair(TCP(3000, 41000, 2**32 - 1, 5, SYN | ACK)),
    "dns query": dns_query_pair,
    "dns response a aaaa mx": dns_response_pair,
    "dns nxdomain": nxdomain_pair,
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_encode_matches_scapy_bytes(kind: str) -> None:
    assert_same_bytes(*KINDS[kind]())


def test_encode_of_a_bare_layer_needing_a_pseudo_header_raises() -> None:
    with pytest.raises(TypeError, match="need the IP packet"):
        encode(UDP(1, 2))  # type: ignore[arg-type]


# Hypothesis: vary what the encoding depends on.

macs = st.binary(min_size=6, max_size=6).map(lambda raw: raw.hex(":"))
addrs4 = st.ip_addresses(v=4).map(str)
addrs6 = st.ip_addresses(v=6).map(str)
ports = st.integers(0, 0xFFFF)
words = st.integers(0, 2**32 - 1)
payloads = st.binary(max_size=300)
tcps = st.builds(TCP, ports, ports, words, words, st.integers(0, 0x3F), ports, payloads)
uppers = st.one_of(tcps, st.builds(UDP, ports, ports, payloads))
labels = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)
names = st.lists(labels, min_size=1, max_size=4).map(".".join)


@given(hwsrc=macs, psrc=addrs4, pdst=addrs4, hwdst=macs)
def test_arp_matches_scapy(hwsrc: str, psrc: str, pdst: str, hwdst: str) -> None:
    assert_same_bytes(*arp_request_pair(hwsrc, psrc, pdst))
    assert_same_bytes(*arp_reply_pair(hwsrc, psrc, hwdst))


@given(src=addrs4, dst=addrs4, ident=ports, seq=ports, data=payloads)
def test_icmp_echo_matches_scapy(
    src: str, dst: str, ident: int, seq: int, data: bytes
) -> None:
    assert_same_bytes(*echo_pair(src, dst, ident, seq, data))


@given(upper=uppers, src=addrs4, dst=addrs4, flags=st.sampled_from([0, DF]))
def test_udp_and_tcp_over_ipv4_match_scapy(
    upper: TCP | UDP, src: str, dst: str, flags: int
) -> None:
    assert_same_bytes(*transport_pair(upper, src, dst, flags))


@given(upper=uppers, src=addrs6, dst=addrs6)
def test_udp_and_tcp_over_ipv6_match_scapy(
    upper: TCP | UDP, src: str, dst: str
) -> None:
    assert_same_bytes(*transport6_pair(upper, src, dst))


@given(src=addrs6, dst=addrs6, ident=ports, seq=ports, data=payloads)
def test_icmpv6_echo_matches_scapy(
    src: str, dst: str, ident: int, seq: int, data: bytes
) -> None:
    assert_same_bytes(*echo6_pair(src, dst, ident, seq, data))


@given(hwsrc=macs, hwdst=macs, src=addrs6, dst=addrs6, router=st.booleans())
def test_neighbor_discovery_matches_scapy(
    hwsrc: str, hwdst: str, src: str, dst: str, router: bool
) -> None:
    assert_same_bytes(*ns_pair(hwsrc, src, dst))
    assert_same_bytes(*na_pair(hwsrc, src, hwdst, dst, router))


@given(ident=ports, name=names, address=addrs4, address6=addrs6, prefs=st.lists(ports))
def test_dns_response_matches_scapy(
    ident: int, name: str, address: str, address6: str, prefs: list[int]
) -> None:
    assert_same_bytes(*dns_response_pair(ident, name, address, address6, tuple(prefs)))
