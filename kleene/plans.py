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


JEXEC = "/usr/sbin/jexec"
ZFS = "/sbin/zfs"
MOUNT = "/sbin/mount"
UMOUNT = "/sbin/umount"
ENV = "/usr/bin/env"
EXEC_STOP = "/bin/sh /etc/rc.shutdown jail"


def ifconfig_create_epair() -> Argv:
    """Create an epair; FreeBSD prints the name of its ``a`` end."""
    return [IFCONFIG, "epair", "create"]


def ifconfig_ether(name: str, mac: str) -> Argv:
    """Set the MAC address of an interface."""
    return [IFCONFIG, name, "ether", mac]


def ifconfig_addm(bridge: str, member: str) -> Argv:
    """Add a member to a bridge."""
    return [IFCONFIG, bridge, "addm", member]


def ifconfig_reclaim(name: str, jail: str) -> Argv:
    """Move an interface back from a vnet jail to the host."""
    return [IFCONFIG, name, "-vnet", jail]


def jls_jail(name: str) -> Argv:
    """Read one jail as JSON (exit 1 when it does not exist)."""
    return [JLS, "--libxo", "json", "-v", "-j", name]


def jail_modify(name: str, ip4: list[str] | None, ip6: list[str] | None) -> Argv:
    """Replace the address lists of a running jail (a family given as None is kept)."""
    argv = [JAIL, "-m", f"name={name}"]
    if ip4 is not None:
        argv.append("ip4.addr=" + ",".join(ip4))
    if ip6 is not None:
        argv.append("ip6.addr=" + ",".join(ip6))
    return argv


def jail_remove(name: str) -> Argv:
    """Stop a jail: run its exec.stop, end its processes, remove it."""
    return [JAIL, "-r", name]


def jail_create(
    *,
    name: str,
    path: str,
    network_params: list[str],
    user: str,
    jail_params: list[str],
    env: list[str],
    command: list[str],
) -> Argv:
    """Build ``jail -c`` in the order of SPEC §4.11.1."""
    defaults = [
        (("mount.devfs", "mount.nodevfs"), "mount.devfs=true"),
        (("exec.stop", "exec.nostop"), f"exec.stop={EXEC_STOP}"),
        (("exec.clean", "exec.noclean"), "exec.clean=true"),
        (("exec.jail_user",), f"exec.jail_user={user}"),
        (("host.hostname",), f"host.hostname={name}"),
    ]
    chosen = [
        value
        for names, value in defaults
        if not any(param.startswith(names) for param in jail_params)
    ]
    return [
        JAIL,
        "-c",
        f"path={path}",
        f"name={name}",
        *network_params,
        *chosen,
        *jail_params,
        f"command={ENV}",
        *env,
        *command,
    ]


def jexec(name: str, user: str, env: list[str], command: list[str]) -> Argv:
    """Run a command in a running jail as a user."""
    return [JEXEC, "-l", "-U", user, name, ENV, *env, *command]


def zfs_clone(snapshot: str, dataset: str) -> Argv:
    """Clone an image snapshot into a container dataset."""
    return [ZFS, "clone", snapshot, dataset]


def zfs_mountpoint(dataset: str) -> Argv:
    """Read the mountpoint of a dataset."""
    return [ZFS, "list", "-H", "-o", "mountpoint", dataset]


def zfs_destroy(dataset: str) -> Argv:
    """Destroy a dataset and its descendants."""
    return [ZFS, "destroy", "-rf", dataset]


def mount_devfs_list() -> Argv:
    """List devfs mounts as JSON."""
    return [MOUNT, "--libxo", "json", "-t", "devfs"]


def umount(path: str) -> Argv:
    """Unmount a file system."""
    return [UMOUNT, path]
