"""ifconfig on the simulated host: listing, loopback clones, settings, errors."""

from __future__ import annotations

import pytest

from kleene.backends.sim import SimulatedHost
from tests.sim.simhost import Ok, Run, listing

FRESH_HOST = listing("""
    em0: flags=8863<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500
            options=481009b<RXCSUM,TXCSUM,VLAN_MTU,VLAN_HWTAGGING,VLAN_HWCSUM,VLAN_HWFILTER,NOMAP>
            ether 08:00:27:b2:00:96
            inet 10.0.2.15 netmask 0xffffff00 broadcast 10.0.2.255
            media: Ethernet autoselect (1000baseT <full-duplex>)
            status: active
            nd6 options=29<PERFORMNUD,IFDISABLED,AUTO_LINKLOCAL>
    lo0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 16384
            options=680003<RXCSUM,TXCSUM,LINKSTATE,RXCSUM_IPV6,TXCSUM_IPV6>
            inet6 ::1 prefixlen 128
            inet6 fe80::1%lo0 prefixlen 64 scopeid 0x3
            inet 127.0.0.1 netmask 0xff000000
            groups: lo
            nd6 options=21<PERFORMNUD,AUTO_LINKLOCAL>
    pflog0: flags=0<> metric 0 mtu 33160
            groups: pflog
""")

EM1 = listing("""
    em1: flags=8863<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500
            options=481009b<RXCSUM,TXCSUM,VLAN_MTU,VLAN_HWTAGGING,VLAN_HWCSUM,VLAN_HWFILTER,NOMAP>
            ether 08:00:27:a3:0d:42
            media: Ethernet autoselect (1000baseT <full-duplex>)
            status: active
            nd6 options=29<PERFORMNUD,IFDISABLED,AUTO_LINKLOCAL>
""")


def test_fresh_host_listing_is_exactly_the_spec_listing(ok: Ok) -> None:
    assert ok("ifconfig") == FRESH_HOST


def test_listing_lines_are_indented_with_a_real_tab(ok: Ok) -> None:
    indented = [line for line in ok("ifconfig -a").splitlines() if line[:1].isspace()]
    assert indented
    assert all(line.startswith("\t") and line[1] != " " for line in indented)


def test_dash_a_and_absolute_path_list_the_same(ok: Ok) -> None:
    assert ok("/sbin/ifconfig -a") == FRESH_HOST


def test_two_nic_profile_lists_em1_after_em0(tmp_path: object) -> None:
    host = SimulatedHost(tmp_path, profile="two-nic")  # type: ignore[arg-type]
    output = host.run(["ifconfig"]).output
    em0_block = FRESH_HOST.split("lo0:")[0]
    assert output == em0_block + EM1 + FRESH_HOST[len(em0_block) :]


def test_one_interface_prints_its_block(ok: Ok) -> None:
    assert (
        ok("ifconfig pflog0")
        == "pflog0: flags=0<> metric 0 mtu 33160\n\tgroups: pflog\n"
    )


def test_unknown_interface_does_not_exist(run: Run) -> None:
    result = run("ifconfig kleene7")
    assert (result.status, result.output) == (
        1,
        "ifconfig: interface kleene7 does not exist\n",
    )


def test_loopback_network_create_plan_gives_the_spec_block(ok: Ok) -> None:
    assert ok("ifconfig lo create name kleene0") == "kleene0\n"
    assert ok("ifconfig kleene0 description kleene:abc") == ""
    assert ok("ifconfig kleene0 up") == ""

    assert ok("ifconfig kleene0") == listing("""
        kleene0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 16384
                description: kleene:abc
                options=680003<RXCSUM,TXCSUM,LINKSTATE,RXCSUM_IPV6,TXCSUM_IPV6>
                inet6 fe80::1%kleene0 prefixlen 64 scopeid 0x5
                groups: lo
                nd6 options=21<PERFORMNUD,AUTO_LINKLOCAL>
    """)


def test_loopback_clone_is_created_down_without_addresses(ok: Ok) -> None:
    ok("ifconfig lo create name kleene0")
    assert ok("ifconfig kleene0") == listing("""
        kleene0: flags=8008<LOOPBACK,MULTICAST> metric 0 mtu 16384
                options=680003<RXCSUM,TXCSUM,LINKSTATE,RXCSUM_IPV6,TXCSUM_IPV6>
                groups: lo
                nd6 options=21<PERFORMNUD,AUTO_LINKLOCAL>
    """)


def test_new_interface_is_listed_last(ok: Ok) -> None:
    ok("ifconfig lo create name kleene0")
    assert ok("ifconfig") == FRESH_HOST + ok("ifconfig kleene0")


def test_lo_create_without_name_prints_the_lowest_free_unit(ok: Ok) -> None:
    assert ok("ifconfig lo create") == "lo1\n"
    assert ok("ifconfig lo create") == "lo2\n"
    ok("ifconfig lo1 destroy")
    assert ok("ifconfig lo create") == "lo1\n"


def test_lo_create_with_explicit_unit_prints_nothing(ok: Ok, run: Run) -> None:
    assert ok("ifconfig lo5 create") == ""
    assert run("ifconfig lo5 create").output == "ifconfig: SIOCIFCREATE2: File exists\n"


def test_unknown_cloner_is_an_invalid_argument(run: Run) -> None:
    result = run("ifconfig kleene0 create")
    assert (result.status, result.output) == (
        1,
        "ifconfig: SIOCIFCREATE2: Invalid argument\n",
    )


def test_create_with_a_taken_name_fails_and_the_new_clone_stays(
    ok: Ok, run: Run
) -> None:
    ok("ifconfig lo create name kleene0")

    result = run("ifconfig lo create name kleene0")

    assert result.status == 1
    assert result.output == "ifconfig: ioctl SIOCSIFNAME (set name): File exists\n"
    # kleene0 holds unit 1 of the lo cloner (it was lo1), so the new clone is lo2.
    assert ok("ifconfig lo2").startswith("lo2: flags=8008<LOOPBACK,MULTICAST>")


def test_bridge_create_with_a_taken_name_leaves_bridge0(ok: Ok, run: Run) -> None:
    ok("ifconfig lo create name kleene0")
    assert run("ifconfig bridge create name kleene0").status == 1
    assert ok("ifconfig bridge0").startswith("bridge0: flags=8802<")


def test_indexes_are_never_reused(ok: Ok) -> None:
    ok("ifconfig lo create name kleene0")
    ok("ifconfig kleene0 destroy")
    ok("ifconfig lo create name kleene0")
    ok("ifconfig kleene0 up")
    assert "scopeid 0x6" in ok("ifconfig kleene0")


def test_rename_prints_the_new_name(ok: Ok) -> None:
    ok("ifconfig lo create")
    assert ok("ifconfig lo1 name kleene3") == "kleene3\n"
    assert ok("ifconfig kleene3").startswith("kleene3: ")


def test_rename_to_a_taken_name_fails(ok: Ok, run: Run) -> None:
    ok("ifconfig lo create")
    result = run("ifconfig lo1 name em0")
    assert (result.status, result.output) == (
        1,
        "ifconfig: ioctl SIOCSIFNAME (set name): File exists\n",
    )


def test_description_is_set_and_cleared(ok: Ok) -> None:
    ok("ifconfig lo create name kleene0")
    ok("ifconfig kleene0 description 'two words'")
    assert "\tdescription: two words\n" in ok("ifconfig kleene0")
    ok("ifconfig kleene0 -description")
    assert "description" not in ok("ifconfig kleene0")


def test_down_clears_up_and_running_on_a_loopback(ok: Ok) -> None:
    ok("ifconfig lo create name kleene0")
    ok("ifconfig kleene0 up")
    ok("ifconfig kleene0 down")
    assert ok("ifconfig kleene0").startswith("kleene0: flags=8008<LOOPBACK,MULTICAST>")


def test_destroy_of_em0_or_lo0_is_an_invalid_argument(run: Run) -> None:
    for name in ("em0", "lo0"):
        result = run(f"ifconfig {name} destroy")
        assert (result.status, result.output) == (
            1,
            "ifconfig: SIOCIFDESTROY: Invalid argument\n",
        )


def test_destroy_removes_the_interface(ok: Ok, run: Run) -> None:
    ok("ifconfig lo create name kleene0")
    assert ok("ifconfig kleene0 destroy") == ""
    assert run("ifconfig kleene0").status == 1
    assert ok("ifconfig") == FRESH_HOST


def test_missing_argument_is_reported(run: Run) -> None:
    result = run("ifconfig em0 description")
    assert (result.status, result.output) == (
        1,
        "ifconfig: 'description' requires argument\n",
    )


@pytest.mark.parametrize(
    "command", ["ifconfig -l", "ifconfig em0 vlan 5", "ifconfig em0 group foo"]
)
def test_unsupported_forms_print_usage_and_exit_64(run: Run, command: str) -> None:
    result = run(command)
    assert result.status == 64
    assert result.output.startswith("usage: ifconfig ")


def test_mtu_is_set(ok: Ok, run: Run) -> None:
    ok("ifconfig lo create name kleene0")
    ok("ifconfig kleene0 mtu 1500")
    assert ok("ifconfig kleene0").startswith(
        "kleene0: flags=8008<LOOPBACK,MULTICAST> metric 0 mtu 1500\n"
    )
    assert run("ifconfig kleene0 mtu 0").output == (
        "ifconfig: ioctl SIOCSIFMTU (set mtu): Invalid argument\n"
    )


def test_ether_sets_the_mac(ok: Ok, run: Run) -> None:
    ok("ifconfig epair create")
    ok("ifconfig epair0a ether 02:4d:3b:cb:a0:0a")
    assert "\tether 02:4d:3b:cb:a0:0a\n" in ok("ifconfig epair0a")
    assert run("ifconfig epair0a ether zz").output == (
        "ifconfig: malformed link-level address\n"
    )
    assert run("ifconfig lo0 ether 02:00:00:00:00:01").output == (
        "ifconfig: ioctl (SIOCSIFLLADDR): Invalid argument\n"
    )
