"""Conformance of kleene's packet encoding with scapy's, byte for byte.

For every packet kind the simulated host sends, ``encode`` of the typed frame
must equal scapy's ``bytes()`` of the same packet built with scapy, which
computes lengths and checksums itself. Hypothesis varies addresses, ports,
sequence numbers and payloads for the kinds whose encoding depends on them.
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


def s_ether(dst: str = GW_MAC, src: str = HOST_MAC) -> Any:
    """Return scapy's Ethernet header (host to gateway by default)."""
    return SEther(dst=dst, src=src)


def s_ip(src: str, dst: str, **fields: Any) -> Any:
    """Return scapy's IPv4 header with our defaults: id 0, no flags."""
    fields.setdefault("id", 0)
    fields.setdefault("flags", 0)
    return s4.IP(src=src, dst=dst, **fields)


def s_ip6(src: str, dst: str, **fields: Any) -> Any:
    """Return scapy's IPv6 header."""
    return s6.IPv6(src=src, dst=dst, **fields)


def arp_request_pair() -> Pair:
    ours = arp_request(HOST_MAC, HOST, GW)
    theirs = s_ether("ff:ff:ff:ff:ff:ff") / SARP(
        op=1, hwsrc=HOST_MAC, psrc=HOST, hwdst="00:00:00:00:00:00", pdst=GW
    )
    return ours, theirs


def arp_reply_pair() -> Pair:
    request = arp_request(HOST_MAC, HOST, GW).payload
    assert isinstance(request, ARP)
    ours = arp_reply(request, GW_MAC)
    theirs = s_ether(HOST_MAC, GW_MAC) / SARP(
        op=2, hwsrc=GW_MAC, psrc=GW, hwdst=HOST_MAC, pdst=HOST
    )
    return ours, theirs


def echo_request_pair() -> Pair:
    ours = ether(HOST_MAC, GW_MAC, echo_request(HOST, "1.1.1.1", 4242, 0))
    theirs = s_ether() / s_ip(HOST, "1.1.1.1") / s4.ICMP(type=8, id=4242) / PING
    return ours, theirs


def echo_reply_pair() -> Pair:
    reply = echo_reply(echo_request(HOST, GW, 7, 3), ttl=63)
    ours = ether(GW_MAC, HOST_MAC, reply)
    theirs = (
        s_ether(HOST_MAC, GW_MAC)
        / s_ip(GW, HOST, ttl=63)
        / s4.ICMP(type=0, id=7, seq=3)
        / PING
    )
    return ours, theirs


def unreachable_udp_pair() -> Pair:
    data = b"a query of some length"
    original = ipv4(HOST, RESOLVER, UDP(40000, 53, data))
    ours = ether(GW_MAC, HOST_MAC, dest_unreachable(RESOLVER, original, 3))
    datagram = s_ip(HOST, RESOLVER) / s4.UDP(sport=40000, dport=53) / data
    theirs = (
        s_ether(HOST_MAC, GW_MAC)
        / s_ip(RESOLVER, HOST)
        / s4.ICMP(type=3, code=3)
        / bytes(datagram)[:28]
    )
    return ours, theirs


def unreachable_tcp_pair() -> Pair:
    original = ipv4(HOST, RESOLVER, TCP(40000, 8080, seq=1000, flags=SYN))
    ours = dest_unreachable(GW, original, 13)
    segment = s4.TCP(sport=40000, dport=8080, seq=1000, flags="S", window=65535)
    quoted = bytes(s_ip(HOST, RESOLVER) / segment)
    theirs = s_ip(GW, HOST) / s4.ICMP(type=3, code=13) / quoted
    return ours, theirs


def udp4_pair() -> Pair:
    ours = ether(HOST_MAC, GW_MAC, ipv4(HOST, "1.1.1.1", UDP(5353, 9, b"hi!"), id=9))
    datagram = s4.UDP(sport=5353, dport=9) / b"hi!"
    theirs = s_ether() / s_ip(HOST, "1.1.1.1", id=9) / datagram
    return ours, theirs


def tcp4_pair(flags: int, letters: str, data: bytes = b"") -> Callable[[], Pair]:
    def make() -> Pair:
        segment = TCP(51000, 80, seq=7, ack=99, flags=flags, window=1024, payload=data)
        packet = replace(ipv4(HOST, "96.47.72.84", segment), flags=DF)
        ours = ether(HOST_MAC, GW_MAC, packet)
        theirs = (
            s_ether()
            / s_ip(HOST, "96.47.72.84", flags="DF")
            / s4.TCP(sport=51000, dport=80, seq=7, ack=99, flags=letters, window=1024)
            / data
        )
        return ours, theirs

    return make


def echo6_request_pair() -> Pair:
    ours = ether(HOST_MAC, GW_MAC, echo6_request(HOST6, JAIL6, 1, 2))
    echo = s6.ICMPv6EchoRequest(id=1, seq=2, data=PING)
    return ours, s_ether() / s_ip6(HOST6, JAIL6) / echo


def echo6_reply_pair() -> Pair:
    ours = echo6_reply(echo6_request(HOST6, JAIL6, 1, 2, data=b"odd"), hlim=63)
    echo = s6.ICMPv6EchoReply(id=1, seq=2, data=b"odd")
    return ours, s_ip6(JAIL6, HOST6, hlim=63) / echo


def unreachable6_pair() -> Pair:
    original = ipv6(HOST6, "2001:db8::9", UDP(40000, 53, b"x" * 1500))
    ours = dest_unreachable6(HOST6, original, 0)
    datagram = s_ip6(HOST6, "2001:db8::9") / s6.UDP(sport=40000, dport=53)
    quoted = bytes(datagram / (b"x" * 1500))[:1232]
    theirs = s_ip6(HOST6, HOST6) / s6.ICMPv6DestUnreach(code=0) / quoted
    return ours, theirs


def ns_pair() -> Pair:
    ours = neighbor_solicitation(HOST_MAC, LL, LL_PEER)
    theirs = (
        s_ether("33:33:ff:00:00:01")
        / s_ip6(LL, "ff02::1:ff00:1", hlim=255)
        / s6.ICMPv6ND_NS(tgt=LL_PEER)
        / s6.ICMPv6NDOptSrcLLAddr(lladdr=HOST_MAC)
    )
    return ours, theirs


def na_pair() -> Pair:
    flags = NA_ROUTER | NA_SOLICITED | NA_OVERRIDE
    ours = neighbor_advertisement(GW_MAC, LL_PEER, HOST_MAC, LL, flags=flags)
    theirs = (
        s_ether(HOST_MAC, GW_MAC)
        / s_ip6(LL_PEER, LL, hlim=255)
        / s6.ICMPv6ND_NA(R=1, S=1, O=1, tgt=LL_PEER)
        / s6.ICMPv6NDOptDstLLAddr(lladdr=GW_MAC)
    )
    return ours, theirs


def udp6_pair() -> Pair:
    ours = ether(HOST_MAC, GW_MAC, ipv6(JAIL6, HOST6, UDP(1234, 4500, b"\x00\xff")))
    datagram = s6.UDP(sport=1234, dport=4500) / b"\x00\xff"
    return ours, s_ether() / s_ip6(JAIL6, HOST6) / datagram


def tcp6_pair() -> Pair:
    segment = TCP(3000, 41000, seq=2**32 - 1, ack=5, flags=SYN | ACK)
    ours = ipv6(HOST6, JAIL6, segment, hlim=64)
    theirs = s_ip6(HOST6, JAIL6) / s6.TCP(
        sport=3000, dport=41000, seq=2**32 - 1, ack=5, flags="SA", window=65535
    )
    return ours, theirs


QUESTION = kdns.DNSQR("freebsd.org")
ANSWERS: tuple[kdns.Record, ...] = (
    DNSRR("freebsd.org", kdns.TYPE_A, "96.47.72.84"),
    DNSRR("freebsd.org.", kdns.TYPE_AAAA, "2610:1c1:1:606c::50:15", ttl=60),
    DNSRRMX("freebsd.org", 10, "mx1.freebsd.org."),
    DNSRRMX("freebsd.org", 30, "mx66.freebsd.org."),
)
S_ANSWERS = [
    sdns.DNSRR(rrname="freebsd.org", type="A", ttl=300, rdata="96.47.72.84"),
    sdns.DNSRR(
        rrname="freebsd.org.", type="AAAA", ttl=60, rdata="2610:1c1:1:606c::50:15"
    ),
    sdns.DNSRRMX(
        rrname="freebsd.org", ttl=300, preference=10, exchange="mx1.freebsd.org."
    ),
    sdns.DNSRRMX(
        rrname="freebsd.org", ttl=300, preference=30, exchange="mx66.freebsd.org."
    ),
]


def dns_query_pair() -> Pair:
    message = kdns.query(0x1234, "freebsd.org", kdns.TYPE_MX)
    ours = ether(HOST_MAC, GW_MAC, ipv4(HOST, RESOLVER, UDP(33000, 53, message)))
    query = sdns.DNS(id=0x1234, rd=1, qd=[sdns.DNSQR(qname="freebsd.org", qtype="MX")])
    udp = s4.UDP(sport=33000, dport=53) / query
    return ours, s_ether() / s_ip(HOST, RESOLVER) / udp


def dns_response_pair() -> Pair:
    message = kdns.response(kdns.DNS(7, questions=(QUESTION,)), ANSWERS)
    ours = ipv4(RESOLVER, HOST, UDP(53, 33000, message))
    answer = sdns.DNS(
        id=7,
        qr=1,
        rd=1,
        ra=1,
        qd=[sdns.DNSQR(qname="freebsd.org", qtype="A")],
        an=S_ANSWERS,
    )
    return ours, s_ip(RESOLVER, HOST) / s4.UDP(sport=53, dport=33000) / answer


def nxdomain_pair() -> Pair:
    asked = kdns.query(9, "nowhere.example")
    message = kdns.response(asked, (), rcode=kdns.RCODE_NXDOMAIN)
    ours = ipv4(RESOLVER, HOST, UDP(53, 33001, message))
    answer = sdns.DNS(
        id=9, qr=1, rd=1, ra=1, rcode=3, qd=[sdns.DNSQR(qname="nowhere.example")]
    )
    return ours, s_ip(RESOLVER, HOST) / s4.UDP(sport=53, dport=33001) / answer


KINDS: dict[str, Callable[[], Pair]] = {
    "arp request": arp_request_pair,
    "arp reply": arp_reply_pair,
    "icmp echo request": echo_request_pair,
    "icmp echo reply": echo_reply_pair,
    "icmp unreachable quoting udp": unreachable_udp_pair,
    "icmp unreachable quoting tcp": unreachable_tcp_pair,
    "ipv4 udp": udp4_pair,
    "ipv4 tcp syn": tcp4_pair(SYN, "S"),
    "ipv4 tcp syn-ack": tcp4_pair(SYN | ACK, "SA"),
    "ipv4 tcp ack with data": tcp4_pair(PSH | ACK, "PA", b"GET / HTTP/1.0\r\n\r\n"),
    "ipv4 tcp fin": tcp4_pair(FIN | ACK, "FA"),
    "ipv4 tcp rst": tcp4_pair(RST, "R"),
    "icmpv6 echo request": echo6_request_pair,
    "icmpv6 echo reply": echo6_reply_pair,
    "icmpv6 unreachable quoting udp": unreachable6_pair,
    "neighbor solicitation": ns_pair,
    "neighbor advertisement": na_pair,
    "ipv6 udp": udp6_pair,
    "ipv6 tcp": tcp6_pair,
    "dns query": dns_query_pair,
    "dns response a aaaa mx": dns_response_pair,
    "dns nxdomain": nxdomain_pair,
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_encode_matches_scapy_bytes(kind: str) -> None:
    ours, theirs = KINDS[kind]()
    assert_same_bytes(ours, theirs)


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
ttls = st.integers(0, 255)


@given(hwsrc=macs, psrc=addrs4, hwdst=macs, pdst=addrs4, op=st.sampled_from([1, 2]))
def test_arp_matches_scapy(
    hwsrc: str, psrc: str, hwdst: str, pdst: str, op: int
) -> None:
    ours = ether(hwsrc, hwdst, ARP(op, hwsrc, psrc, hwdst, pdst))
    arp = SARP(op=op, hwsrc=hwsrc, psrc=psrc, hwdst=hwdst, pdst=pdst)
    assert_same_bytes(ours, SEther(dst=hwdst, src=hwsrc) / arp)


@given(src=addrs4, dst=addrs4, ident=ports, seq=ports, data=payloads, ttl=ttls)
def test_icmp_echo_matches_scapy(
    src: str, dst: str, ident: int, seq: int, data: bytes, ttl: int
) -> None:
    ours = echo_request(src, dst, ident, seq, data=data, ttl=ttl)
    theirs = s_ip(src, dst, ttl=ttl) / s4.ICMP(type=8, id=ident, seq=seq) / data
    assert_same_bytes(ours, theirs)


@given(src=addrs4, dst=addrs4, sport=ports, dport=ports, data=payloads, ident=ports)
def test_udp4_matches_scapy(
    src: str, dst: str, sport: int, dport: int, data: bytes, ident: int
) -> None:
    ours = ipv4(src, dst, UDP(sport, dport, data), id=ident)
    theirs = s_ip(src, dst, id=ident) / s4.UDP(sport=sport, dport=dport) / data
    assert_same_bytes(ours, theirs)


@given(
    src=addrs4,
    dst=addrs4,
    sport=ports,
    dport=ports,
    seq=words,
    ack=words,
    flags=st.integers(0, 0x3F),
    window=ports,
    data=payloads,
)
def test_tcp4_matches_scapy(
    src: str,
    dst: str,
    sport: int,
    dport: int,
    seq: int,
    ack: int,
    flags: int,
    window: int,
    data: bytes,
) -> None:
    segment = TCP(sport, dport, seq, ack, flags, window, data)
    ours = ipv4(src, dst, segment)
    theirs = (
        s_ip(src, dst)
        / s4.TCP(sport=sport, dport=dport, seq=seq, ack=ack, flags=flags, window=window)
        / data
    )
    assert_same_bytes(ours, theirs)


@given(
    src=addrs6, dst=addrs6, sport=ports, dport=ports, data=payloads, tcp=st.booleans()
)
def test_udp_and_tcp_over_ipv6_match_scapy(
    src: str, dst: str, sport: int, dport: int, data: bytes, tcp: bool
) -> None:
    if tcp:
        ours = ipv6(src, dst, TCP(sport, dport, flags=PSH | ACK, payload=data))
        upper = s6.TCP(sport=sport, dport=dport, flags="PA", window=65535)
    else:
        ours = ipv6(src, dst, UDP(sport, dport, data))
        upper = s6.UDP(sport=sport, dport=dport)
    assert_same_bytes(ours, s_ip6(src, dst) / upper / data)


@given(src=addrs6, dst=addrs6, ident=ports, seq=ports, data=payloads)
def test_icmpv6_echo_matches_scapy(
    src: str, dst: str, ident: int, seq: int, data: bytes
) -> None:
    ours = echo6_request(src, dst, ident, seq, data=data)
    echo = s6.ICMPv6EchoRequest(id=ident, seq=seq, data=data)
    assert_same_bytes(ours, s_ip6(src, dst) / echo)


@given(hwsrc=macs, hwdst=macs, src=addrs6, dst=addrs6, tgt=addrs6)
def test_neighbor_discovery_matches_scapy(
    hwsrc: str, hwdst: str, src: str, dst: str, tgt: str
) -> None:
    solicitation = neighbor_solicitation(hwsrc, src, tgt)
    packet = solicitation.payload
    assert not isinstance(packet, bytes | ARP)
    theirs = (
        SEther(dst=solicitation.dst, src=hwsrc)
        / s_ip6(src, packet.dst, hlim=255)
        / s6.ICMPv6ND_NS(tgt=tgt)
        / s6.ICMPv6NDOptSrcLLAddr(lladdr=hwsrc)
    )
    assert_same_bytes(solicitation, theirs)

    advertisement = neighbor_advertisement(hwsrc, src, hwdst, dst)
    theirs = (
        SEther(dst=hwdst, src=hwsrc)
        / s_ip6(src, dst, hlim=255)
        / s6.ICMPv6ND_NA(R=0, S=1, O=1, tgt=src)
        / s6.ICMPv6NDOptDstLLAddr(lladdr=hwsrc)
    )
    assert_same_bytes(advertisement, theirs)


labels = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)
names = st.lists(labels, min_size=1, max_size=4).map(".".join)


@given(ident=ports, name=names, address=addrs4, address6=addrs6, pref=ports)
def test_dns_response_matches_scapy(
    ident: int, name: str, address: str, address6: str, pref: int
) -> None:
    answers: tuple[kdns.Record, ...] = (
        DNSRR(name, kdns.TYPE_A, address),
        DNSRR(name, kdns.TYPE_AAAA, address6),
        DNSRRMX(name, pref, "mx." + name),
    )
    message = kdns.response(kdns.query(ident, name), answers)
    theirs = sdns.DNS(
        id=ident,
        qr=1,
        ra=1,
        qd=[sdns.DNSQR(qname=name)],
        an=[
            sdns.DNSRR(rrname=name, type="A", ttl=300, rdata=address),
            sdns.DNSRR(rrname=name, type="AAAA", ttl=300, rdata=address6),
            sdns.DNSRRMX(rrname=name, ttl=300, preference=pref, exchange="mx." + name),
        ],
    )
    assert_same_bytes(message, theirs)
