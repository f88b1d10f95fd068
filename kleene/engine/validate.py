"""Validation of user input for networks and addresses (SPEC §4.1, §4.9).

Pure functions: each takes the raw value and raises ``ValidationError`` with
the exact message of SPEC §8.3, or returns the parsed value.
"""

from __future__ import annotations

import ipaddress
import re

from kleene.errors import ValidationError
from kleene.model import AUTO_GATEWAY

NETWORK_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]*")
MAX_INTERFACE_NAME = 15

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def network_name(name: str) -> None:
    """Check the syntax of a network name."""
    if not NETWORK_NAME.fullmatch(name):
        raise ValidationError(
            f"invalid network name '{name}': must match [a-zA-Z0-9][a-zA-Z0-9_.-]*"
        )


def interface_name(name: str) -> None:
    """Check that an interface name fits FreeBSD's limit."""
    if len(name) > MAX_INTERFACE_NAME:
        raise ValidationError(
            f"invalid interface name '{name}': longer than 15 characters"
        )


def subnet(value: str, field: str, version: int) -> IPNetwork | None:
    """Parse a strict CIDR block of one family ("" means unset)."""
    if value == "":
        return None
    try:
        parsed = ipaddress.ip_network(value, strict=True)
    except ValueError:
        raise ValidationError(
            f'invalid {field}: could not parse cidr block: "{value}"'
        ) from None
    if parsed.version != version:
        raise ValidationError(f"invalid {field}: wrong IP protocol")
    return parsed


def gateway(value: str, field: str, version: int) -> IPAddress | None:
    """Parse a gateway: "", "<auto>" or one address of the family."""
    if value in ("", AUTO_GATEWAY):
        return None
    try:
        parsed = ipaddress.ip_address(value)
    except ValueError:
        raise ValidationError(
            f'invalid {field}: could not parse cidr block: "{value}"'
        ) from None
    if parsed.version != version:
        raise ValidationError(f"invalid {field}: wrong IP protocol")
    return parsed


def canonical(address: str) -> str:
    """Return the canonical text of an address (IPv6 compressed, lower case)."""
    return str(ipaddress.ip_address(address))
