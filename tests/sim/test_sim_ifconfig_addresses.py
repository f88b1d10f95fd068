"""ifconfig address changes: alias, -alias, replace, defaults, side effects."""

from __future__ import annotations

import pytest

from tests.sim.simhost import Ok, Run, listing


def test_inet_alias_on_a_loopback_shows_netmask_without_broadcast(ok: Ok) -> None:
    ok("ifconfig lo create name kleene0")
    ok("ifconfig kleene0 up")
    ok("ifconfig kleene0 inet 10.2.3.1/32 alias")
    assert ok("ifconfig kleene0") == listing("""
        kleene0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 16384
                options=680003<RXCSUM,TXCSUM,LINKSTATE,RXCSUM_IPV6,TXCSUM_IPV6>
                inet6 fe80::1%kleene0 prefixlen 64 scopeid 0x5
                inet 10.2.3.1 netmask 0xffffffff
                groups: lo
                nd6 options=21<PERFORMNUD,AUTO_LINKLOCAL>
    """)


def test_inet_minus_alias_removes_the_address(ok: Ok) -> None:
    ok("ifconfig lo create name kleene0")
    ok("ifconfig kleene0 inet 10.2.3.1/32 alias")
    ok("ifconfig kleene0 inet 10.2.3.1 -alias")
    assert "inet 10.2.3.1" not in ok("ifconfig kleene0")


def test_removing_an_absent_address_fails(ok: Ok, run: Run) -> None:
    ok("ifconfig lo create name kleene0")
    result = run("ifconfig kleene0 inet 10.2.3.1 -alias")
    assert (result.status, result.output) == (
        1,
        "ifconfig: ioctl (SIOCDIFADDR): Can't assign requested address\n",
    )


@pytest.mark.parametrize(
    "command",
    ["ifconfig em0 alias 10.0.2.16", "ifconfig em0 inet 10.0.2.16 alias"],
)
def test_alias_without_length_is_a_host_address(ok: Ok, command: str) -> None:
    ok(command)
    assert "\tinet 10.0.2.16 netmask 0xffffffff broadcast 10.0.2.16\n" in ok(
        "ifconfig em0"
    )


def test_minus_alias_before_the_address_removes_it(ok: Ok) -> None:
    ok("ifconfig em0 alias 10.0.2.16")
    ok("ifconfig em0 -alias 10.0.2.16")
    assert "10.0.2.16" not in ok("ifconfig em0")


def test_addresses_are_listed_in_the_order_added(ok: Ok) -> None:
    ok("ifconfig lo create name kleene0")
    ok("ifconfig kleene0 inet 10.2.3.2/32 alias")
    ok("ifconfig kleene0 inet 10.2.3.1/32 alias")
    lines = [line for line in ok("ifconfig kleene0").splitlines() if "inet " in line]
    assert lines == [
        "\tinet 10.2.3.2 netmask 0xffffffff",
        "\tinet 10.2.3.1 netmask 0xffffffff",
    ]


def test_inet_without_alias_replaces_the_first_ipv4_address(ok: Ok) -> None:
    ok("ifconfig em0 inet 10.0.3.15/24")
    output = ok("ifconfig em0")
    assert "10.0.2.15" not in output
    assert "\tinet 10.0.3.15 netmask 0xffffff00 broadcast 10.0.3.255\n" in output


def test_inet6_without_length_gets_prefixlen_64(ok: Ok) -> None:
    ok("ifconfig lo create name kleene0")
    ok("ifconfig kleene0 inet6 fdef::1 alias")
    assert "\tinet6 fdef::1 prefixlen 64\n" in ok("ifconfig kleene0")


def test_netmask_and_prefixlen_keywords_set_the_length(ok: Ok) -> None:
    ok("ifconfig lo create name kleene0")
    ok("ifconfig kleene0 inet 10.7.0.1 netmask 255.255.0.0 alias")
    ok("ifconfig kleene0 inet6 fdef::1 prefixlen 56 alias")
    output = ok("ifconfig kleene0")
    assert "\tinet 10.7.0.1 netmask 0xffff0000\n" in output
    assert "\tinet6 fdef::1 prefixlen 56\n" in output


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        ("ifconfig em0 inet 10.0.2.300/24 alias", "10.0.2.300/24"),
        ("ifconfig em0 inet fdef::1 alias", "fdef::1"),
        ("ifconfig em0 inet6 10.0.0.1 alias", "10.0.0.1"),
        ("ifconfig em0 inet 10.0.0.1/33 alias", "10.0.0.1/33"),
    ],
)
def test_malformed_address_is_a_bad_value(run: Run, command: str, shown: str) -> None:
    result = run(command)
    assert (result.status, result.output) == (1, f"ifconfig: {shown}: bad value\n")


def test_adding_an_address_to_a_down_interface_brings_it_up(ok: Ok) -> None:
    ok("ifconfig epair create")
    ok("ifconfig epair0b inet 10.4.6.2/24")
    assert ok("ifconfig epair0b").startswith(
        "epair0b: flags=8863<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST>"
    )


def test_loopback_brought_up_by_an_address_gets_link_local_after_it(ok: Ok) -> None:
    ok("ifconfig lo create name kleene0")
    ok("ifconfig kleene0 inet 10.2.3.1/32 alias")
    lines = ok("ifconfig kleene0").splitlines()
    assert lines[2:4] == [
        "\tinet 10.2.3.1 netmask 0xffffffff",
        "\tinet6 fe80::1%kleene0 prefixlen 64 scopeid 0x5",
    ]


def test_epair_end_gets_eui64_link_local_after_its_first_ipv6_address(
    ok: Ok,
) -> None:
    ok("ifconfig epair create")
    ok("ifconfig epair0b ether 02:4d:3b:cb:a0:0b")
    ok("ifconfig epair0b inet6 fdef:1234:5678::2/48")
    output = ok("ifconfig epair0b")
    assert (
        "\tinet6 fdef:1234:5678::2 prefixlen 48\n"
        "\tinet6 fe80::4d:3bff:fecb:a00b%epair0b prefixlen 64 scopeid 0x6\n"
    ) in output
    assert output.endswith("\tnd6 options=21<PERFORMNUD,AUTO_LINKLOCAL>\n")


def test_epair_end_with_ipv4_only_keeps_ifdisabled(ok: Ok) -> None:
    ok("ifconfig epair create")
    ok("ifconfig epair0b inet 10.4.6.2/24")
    output = ok("ifconfig epair0b")
    assert "fe80" not in output
    assert output.endswith("\tnd6 options=29<PERFORMNUD,IFDISABLED,AUTO_LINKLOCAL>\n")


def test_ipv6_on_a_bridge_clears_ifdisabled_without_link_local(ok: Ok) -> None:
    ok("ifconfig bridge create name kleene0")
    ok("ifconfig kleene0 inet6 fdef:1234:5678::1/48 alias")
    output = ok("ifconfig kleene0")
    assert "fe80" not in output
    assert output.endswith("\tnd6 options=1<PERFORMNUD>\n")


def test_address_brings_its_routes_and_removal_takes_them(ok: Ok) -> None:
    fresh = ok("netstat -rn")
    ok("ifconfig bridge create name kleene0")
    ok("ifconfig kleene0 inet 172.19.1.1/24 alias")
    routes = ok("netstat -rn")
    assert "172.19.1.0/24      link#5             U       kleene0\n" in routes
    assert "172.19.1.1         link#5             UHS         lo0\n" in routes

    ok("ifconfig kleene0 inet 172.19.1.1 -alias")
    assert ok("netstat -rn") == fresh
