"""What the engine knows of the host during one invocation.

Reads are cached for the invocation and dropped after each change:
the interface inventory (``ifconfig -a``), the host gateway interface
(``netstat -rn``, detected at most once), the addresses configured on an
interface. ``ensure_prerequisites`` runs SPEC §6.1 once, before the first
host change.
"""

from __future__ import annotations

import logging

from kleene import inventory, plans
from kleene.backends.base import Host
from kleene.errors import CommandFailed, PrivilegeError
from kleene.inventory import InterfaceInfo

logger = logging.getLogger(__name__)

_UNKNOWN = "?"


class HostView:
    """Cached reads of one host, plus the once-per-invocation prerequisites."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self._interfaces: dict[str, InterfaceInfo] | None = None
        self._gateway: str | None = _UNKNOWN
        self._prepared = False

    def interfaces(self) -> dict[str, InterfaceInfo]:
        """Return the host's interfaces by name (cached until invalidated)."""
        if self._interfaces is None:
            output = self.host.run(plans.ifconfig_list()).check().output
            self._interfaces = inventory.parse_ifconfig(output)
        return self._interfaces

    def invalidate(self) -> None:
        """Forget the cached inventory after a host change."""
        self._interfaces = None

    def host_gateway(self) -> str | None:
        """Return the interface of the IPv4 default route, or None."""
        if self._gateway == _UNKNOWN:
            output = self.host.run(plans.netstat_routes()).check().output
            self._gateway = inventory.parse_host_gateway(output)
            logger.debug("host gateway interface: %s", self._gateway)
        return self._gateway

    def interface_addresses(self, name: str, family: int) -> list[str]:
        """Return the addresses of one family configured on an interface."""
        output = self.host.run(plans.netstat_addresses(name)).check().output
        return inventory.parse_interface_addresses(output, family)

    def ensure_prerequisites(self) -> None:
        """Enable forwarding, kernel modules, bridge filtering and pf (once)."""
        if self._prepared:
            return
        if not self.host.is_root():
            raise PrivilegeError("kleene needs root privileges to change the host")
        for oid in plans.FORWARDING_SYSCTLS:
            self._ensure_sysctl(oid)
        for module in plans.KERNEL_MODULES:
            self.host.run(plans.kldload(module)).check()
        self._ensure_sysctl(plans.BRIDGE_FILTER_SYSCTL)
        result = self.host.run(plans.pfctl_enable())
        if not result.ok and "pf already enabled" not in result.output:
            raise CommandFailed(result.argv, result.status, result.output)
        self._prepared = True

    def _ensure_sysctl(self, oid: str) -> None:
        value = self.host.run(plans.sysctl_get(oid)).check().output.strip()
        if value not in ("0", "1"):
            raise CommandFailed(plans.sysctl_get(oid), 0, f"unexpected value '{value}'")
        if value == "0":
            self.host.run(plans.sysctl_set(oid, "1")).check()
            logger.info("enabled %s", oid)
