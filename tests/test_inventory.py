"""Tests of the FreeBSD output parsers against the samples in fixtures/freebsd."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kleene.errors import HostError
from kleene.inventory import (
    InterfaceInfo,
    JailInfo,
    parse_devfs_mounts,
    parse_epair_create,
    parse_host_gateway,
    parse_ifconfig,
    parse_interface_addresses,
    parse_jls,
    parse_sysctl_value,
)

FIXTURES = Path(__file__).parent / "fixtures" / "freebsd"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# ifconfig


def test_parse_ifconfig_reads_the_reference_sample() -> None:
    interfaces = parse_ifconfig(fixture("ifconfig-a-plans.txt"))

    assert list(interfaces) == ["kleene1", "epair0a"]
    bridge = interfaces["kleene1"]
    assert bridge == InterfaceInfo(
        name="kleene1",
        flags=0x8843,
        flag_names=("UP", "BROADCAST", "RUNNING", "SIMPLEX", "MULTICAST"),
        description="kleene:3f2a9c0d1e7b",
        ipv4=(("10.13.37.1", 24),),
        members=("epair1a", "epair0a"),
        groups=("bridge",),
    )
    assert bridge.up
    assert bridge.owner == "3f2a9c0d1e7b"
    assert interfaces["epair0a"].owner == "5e0c7a9b21d4"
    assert "PROMISC" in interfaces["epair0a"].flag_names


def test_parse_ifconfig_does_not_take_member_continuation_lines_as_members() -> None:
    bridge = parse_ifconfig(fixture("ifconfig-a-plans.txt"))["kleene1"]

    assert "ifmaxaddr" not in bridge.members
    assert len(bridge.members) == 2


def test_parse_ifconfig_reads_the_simulated_default_host() -> None:
    interfaces = parse_ifconfig(fixture("ifconfig-sim-default.txt"))

    assert list(interfaces) == ["em0", "lo0", "pflog0"]
    assert interfaces["em0"].ipv4 == (("10.0.2.15", 24),)
    assert interfaces["em0"].groups == ()
    assert interfaces["em0"].description is None
    assert interfaces["em0"].owner is None
    assert interfaces["lo0"].ipv4 == (("127.0.0.1", 8),)
    assert interfaces["lo0"].ipv6 == (("::1", 128),)
    assert interfaces["pflog0"].flags == 0
    assert interfaces["pflog0"].flag_names == ()
    assert not interfaces["pflog0"].up


def test_parse_ifconfig_accepts_freebsd_14_lower_up_flags() -> None:
    interfaces = parse_ifconfig(fixture("ifconfig-a-freebsd14.txt"))

    em0 = interfaces["em0"]
    assert em0.flags == 0x1008843
    assert em0.flag_names[-1] == "LOWER_UP"
    assert em0.up
    assert not interfaces["epair7b"].up


def test_parse_ifconfig_reads_a_freebsd_14_bridge_with_ipv6() -> None:
    bridge = parse_ifconfig(fixture("ifconfig-a-freebsd14.txt"))["kleene0"]

    assert bridge.ipv4 == (("172.19.1.1", 24), ("172.19.1.5", 32))
    assert bridge.ipv6 == (("fdef:1234:5678::1", 48),)
    assert bridge.members == ("epair5a", "epair0a")
    assert bridge.owner == "3f2a9c0d1e7b"


def test_parse_ifconfig_skips_link_local_ipv6_addresses() -> None:
    interfaces = parse_ifconfig(fixture("ifconfig-a-freebsd14.txt"))

    assert interfaces["em0"].ipv6 == (("2001:db8:56::10", 64),)
    assert interfaces["lo0"].ipv6 == (("::1", 128),)


def test_parse_ifconfig_keeps_the_listed_order_of_a_freebsd_14_host() -> None:
    interfaces = parse_ifconfig(fixture("ifconfig-a-freebsd14.txt"))

    assert list(interfaces) == [
        "em0",
        "lo0",
        "pflog0",
        "lab0",
        "kleene0",
        "epair0a",
        "epair5a",
        "epair7b",
    ]


def test_owner_is_none_for_a_foreign_or_empty_description() -> None:
    interfaces = parse_ifconfig(fixture("ifconfig-a-freebsd14.txt"))

    assert interfaces["lab0"].description == "lab loopback, not kleene"
    assert interfaces["lab0"].owner is None
    assert interfaces["epair7b"].owner is None


def test_parse_ifconfig_reads_a_single_interface() -> None:
    text = (
        "kleene2: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 16384\n"
        "\tinet 172.19.2.1 netmask 0xffffffff\n"
        "\tinet6 fe80::1%kleene2 prefixlen 64 scopeid 0x8\n"
        "\tgroups: lo\n"
    )

    interfaces = parse_ifconfig(text)

    assert list(interfaces) == ["kleene2"]
    assert interfaces["kleene2"].ipv4 == (("172.19.2.1", 32),)
    assert interfaces["kleene2"].ipv6 == ()


def test_parse_ifconfig_of_empty_text_is_empty() -> None:
    assert parse_ifconfig("") == {}


def test_parse_ifconfig_ignores_an_unreadable_address_line() -> None:
    text = "em0: flags=8863<UP> metric 0 mtu 1500\n\tinet garbage netmask 0xff\n"

    assert parse_ifconfig(text)["em0"].ipv4 == ()


# netstat -rn


def test_parse_host_gateway_returns_the_default_route_interface() -> None:
    assert parse_host_gateway(fixture("netstat-rn.json")) == "em0"


def test_parse_host_gateway_in_a_disabled_jail_is_unknown() -> None:
    assert parse_host_gateway(fixture("netstat-rn-disabled-jail.json")) is None


def test_parse_host_gateway_without_a_default_route_is_unknown() -> None:
    data = json.loads(fixture("netstat-rn.json"))
    family = data["statistics"]["route-information"]["route-table"]["rt-family"][0]
    family["rt-entry"] = family["rt-entry"][1:]

    assert parse_host_gateway(json.dumps(data)) is None


def test_parse_host_gateway_with_two_internet_tables_is_unknown() -> None:
    data = json.loads(fixture("netstat-rn.json"))
    families = data["statistics"]["route-information"]["route-table"]["rt-family"]
    families.append(families[0])

    assert parse_host_gateway(json.dumps(data)) is None


def test_parse_host_gateway_takes_the_first_default_entry() -> None:
    data = json.loads(fixture("netstat-rn.json"))
    family = data["statistics"]["route-information"]["route-table"]["rt-family"][0]
    family["rt-entry"].append({"destination": "default", "interface-name": "em1"})

    assert parse_host_gateway(json.dumps(data)) == "em0"


def test_parse_host_gateway_without_a_route_table_is_unknown() -> None:
    assert parse_host_gateway('{"statistics": {}}') is None


def test_parse_host_gateway_of_malformed_json_names_the_command() -> None:
    with pytest.raises(HostError, match="netstat --libxo json -rn"):
        parse_host_gateway('{"statistics": ')


# netstat -I


def test_parse_interface_addresses_drops_link_rows() -> None:
    text = fixture("netstat-I-kleene0.json")

    assert parse_interface_addresses(text, 4) == ["172.19.1.1"]
    assert parse_interface_addresses(text, 6) == ["fdef:1234:5678::1"]


def test_parse_interface_addresses_reads_the_shapes_seen_in_jails() -> None:
    text = json.dumps(
        {
            "statistics": {
                "interface": [
                    {"address": "172.19.1.1", "network": "172.19.1.1/32"},
                    {"address": "172.19.2.2", "network": "172.19.2.0/24"},
                    {"network": "fe80::%epair0b/64"},
                    {"address": "fe80::1%epair0b", "network": "fe80::%epair0b/64"},
                    {"address": "FDEF:1234:5678:0::2", "network": "fdef::/16"},
                ]
            }
        }
    )

    assert parse_interface_addresses(text, 4) == ["172.19.1.1", "172.19.2.2"]
    assert parse_interface_addresses(text, 6) == ["fdef:1234:5678::2"]


def test_parse_interface_addresses_of_a_missing_interface_is_empty() -> None:
    assert parse_interface_addresses('{"statistics": {"interface": []}}', 4) == []


def test_parse_interface_addresses_rejects_an_unknown_family() -> None:
    with pytest.raises(ValueError, match="4 or 6"):
        parse_interface_addresses("{}", 5)


def test_parse_interface_addresses_of_malformed_json_names_the_command() -> None:
    with pytest.raises(HostError, match="netstat --libxo json -I"):
        parse_interface_addresses("not json", 4)


# jls


def test_parse_jls_reads_the_reference_sample() -> None:
    assert parse_jls(fixture("jls.json")) == [
        JailInfo(
            jid=7,
            name="a1b2c3d4e5f6",
            hostname="a1b2c3d4e5f6",
            path="/zroot/kleene/container/a1b2c3d4e5f6",
            ipv4=("172.19.1.2",),
            ipv6=("fdef:1234:5678::2",),
        )
    ]


def test_parse_jls_treats_missing_address_keys_as_empty() -> None:
    text = json.dumps(
        {"jail-information": {"jail": [{"jid": 3, "name": "c0ffee000001"}]}}
    )

    [jail] = parse_jls(text)

    assert jail.ipv4 == ()
    assert jail.ipv6 == ()
    assert jail.hostname == ""


def test_parse_jls_without_jails_is_empty() -> None:
    assert parse_jls('{"__version": "2", "jail-information": {"jail": []}}') == []


def test_parse_jls_of_malformed_json_names_the_command() -> None:
    with pytest.raises(HostError, match="jls --libxo json"):
        parse_jls("[1, 2")


def test_parse_jls_rejects_json_that_is_not_an_object() -> None:
    with pytest.raises(HostError, match="not an object"):
        parse_jls("[]")


# mount, epair, sysctl


def test_parse_devfs_mounts_returns_the_nodes() -> None:
    assert parse_devfs_mounts(fixture("mount-devfs.json")) == [
        "/zroot/kleene/container/a1b2c3d4e5f6/dev"
    ]


def test_parse_devfs_mounts_without_mounts_is_empty() -> None:
    assert parse_devfs_mounts('{"mount": {}}') == []


def test_parse_devfs_mounts_of_malformed_json_names_the_command() -> None:
    with pytest.raises(HostError, match="mount --libxo json -t devfs"):
        parse_devfs_mounts("")


@pytest.mark.parametrize(
    ("output", "pair"), [("epair0a\n", "epair0"), ("epair12a", "epair12")]
)
def test_parse_epair_create_returns_the_pair_name(output: str, pair: str) -> None:
    assert parse_epair_create(output) == pair


@pytest.mark.parametrize(
    "output", ["", "epair0b\n", "epaira", "bridge0\n", "x epair0a"]
)
def test_parse_epair_create_rejects_other_output(output: str) -> None:
    with pytest.raises(ValueError, match="epair<N>a"):
        parse_epair_create(output)


def test_parse_sysctl_value_trims_the_line() -> None:
    assert parse_sysctl_value("1\n") == "1"
