"""What pf logs to ``pflog0``: ``PflogRecord``, its header bytes, its text line.

A ``PflogRecord`` is one packet that matched a ``log`` rule: the verdict
(``action``: ``PF_PASS``, ``PF_DROP``, ...), the direction (``dir``:
``PF_IN``, ``PF_OUT``), the interface (``ifname``), the rule number after
list expansion (``rulenr``) and the IP packet itself (``payload``). The
field names are those of FreeBSD's ``struct pfloghdr``.

``pflog_line`` formats a record as ``klee sim pflog`` prints it (SPEC
§7.10); ``pfloghdr`` and ``pflog_bytes`` make the bytes that a capture of
link type PFLOG (117) holds: the header, then the packet.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Final

from kleene.backends.sim.packets.encode import encode
from kleene.backends.sim.packets.layers import (
    ICMP,
    TCP,
    UDP,
    ICMPv6,
    IPv4,
    Packet,
)

# pf actions, reasons and directions (FreeBSD's net/pfvar.h).
PF_PASS: Final = 0
PF_DROP: Final = 1
PF_NAT: Final = 4
PF_RDR: Final = 8
PFRES_MATCH: Final = 0
PF_INOUT: Final = 0
PF_IN: Final = 1
PF_OUT: Final = 2

# Address families as FreeBSD numbers them (sys/socket.h).
AF_INET: Final = 2
AF_INET6: Final = 28

# What FreeBSD's pflog_packet() writes when it did not look the socket up:
# uid UID_MAX (-1 as a signed number) and pid NO_PID.
UID_MAX: Final = -1
NO_PID: Final = 100000

# struct pfloghdr, from FreeBSD's sys/net/if_pflog.h (13.x):
#   u_int8_t length; sa_family_t af; u_int8_t action; u_int8_t reason;
#   char ifname[IFNAMSIZ]; char ruleset[PFLOG_RULESET_NAME_SIZE];
#   u_int32_t rulenr; u_int32_t subrulenr; uid_t uid; pid_t pid;
#   uid_t rule_uid; pid_t rule_pid; u_int8_t dir; u_int8_t pad[3];
# 64 bytes; ``length`` is PFLOG_REAL_HDRLEN, offsetof(pad) = 61, and readers
# (tcpdump, Wireshark) find the packet at BPF_WORDALIGN(length) = 64.
# Up to ``dir`` this is the layout of scapy's PFLog, which then goes on with
# OpenBSD's extra fields, so scapy decodes the header but not what follows.
# FreeBSD writes rulenr and subrulenr in network order and the uid/pid words
# in host order; we write all of them in network order, as scapy reads them.
_PFLOGHDR: Final = struct.Struct("!BBBB16s16sIiiIiIB3x")
PFLOG_REAL_HDRLEN: Final = 61
PFLOG_HDRLEN: Final = _PFLOGHDR.size

_ACTIONS: Final = {PF_PASS: "pass", PF_DROP: "block", PF_NAT: "nat", PF_RDR: "rdr"}
_REASONS: Final = {PFRES_MATCH: "match"}
_DIRECTIONS: Final = {PF_INOUT: "in/out", PF_IN: "in", PF_OUT: "out"}


@dataclass(frozen=True, slots=True)
class PflogRecord:
    """One packet logged by pf, with the fields of FreeBSD's pfloghdr."""

    action: int
    dir: int
    ifname: str
    rulenr: int
    payload: Packet
    reason: int = PFRES_MATCH
    ruleset: str = ""
    subrulenr: int = -1
    uid: int = UID_MAX
    pid: int = NO_PID
    rule_uid: int = 0
    rule_pid: int = 0

    @property
    def af(self) -> int:
        """Return the address family of the logged packet (FreeBSD's AF_*)."""
        return AF_INET if isinstance(self.payload, IPv4) else AF_INET6

    @property
    def wire_len(self) -> int:
        """Return the record's length in bytes: pfloghdr plus the packet."""
        return PFLOG_HDRLEN + self.payload.wire_len


def pfloghdr(record: PflogRecord) -> bytes:
    """Build the 64-byte pfloghdr that precedes a logged packet."""
    return _PFLOGHDR.pack(
        PFLOG_REAL_HDRLEN,
        record.af,
        record.action,
        record.reason,
        record.ifname.encode("ascii"),
        record.ruleset.encode("ascii"),
        record.rulenr,
        record.subrulenr,
        record.uid,
        record.pid,
        record.rule_uid,
        record.rule_pid,
        record.dir,
    )


def pflog_bytes(record: PflogRecord) -> bytes:
    """Return a record as a PFLOG capture holds it: pfloghdr, then the packet."""
    return pfloghdr(record) + encode(record.payload)


def _endpoints(packet: Packet) -> tuple[str, str, str]:
    """Return source, destination (``addr.port`` for TCP/UDP) and protocol."""
    inner = packet.payload
    if isinstance(inner, TCP | UDP):
        name = "TCP" if isinstance(inner, TCP) else "UDP"
        return f"{packet.src}.{inner.sport}", f"{packet.dst}.{inner.dport}", name
    if isinstance(inner, ICMP):
        return packet.src, packet.dst, "ICMP"
    if isinstance(inner, ICMPv6):
        return packet.src, packet.dst, "ICMP6"
    proto = packet.proto if isinstance(packet, IPv4) else packet.nh
    return packet.src, packet.dst, f"ip-proto-{proto}"


def pflog_line(clock_us: int, record: PflogRecord) -> str:
    """Format a record as ``klee sim pflog`` prints it (SPEC §7.10).

    ``length`` is the IP packet's total length, computed from its headers.
    """
    seconds, micros = divmod(clock_us, 1_000_000)
    src, dst, proto = _endpoints(record.payload)
    reason = _REASONS.get(record.reason, "unkn")
    action = _ACTIONS.get(record.action, "unkn")
    direction = _DIRECTIONS.get(record.dir, "unkn")
    return (
        f"{seconds}.{micros:06d} rule {record.rulenr}/{record.reason}({reason}): "
        f"{action} {direction} on {record.ifname}: {src} > {dst}: "
        f"{proto} length {record.payload.wire_len}"
    )
