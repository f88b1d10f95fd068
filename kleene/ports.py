"""Published ports: the ``-p`` syntax and its validation (SPEC §4.13).

``parse_publish`` applies the client-side syntax rules and returns the stored
form (``host_port`` ``"PORT"`` or ``"START:END"``, ``container_port`` ``"PORT"``
or ``"START:*"``); ``validate_port_numbers`` applies the server-side range
check. The filter port of a range is computed by the pf renderer.
"""

from __future__ import annotations

from dataclasses import dataclass

from kleene.errors import ValidationError

PROTOCOLS = ("tcp", "udp")
MAX_PORT = 65535


@dataclass(frozen=True)
class PortSpec:
    """One published port as the user wrote it, split into its parts."""

    interfaces: tuple[str, ...]
    host_port: str
    container_port: str
    protocol: str


def parse_publish(raw: str) -> PortSpec:
    """Split a ``-p`` value into its parts, or fail with the decode message."""

    def bad() -> ValidationError:
        return ValidationError(f"could not decode port to publish: {raw}")

    if raw.count("/") > 1:
        raise bad()
    spec, slash, protocol = raw.partition("/")
    protocol = protocol if slash else "tcp"
    if protocol not in PROTOCOLS:
        raise bad()
    parts = spec.split(":")
    if len(parts) > 3:
        raise bad()
    interfaces: tuple[str, ...] = (parts[0],) if len(parts) == 3 else ()
    host = parts[-2] if len(parts) >= 2 else parts[0]
    container = parts[-1] if len(parts) >= 2 else ""
    if host.count("-") > 1 or "-" in container:
        raise bad()
    start, _, end = host.partition("-")
    container = container or start
    if end:
        return PortSpec(interfaces, f"{start}:{end}", f"{container}:*", protocol)
    return PortSpec(interfaces, host, container, protocol)


def validate_port_numbers(spec: PortSpec) -> None:
    """Check every port number is 0-65535 and ranges run upwards."""
    numbers = [*spec.host_port.split(":"), spec.container_port.split(":")[0]]
    for number in numbers:
        if not number.isdigit() or not number.isascii() or int(number) > MAX_PORT:
            raise ValidationError(
                "invalid port value (should be in the range 0 - 65535)"
            )
    if ":" in spec.host_port:
        start, end = (int(n) for n in spec.host_port.split(":"))
        offset = end - start
        if offset < 0 or int(numbers[-1]) + offset > MAX_PORT:
            raise ValidationError(
                "invalid port value (should be in the range 0 - 65535)"
            )
