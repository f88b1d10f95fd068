"""Bridges and epairs on the simulated host: creation, members, destroy."""

from __future__ import annotations

import re
from pathlib import Path

from kleene.backends.sim import SimulatedHost
from tests.sim.simhost import Ok, Run, listing


def test_bridge_network_create_plan_gives_the_spec_block(ok: Ok) -> None:
    assert ok("/sbin/ifconfig bridge create name kleene1") == "kleene1\n"
    ok("/sbin/ifconfig kleene1 description kleene:def")
    ok("/sbin/ifconfig kleene1 up")
    ok("/sbin/ifconfig kleene1 inet 10.4.6.1/24 alias")

    output = ok("ifconfig kleene1")
    mac = re.search(r"\tether (58:9c:fc:[0-9a-f:]{8})\n", output)
    assert mac is not None
    assert output == listing(f"""
        kleene1: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500
                description: kleene:def
                ether {mac.group(1)}
                inet 10.4.6.1 netmask 0xffffff00 broadcast 10.4.6.255
                id 00:00:00:00:00:00 priority 32768 hellotime 2 fwddelay 15
                maxage 20 holdcnt 6 proto rstp maxaddr 2000 timeout 1200
                root id 00:00:00:00:00:00 priority 32768 ifcost 0 port 0
                groups: bridge
                nd6 options=9<PERFORMNUD,IFDISABLED>
    """)


def test_bridge_create_without_name_prints_bridge0(ok: Ok) -> None:
    assert ok("ifconfig bridge create") == "bridge0\n"
    assert ok("ifconfig bridge create") == "bridge1\n"


def test_creating_a_bridge_loads_if_bridge(ok: Ok, run: Run) -> None:
    assert run("sysctl net.link.bridge.pfil_bridge").status == 1
    ok("ifconfig bridge create")
    assert (
        ok("sysctl net.link.bridge.pfil_bridge") == "net.link.bridge.pfil_bridge: 0\n"
    )
    assert run("kldload if_bridge").status == 1


def test_epair_create_prints_the_a_end_and_creates_both(ok: Ok) -> None:
    assert ok("ifconfig epair create") == "epair0a\n"
    assert ok("ifconfig epair create") == "epair1a\n"
    names = re.findall(r"^(\S+):", ok("ifconfig"), re.MULTILINE)
    assert names[-4:] == ["epair0a", "epair0b", "epair1a", "epair1b"]


def test_epair_ends_are_running_and_down_with_paired_macs(ok: Ok) -> None:
    ok("ifconfig epair create")
    end_a, end_b = ok("ifconfig epair0a"), ok("ifconfig epair0b")
    mac_a = re.search(r"\tether (\S+)", end_a)
    assert mac_a is not None
    assert re.fullmatch(r"02(:[0-9a-f]{2}){4}:0a", mac_a.group(1))
    assert end_b == listing(f"""
        epair0b: flags=8862<BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500
                options=8<VLAN_MTU>
                ether {mac_a.group(1)[:-2]}0b
                groups: epair
                media: Ethernet 10Gbase-T (10Gbase-T <full-duplex>)
                status: active
                nd6 options=29<PERFORMNUD,IFDISABLED,AUTO_LINKLOCAL>
    """)


def test_epair_unit_is_the_lowest_free(ok: Ok) -> None:
    ok("ifconfig epair create")
    ok("ifconfig epair create")
    ok("ifconfig epair0a destroy")
    assert ok("ifconfig epair create") == "epair0a\n"


def test_destroy_of_epair_end_destroys_both_ends(ok: Ok, run: Run) -> None:
    ok("ifconfig epair create")
    ok("ifconfig epair0b destroy")
    assert run("ifconfig epair0a").status == 1
    assert run("ifconfig epair0b").status == 1


def test_member_is_promiscuous_and_listed_with_its_port(ok: Ok) -> None:
    ok("ifconfig bridge create name kleene1")
    ok("ifconfig epair create")
    ok("ifconfig epair0a up")
    ok("ifconfig kleene1 addm epair0a")

    assert ok("ifconfig epair0a").startswith(
        "epair0a: flags=8963<UP,BROADCAST,RUNNING,PROMISC,SIMPLEX,MULTICAST> "
    )
    assert (
        "\tmember: epair0a flags=143<LEARNING,DISCOVER,AUTOEDGE,AUTOPTP>\n"
        "\t        ifmaxaddr 0 port 6 priority 128 path cost 2000\n"
        "\tgroups: bridge\n"
    ) in ok("ifconfig kleene1")


def test_members_are_listed_most_recent_first(ok: Ok) -> None:
    ok("ifconfig bridge create name kleene1")
    ok("ifconfig epair create")
    ok("ifconfig epair create")
    ok("ifconfig kleene1 addm epair0a")
    ok("ifconfig kleene1 addm epair1a")
    members = re.findall(r"member: (\S+) .*\n.* port (\d+) ", ok("ifconfig kleene1"))
    assert members == [("epair1a", "8"), ("epair0a", "6")]


def test_deletem_clears_promisc(ok: Ok) -> None:
    ok("ifconfig bridge create name kleene1")
    ok("ifconfig epair create")
    ok("ifconfig epair0a up")
    ok("ifconfig kleene1 addm epair0a")
    ok("ifconfig kleene1 deletem epair0a")
    assert ok("ifconfig epair0a").startswith("epair0a: flags=8863<")
    assert "member:" not in ok("ifconfig kleene1")


def test_addm_of_a_member_and_deletem_of_a_non_member_fail(ok: Ok, run: Run) -> None:
    ok("ifconfig bridge create name kleene1")
    ok("ifconfig epair create")
    ok("ifconfig kleene1 addm epair0a")

    again = run("ifconfig kleene1 addm epair0a")
    assert (again.status, again.output) == (
        1,
        "ifconfig: BRDGADD epair0a: File exists\n",
    )
    absent = run("ifconfig kleene1 deletem epair0b")
    assert (absent.status, absent.output) == (
        1,
        "ifconfig: BRDGDEL epair0b: No such file or directory\n",
    )


def test_addm_of_a_missing_interface_fails(ok: Ok, run: Run) -> None:
    ok("ifconfig bridge create name kleene1")
    result = run("ifconfig kleene1 addm epair9a")
    assert result.output == "ifconfig: BRDGADD epair9a: No such file or directory\n"


def test_destroying_a_member_removes_it_from_the_bridge(ok: Ok) -> None:
    ok("ifconfig bridge create name kleene1")
    ok("ifconfig epair create")
    ok("ifconfig kleene1 addm epair0a")
    ok("ifconfig epair0a destroy")
    assert "member:" not in ok("ifconfig kleene1")


def test_destroying_a_bridge_releases_its_members(ok: Ok) -> None:
    ok("ifconfig bridge create name kleene1")
    ok("ifconfig epair create")
    ok("ifconfig epair0a up")
    ok("ifconfig kleene1 addm epair0a")
    ok("ifconfig kleene1 destroy")
    assert ok("ifconfig epair0a").startswith("epair0a: flags=8863<")


def test_same_seed_gives_the_same_bridge_and_epair_macs(tmp_path: Path) -> None:
    def macs(directory: Path) -> list[str]:
        host = SimulatedHost(directory, seed=7)
        host.run(["ifconfig", "bridge", "create", "name", "kleene0"])
        host.run(["ifconfig", "epair", "create"])
        return re.findall(r"ether (\S+)", host.run(["ifconfig"]).output)

    first, second = macs(tmp_path / "one"), macs(tmp_path / "two")
    assert first == second
    assert len(set(first)) == 4  # em0, bridge, two epair ends


def test_other_seed_gives_other_macs(tmp_path: Path) -> None:
    def bridge_mac(seed: int) -> str:
        host = SimulatedHost(tmp_path / str(seed), seed=seed)
        host.run(["ifconfig", "bridge", "create"])
        return host.run(["ifconfig", "bridge0"]).output.split("ether ")[1][:17]

    assert bridge_mac(0) != bridge_mac(1)
