"""FreeBSD command plans: the argv of every host command kleene runs.

Pure functions, named after the command and verb they build
(``ifconfig_create``, ``pfctl_load``), with the absolute paths of
``reference/freebsd-plans.md`` §0. The engine hands these argv lists to a
``Host``; the simulated host interprets exactly the same lists.
"""

from __future__ import annotations

Argv = list[str]

IFCONFIG = "/sbin/ifconfig"
SYSCTL = "/sbin/sysctl"
KLDLOAD = "/sbin/kldload"
PFCTL = "/sbin/pfctl"
NETSTAT = "/usr/bin/netstat"
JLS = "/usr/sbin/jls"
JAIL = "/usr/sbin/jail"

KERNEL_MODULES = ("pf", "pflog", "if_bridge", "if_epair")
FORWARDING_SYSCTLS = ("net.inet.ip.forwarding", "net.inet6.ip6.forwarding")
BRIDGE_FILTER_SYSCTL = "net.link.bridge.pfil_bridge"


def owner_tag(owner_id: str) -> str:
    """Return the description that marks an interface as kleene's."""
    return f"kleene:{owner_id}"


def ifconfig_list() -> Argv:
    """List every interface (the inventory)."""
    return [IFCONFIG, "-a"]


def ifconfig_create(kind: str, name: str) -> Argv:
    """Create a cloned interface (``lo`` or ``bridge``) with a given name."""
    return [IFCONFIG, kind, "create", "name", name]


def ifconfig_destroy(name: str) -> Argv:
    """Destroy an interface."""
    return [IFCONFIG, name, "destroy"]


def ifconfig_describe(name: str, description: str) -> Argv:
    """Set the description of an interface."""
    return [IFCONFIG, name, "description", description]


def ifconfig_up(name: str) -> Argv:
    """Bring an interface up."""
    return [IFCONFIG, name, "up"]


def ifconfig_add_alias(name: str, address: str, prefixlen: int) -> Argv:
    """Add an address to an interface as an alias."""
    family = "inet6" if ":" in address else "inet"
    return [IFCONFIG, name, family, f"{address}/{prefixlen}", "alias"]


def ifconfig_remove_alias(name: str, address: str) -> Argv:
    """Remove an address from an interface."""
    family = "inet6" if ":" in address else "inet"
    return [IFCONFIG, name, family, address, "-alias"]


def ifconfig_deletem(bridge: str, member: str) -> Argv:
    """Remove a member from a bridge."""
    return [IFCONFIG, bridge, "deletem", member]


def netstat_routes() -> Argv:
    """Read the routing tables as JSON."""
    return [NETSTAT, "--libxo", "json", "-rn"]


def netstat_addresses(name: str) -> Argv:
    """Read the addresses of one interface as JSON."""
    return [NETSTAT, "--libxo", "json", "-I", name, "-n"]


def sysctl_get(oid: str) -> Argv:
    """Read one sysctl value."""
    return [SYSCTL, "-n", oid]


def sysctl_set(oid: str, value: str) -> Argv:
    """Set one sysctl value."""
    return [SYSCTL, f"{oid}={value}"]


def kldload(module: str) -> Argv:
    """Load a kernel module unless it is loaded already."""
    return [KLDLOAD, "-n", module]


def pfctl_enable() -> Argv:
    """Enable pf."""
    return [PFCTL, "-e"]


def pfctl_check() -> Argv:
    """Check a ruleset given on stdin without loading it."""
    return [PFCTL, "-n", "-f", "-"]


def pfctl_load(path: str) -> Argv:
    """Load the ruleset of a file."""
    return [PFCTL, "-f", path]


def jls_list() -> Argv:
    """List every jail as JSON."""
    return [JLS, "--libxo", "json", "-v"]
