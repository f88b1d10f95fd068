"""DNS messages for the simulated resolvers, carried as a ``UDP`` payload.

``DNS(id, qr, rcode, questions, answers)`` holds ``DNSQR`` questions and
``DNSRR`` (A, AAAA) or ``DNSRRMX`` answers, with scapy's field names. Names
are written without or with the trailing dot; both mean the same absolute
name. ``encode_dns`` writes the standard wire format (RFC 1035 §4) without
name compression, as scapy does by default; ``wire_len`` is its length.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from typing import Final, TypeAlias

TYPE_A: Final = 1
TYPE_MX: Final = 15
TYPE_AAAA: Final = 28
CLASS_IN: Final = 1
RCODE_NOERROR: Final = 0
RCODE_NXDOMAIN: Final = 3

_HEADER = struct.Struct("!HHHHHH")
_RR_FIXED = struct.Struct("!HHIH")
_QUESTION_FIXED = struct.Struct("!HH")


@dataclass(frozen=True, slots=True)
class DNSQR:
    """A question: name, type and class."""

    qname: str
    qtype: int = TYPE_A
    qclass: int = CLASS_IN

    @property
    def wire_len(self) -> int:
        """Return the question's length in bytes."""
        return name_len(self.qname) + 4


@dataclass(frozen=True, slots=True)
class DNSRR:
    """An address record: ``rdata`` is the IPv4 (A) or IPv6 (AAAA) address."""

    rrname: str
    type: int
    rdata: str
    ttl: int = 300
    rclass: int = CLASS_IN

    @property
    def wire_len(self) -> int:
        """Return the record's length in bytes."""
        return name_len(self.rrname) + 10 + (16 if self.type == TYPE_AAAA else 4)


@dataclass(frozen=True, slots=True)
class DNSRRMX:
    """A mail exchanger record."""

    rrname: str
    preference: int
    exchange: str
    ttl: int = 300
    rclass: int = CLASS_IN

    @property
    def type(self) -> int:
        """Return the record type, MX."""
        return TYPE_MX

    @property
    def wire_len(self) -> int:
        """Return the record's length in bytes."""
        return name_len(self.rrname) + 12 + name_len(self.exchange)


Record: TypeAlias = DNSRR | DNSRRMX


@dataclass(frozen=True, slots=True)
class DNS:
    """A DNS message; the section counts are computed from the sections."""

    id: int
    qr: int = 0
    rcode: int = RCODE_NOERROR
    questions: tuple[DNSQR, ...] = ()
    answers: tuple[Record, ...] = ()
    opcode: int = 0
    aa: int = 0
    tc: int = 0
    rd: int = 1
    ra: int = 0

    @property
    def wire_len(self) -> int:
        """Return the message's length in bytes."""
        questions = sum(question.wire_len for question in self.questions)
        return 12 + questions + sum(answer.wire_len for answer in self.answers)


def query(id: int, qname: str, qtype: int = TYPE_A) -> DNS:
    """Build a recursive query for one name and type."""
    return DNS(id=id, questions=(DNSQR(qname, qtype),))


def response(
    request: DNS, answers: tuple[Record, ...], rcode: int = RCODE_NOERROR
) -> DNS:
    """Build a resolver's answer to ``request``, echoing its questions."""
    return DNS(
        id=request.id,
        qr=1,
        rcode=rcode,
        questions=request.questions,
        answers=answers,
        rd=request.rd,
        ra=1,
    )


def name_len(name: str) -> int:
    """Return the length of a name in wire format, uncompressed."""
    name = name.rstrip(".")
    return len(name) + 2 if name else 1


def encode_name(name: str) -> bytes:
    """Encode a domain name as length-prefixed labels ending in the root."""
    out = bytearray()
    for label in name.rstrip(".").split("."):
        if label:
            raw = label.encode("ascii")
            out.append(len(raw))
            out += raw
    out.append(0)
    return bytes(out)


def _encode_record(record: Record) -> bytes:
    """Encode one answer record."""
    if isinstance(record, DNSRRMX):
        rdata = struct.pack("!H", record.preference) + encode_name(record.exchange)
    elif record.type == TYPE_AAAA:
        rdata = socket.inet_pton(socket.AF_INET6, record.rdata)
    else:
        rdata = socket.inet_aton(record.rdata)
    fixed = _RR_FIXED.pack(record.type, record.rclass, record.ttl, len(rdata))
    return encode_name(record.rrname) + fixed + rdata


def encode_dns(message: DNS) -> bytes:
    """Encode a DNS message in the standard wire format."""
    flags = (
        message.qr << 15
        | message.opcode << 11
        | message.aa << 10
        | message.tc << 9
        | message.rd << 8
        | message.ra << 7
        | message.rcode
    )
    header = _HEADER.pack(
        message.id, flags, len(message.questions), len(message.answers), 0, 0
    )

    parts = [header]
    for question in message.questions:
        parts.append(encode_name(question.qname))
        parts.append(_QUESTION_FIXED.pack(question.qtype, question.qclass))
    parts.extend(_encode_record(answer) for answer in message.answers)
    return b"".join(parts)


def summary(message: DNS) -> str:
    """Describe a DNS message in one line, as tcpdump does."""
    names = {TYPE_A: "A", TYPE_AAAA: "AAAA", TYPE_MX: "MX"}
    if not message.qr:
        asked = " ".join(
            f"{names.get(q.qtype, q.qtype)}? {q.qname.rstrip('.')}."
            for q in message.questions
        )
        return f"{message.id}+ {asked}"
    if message.rcode == RCODE_NXDOMAIN:
        return f"{message.id} NXDomain"
    shown = []
    for answer in message.answers:
        if isinstance(answer, DNSRRMX):
            shown.append(f"MX {answer.exchange.rstrip('.')}. {answer.preference}")
        else:
            shown.append(f"{names.get(answer.type, answer.type)} {answer.rdata}")
    return f"{message.id} {len(message.answers)}/0/0 {', '.join(shown)}"
