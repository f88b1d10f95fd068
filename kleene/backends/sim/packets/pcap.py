"""Packet captures of the simulated host, written by scapy.

``write_pcap(path, frames, linktype)`` writes ``(time, item)`` pairs to a
classic pcap file: ``Ether`` frames under ``LINKTYPE_ETHERNET`` (an
interface), ``PflogRecord``s under ``LINKTYPE_PFLOG`` (``pflog0``), bare
``IPv4``/``IPv6`` packets under ``LINKTYPE_RAW``. Times are seconds since
the Unix epoch (the world's ``clock_us / 1e6``), kept to the microsecond.
scapy is imported only when a capture is written.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from kleene.backends.sim.packets.encode import Encodable, encode
from kleene.backends.sim.packets.layers import Ether, IPv4, IPv6
from kleene.backends.sim.packets.pflog import PflogRecord, pflog_bytes

logger = logging.getLogger(__name__)

# Link-layer header types (tcpdump.org/linktypes.html).
LINKTYPE_ETHERNET: Final = 1
LINKTYPE_RAW: Final = 101
LINKTYPE_PFLOG: Final = 117

_CARRIES: Final[dict[int, tuple[type, ...]]] = {
    LINKTYPE_ETHERNET: (Ether,),
    LINKTYPE_RAW: (IPv4, IPv6),
    LINKTYPE_PFLOG: (PflogRecord,),
}


def split_time(seconds: float) -> tuple[int, int]:
    """Split a time in seconds into whole seconds and microseconds."""
    micros = round(seconds * 1_000_000)
    return divmod(micros, 1_000_000)


def write_pcap(
    path: str | Path,
    frames: Iterable[tuple[float, Encodable | PflogRecord]],
    linktype: int = LINKTYPE_ETHERNET,
) -> int:
    """Write timed frames to a pcap file and return how many were written."""
    from scapy.utils import RawPcapWriter

    carries = _CARRIES.get(linktype)
    if carries is None:
        raise ValueError(
            f"unsupported pcap link type {linktype}; use "
            f"{LINKTYPE_ETHERNET}, {LINKTYPE_RAW} or {LINKTYPE_PFLOG}"
        )

    count = 0
    with RawPcapWriter(str(path), linktype=linktype) as writer:
        writer.write_header(None)
        for moment, item in frames:
            if not isinstance(item, carries):
                raise TypeError(
                    f"a pcap of link type {linktype} cannot hold a "
                    f"{type(item).__name__}"
                )
            data = pflog_bytes(item) if isinstance(item, PflogRecord) else encode(item)
            seconds, micros = split_time(moment)
            writer.write_packet(data, sec=seconds, usec=micros)
            count += 1
    logger.debug("wrote %d frames to %s", count, path)
    return count
