"""What each kind of jail sees and may change (SPEC §4.12, §10.1–§10.5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kleene.backends.sim import SimulatedHost
from tests.sim.simhost import Ok, Run, follow, jail_argv, listing, vnet_jail

EM0 = """\
em0: flags=8863<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500
        options=481009b<RXCSUM,TXCSUM,VLAN_MTU,VLAN_HWTAGGING,VLAN_HWCSUM,VLAN_HWFILTER,NOMAP>
        ether 08:00:27:b2:00:96
        media: Ethernet autoselect (1000baseT <full-duplex>)
        status: active
"""
LO0_PFLOG0 = """\
lo0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 16384
        options=680003<RXCSUM,TXCSUM,LINKSTATE,RXCSUM_IPV6,TXCSUM_IPV6>
        groups: lo
pflog0: flags=0<> metric 0 mtu 33160
        groups: pflog
"""


def test_ipnet_jail_sees_only_its_addresses(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    ok("ifconfig lo create name kleene0")
    ok("ifconfig kleene0 description kleene:3f2a9c0d1e7b")
    ok("ifconfig kleene0 inet 10.2.3.1/32 alias")
    argv = jail_argv("c1", "ip4.addr=10.2.3.1", command=("ifconfig",))
    status, output = follow(host, argv, tmp_path / "e.log")
    assert status == 0
    assert output == listing(
        EM0
        + LO0_PFLOG0
        + """\
kleene0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 16384
        description: kleene:3f2a9c0d1e7b
        options=680003<RXCSUM,TXCSUM,LINKSTATE,RXCSUM_IPV6,TXCSUM_IPV6>
        inet 10.2.3.1 netmask 0xffffffff
        groups: lo
"""
    )


def test_ipnet_jail_with_ipv6_sees_nd6_lines(ok: Ok) -> None:
    ok("ifconfig lo0 inet6 fdef::5/128 alias")
    ok("jail -c name=c1 path=/ ip6.addr=fdef::5 persist")
    output = ok("jexec c1 ifconfig lo0")
    assert "\tinet6 fdef::5 prefixlen 128\n" in output
    assert "\tnd6 options=21<PERFORMNUD,AUTO_LINKLOCAL>\n" in output
    assert "inet 127.0.0.1" not in output


@pytest.mark.parametrize("profile", ["default", "two-nic"])
def test_disabled_jail_sees_no_addresses(tmp_path: Path, profile: str) -> None:
    host = SimulatedHost(tmp_path, profile=profile)
    argv = jail_argv("c1", "ip4=disable", "ip6=disable", command=("ifconfig",))
    status, output = follow(host, argv, tmp_path / "e.log")
    em1 = """\
em1: flags=8863<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500
        options=481009b<RXCSUM,TXCSUM,VLAN_MTU,VLAN_HWTAGGING,VLAN_HWCSUM,VLAN_HWFILTER,NOMAP>
        ether 08:00:27:a3:0d:42
        media: Ethernet autoselect (1000baseT <full-duplex>)
        status: active
"""
    expected = EM0 + (em1 if profile == "two-nic" else "") + LO0_PFLOG0
    assert (status, output) == (0, listing(expected))


def test_host_jail_sees_everything_and_changes_nothing(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    argv = jail_argv("c1", "ip4=inherit", "ip6=inherit", command=("ifconfig",))
    assert follow(host, argv, tmp_path / "e.log") == (0, ok("ifconfig"))
    ok("jail -c name=h path=/ ip4=inherit ip6=inherit persist")
    run_ = host.run
    assert run_(["jexec", "h", "ifconfig", "lo0", "up"]).output == (
        "ifconfig: permission denied\n"
    )
    assert run_(["jexec", "h", "ifconfig", "lo", "create"]).output == (
        "ifconfig: permission denied\n"
    )
    assert run_(["jexec", "h", "ifconfig", "lo0", "-alias", "127.0.0.1"]).output == (
        "ifconfig: ioctl (SIOCAIFADDR): permission denied\n"
    )


def test_route_changes_need_a_vnet_jail(ok: Ok, run: Run) -> None:
    ok("jail -c name=h path=/ ip4=inherit persist")
    result = run("jexec h route add -inet default 10.0.2.2")
    assert (result.status, result.output) == (
        1,
        "route: writing to routing socket: Operation not permitted\n",
    )


def test_netstat_in_an_ipnet_jail_shows_its_host_routes(ok: Ok) -> None:
    ok("ifconfig lo create name kleene0")
    ok("ifconfig kleene0 inet 10.2.3.1/32 alias")
    ok("ifconfig bridge create name kleene1")
    ok("ifconfig kleene1 inet 10.4.6.1/24 alias")
    ok("ifconfig kleene1 inet 10.4.6.2/32 alias")
    ok("jail -c name=c1 path=/ ip4.addr=10.2.3.1,10.4.6.2 persist")
    assert ok("jexec c1 netstat -rn") == (
        "Routing tables\n"
        "\n"
        "Internet:\n"
        "Destination        Gateway            Flags     Netif Expire\n"
        "10.2.3.1           link#5             UH      kleene0\n"
        "10.4.6.2           link#6             UHS         lo0\n"
    )


def test_netstat_in_a_vnet_jail(ok: Ok) -> None:
    ok("ifconfig bridge create name kleene1")
    ok("ifconfig kleene1 inet 10.4.6.1/24 alias")
    vnet_jail(ok, "v", "kleene1", "10.4.6.2/24", "10.4.6.1")
    assert ok("jexec v netstat -rn") == (
        "Routing tables\n"
        "\n"
        "Internet:\n"
        "Destination        Gateway            Flags     Netif Expire\n"
        "default            10.4.6.1           UGS     epair0b\n"
        "10.4.6.0/24        link#3             U       epair0b\n"
        "10.4.6.2           link#3             UHS         lo0\n"
    )


def test_netstat_in_a_disabled_jail_has_no_routes(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    argv = jail_argv("c1", "ip4=disable", "ip6=disable", command=("netstat", "-rn"))
    assert follow(host, argv, tmp_path / "e.log") == (0, "Routing tables\n")
    ok("jail -c name=d path=/ ip4=disable ip6=disable persist")
    assert '"rt-family": []' in ok("jexec d netstat --libxo json -rn")


def test_moving_interfaces_with_ifconfig_vnet(ok: Ok, run: Run) -> None:
    ok("ifconfig epair create")
    ok("jail -c name=v path=/ vnet persist")
    ok("ifconfig epair0b vnet v")
    assert "epair0b" in ok("jexec v ifconfig")
    assert run("ifconfig epair0b").status == 1
    ok("ifconfig epair0b -vnet v")
    assert "epair0b" not in ok("jexec v ifconfig")
    assert run("ifconfig epair0a vnet nosuch").output == (
        'ifconfig: jail "nosuch" not found\n'
    )
