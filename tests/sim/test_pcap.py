"""pcap captures of typed frames, read back with scapy; pflog records and lines.

Ethernet captures must read back as the same bytes, times and packets;
pflog captures carry FreeBSD's 64-byte pfloghdr, whose fields scapy's PFLog
layer decodes (it then expects OpenBSD's longer header, so the packet is
read from offset 64, where FreeBSD's tcpdump finds it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scapy.layers import inet as s4
from scapy.layers.l2 import Ether as SEther
from scapy.layers.pflog import PFLog
from scapy.utils import rdpcap

from kleene.backends.sim.packets import (
    LINKTYPE_ETHERNET,
    LINKTYPE_PFLOG,
    LINKTYPE_RAW,
    SYN,
    TCP,
    UDP,
    Encodable,
    PflogRecord,
    arp_request,
    echo6_request,
    echo_request,
    encode,
    ether,
    ipv4,
    pflog_line,
    summary,
    write_pcap,
)
from kleene.backends.sim.packets.pcap import split_time
from kleene.backends.sim.packets.pflog import (
    AF_INET6,
    PF_DROP,
    PF_IN,
    PF_OUT,
    PF_PASS,
    PFLOG_HDRLEN,
    pflog_bytes,
    pfloghdr,
)

HOST_MAC = "08:00:27:b2:00:96"
GW_MAC = "52:54:00:12:35:02"
START = 1_704_067_200.0

FRAMES: list[tuple[float, Encodable]] = [
    (START, arp_request(HOST_MAC, "10.0.2.15", "10.0.2.2")),
    (
        START + 0.000138,
        ether(HOST_MAC, GW_MAC, echo_request("10.0.2.15", "1.1.1.1", 1, 0)),
    ),
    (START + 1.5, ether(HOST_MAC, GW_MAC, echo6_request("fd00::1", "fd00::2", 1, 0))),
]
BLOCKED = ipv4("10.13.37.2", "1.1.1.1", UDP(40000, 53, b"q" * 25))
PASSED = ipv4("10.0.2.15", "96.47.72.84", TCP(51000, 80, seq=1, flags=SYN))


def test_ethernet_capture_reads_back_with_scapy(tmp_path: Path) -> None:
    path = tmp_path / "em0.pcap"
    assert write_pcap(path, FRAMES, LINKTYPE_ETHERNET) == 3

    packets = rdpcap(str(path))
    assert [bytes(packet) for packet in packets] == [encode(f) for _, f in FRAMES]
    assert [float(packet.time) for packet in packets] == pytest.approx(
        [moment for moment, _ in FRAMES], abs=1e-6
    )
    assert packets[1][SEther].src == HOST_MAC
    assert packets[1][s4.ICMP].type == 8
    assert packets[1][s4.IP].len == 84


def test_empty_capture_has_a_header(tmp_path: Path) -> None:
    path = tmp_path / "empty.pcap"
    assert write_pcap(path, [], LINKTYPE_ETHERNET) == 0
    assert len(path.read_bytes()) == 24
    assert len(rdpcap(str(path))) == 0


def test_raw_ip_capture_holds_bare_packets(tmp_path: Path) -> None:
    path = tmp_path / "raw.pcap"
    write_pcap(path, [(START, BLOCKED)], LINKTYPE_RAW)
    assert bytes(rdpcap(str(path))[0]) == encode(BLOCKED)


def test_frame_of_the_wrong_kind_for_the_link_type_raises(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="cannot hold a IPv4"):
        write_pcap(tmp_path / "x.pcap", [(START, BLOCKED)], LINKTYPE_ETHERNET)


def test_unknown_link_type_raises(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unsupported pcap link type 228"):
        write_pcap(tmp_path / "x.pcap", [], 228)


def fields(record: Any) -> tuple[int, int, str]:
    """Return the action, direction and interface scapy's PFLog decoded."""
    iface = record.iface.rstrip(b"\x00").decode()
    return record.action, record.getfieldval("direction"), iface


def test_pflog_capture_decodes_with_scapy_pflog(tmp_path: Path) -> None:
    records = [
        (START + 2, PflogRecord(PF_DROP, PF_OUT, "kleene0", 5, BLOCKED)),
        (START + 3, PflogRecord(PF_PASS, PF_IN, "em0", 0, PASSED)),
    ]
    path = tmp_path / "pflog0.pcap"
    write_pcap(path, records, LINKTYPE_PFLOG)

    packets = rdpcap(str(path))
    assert [packet.__class__ for packet in packets] == [PFLog, PFLog]
    first, second = packets
    # Packet.direction is scapy's capture metadata; read the header field.
    assert fields(first) == (1, 2, "kleene0")
    assert fields(second) == (0, 1, "em0")
    assert (first.rulenumber, first.subrulenumber, first.reason) == (5, -1, 0)
    assert (first.hdrlen, first.addrfamily) == (61, 2)

    datagram = s4.IP(bytes(first)[PFLOG_HDRLEN:])
    assert (datagram.src, datagram.dst, datagram[s4.UDP].dport) == (
        "10.13.37.2",
        "1.1.1.1",
        53,
    )
    assert s4.IP(bytes(second)[PFLOG_HDRLEN:])[s4.TCP].flags == "S"


def test_pfloghdr_is_64_bytes_with_freebsd_af_inet6() -> None:
    record = PflogRecord(
        PF_PASS, PF_IN, "em0", 1, echo6_request("fd00::1", "::1", 1, 1)
    )
    header = pfloghdr(record)
    assert len(header) == 64
    assert header[1] == AF_INET6 == 28
    assert header[61:] == b"\x00\x00\x00"


def test_pflog_record_wire_len_is_header_plus_packet() -> None:
    record = PflogRecord(PF_DROP, PF_OUT, "kleene0", 3, BLOCKED)
    assert record.wire_len == len(pflog_bytes(record)) == 64 + BLOCKED.wire_len
    assert pflog_bytes(record)[64:] == encode(BLOCKED)


def test_summary_of_a_pflog_record_is_its_line_without_time() -> None:
    record = PflogRecord(PF_DROP, PF_OUT, "kleene0", 3, BLOCKED)
    assert summary(record) == (
        "rule 3/0(match): block out on kleene0: "
        "10.13.37.2.40000 > 1.1.1.1.53: UDP length 53"
    )


def test_pflog_line_shows_addresses_ports_protocol_and_length() -> None:
    record = PflogRecord(PF_DROP, PF_OUT, "kleene0", 3, BLOCKED)
    assert pflog_line(1_704_067_200_000_042, record) == (
        "1704067200.000042 rule 3/0(match): block out on kleene0: "
        "10.13.37.2.40000 > 1.1.1.1.53: UDP length 53"
    )


def test_pflog_line_for_icmp_has_bare_addresses() -> None:
    ping = echo_request("10.13.37.2", "1.1.1.1", 1, 0)
    record = PflogRecord(PF_PASS, PF_IN, "kleene0", 0, ping)
    assert pflog_line(0, record).endswith(
        "pass in on kleene0: 10.13.37.2 > 1.1.1.1: ICMP length 84"
    )
    icmp6 = PflogRecord(PF_PASS, PF_IN, "em0", 0, echo6_request("fd00::1", "::1", 1, 1))
    assert pflog_line(0, icmp6).endswith("fd00::1 > ::1: ICMP6 length 104")


def test_split_time_rounds_to_the_microsecond() -> None:
    assert split_time(START + 0.1234565) == (1_704_067_200, 123456)
    assert split_time(1.9999999) == (2, 0)
