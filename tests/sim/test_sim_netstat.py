"""netstat on the simulated host: -rn text and JSON, -I and -i JSON."""

from __future__ import annotations

import json

import pytest

from tests.sim.simhost import Ok, Run

FRESH_ROUTES = """\
Routing tables

Internet:
Destination        Gateway            Flags     Netif Expire
default            10.0.2.2           UGS         em0
10.0.2.0/24        link#1             U           em0
10.0.2.15          link#1             UHS         lo0
127.0.0.1          link#3             UH          lo0

Internet6:
Destination                       Gateway                       Flags     Netif Expire
::1                               link#3                        UHS         lo0
fe80::%lo0/64                     link#3                        U           lo0
fe80::1%lo0                       link#3                        UHS         lo0
"""


def test_fresh_host_routes_in_freebsd_13_layout(ok: Ok) -> None:
    assert ok("/usr/bin/netstat -rn") == FRESH_ROUTES


@pytest.mark.parametrize(
    "command",
    [
        "netstat --libxo json -rn",
        "netstat -rn --libxo json",
        "netstat --libxo=json -r -n",
    ],
)
def test_fresh_host_routes_as_json(ok: Ok, command: str) -> None:
    document = json.loads(ok(command))
    families = document["statistics"]["route-information"]["route-table"]["rt-family"]
    assert [family["address-family"] for family in families] == [
        "Internet",
        "Internet6",
    ]
    first = families[0]["rt-entry"][0]
    assert first == {
        "destination": "default",
        "gateway": "10.0.2.2",
        "flags": "UGS",
        "flags_pretty": ["up", "gateway", "static"],
        "interface-name": "em0",
    }
    destinations = [entry["destination"] for entry in families[1]["rt-entry"]]
    assert destinations == ["::1", "fe80::%lo0/64", "fe80::1%lo0"]


def test_long_destination_narrows_the_gateway_column(ok: Ok) -> None:
    ok("ifconfig bridge create name kleene0")
    ok("ifconfig kleene0 inet6 fdef:1234:5678:9abc:def0:1234:5678:9abc/64 alias")
    rows = ok("netstat -rn").splitlines()
    host_route = next(row for row in rows if row.startswith("fdef:1234:5678:9abc:d"))
    # 39 characters of destination protrude 6 into the 29-wide gateway column.
    assert host_route == (
        "fdef:1234:5678:9abc:def0:1234:5678:9abc link#5" + " " * 18 + "UHS         lo0"
    )


def test_routes_without_ipv6_omit_the_internet6_table(ok: Ok) -> None:
    ok("ifconfig lo0 inet6 ::1 -alias")
    ok("ifconfig lo0 inet6 fe80::1 -alias")
    assert "Internet6" not in ok("netstat -rn")


def test_addresses_of_one_interface_as_json(ok: Ok) -> None:
    ok("ifconfig bridge create name kleene0")
    ok("ifconfig kleene0 up")
    ok("ifconfig kleene0 inet 172.19.1.1/24 alias")
    ok("ifconfig kleene0 inet6 fdef:1234:5678::1/48 alias")
    mac = ok("ifconfig kleene0").split("ether ")[1][:17]

    rows = json.loads(ok("netstat --libxo json -I kleene0 -n"))["statistics"][
        "interface"
    ]

    assert rows[0] == {
        "name": "kleene0",
        "flags": "0x8843",
        "mtu": 1500,
        "network": "<Link#5>",
        "address": mac,
        "received-packets": 0,
        "received-errors": 0,
        "dropped-packets": 0,
        "sent-packets": 1,  # the gratuitous ARP for 172.19.1.1
        "send-errors": 0,
        "collisions": 0,
    }
    addresses = [(row["network"], row["address"]) for row in rows[1:]]
    assert addresses == [
        ("172.19.1.0/24", "172.19.1.1"),
        ("fdef:1234:5678::/48", "fdef:1234:5678::1"),
    ]


def test_loopback_alias_and_link_local_rows(ok: Ok) -> None:
    ok("ifconfig lo create name kleene0")
    ok("ifconfig kleene0 inet 172.19.1.1/32 alias")
    rows = json.loads(ok("netstat -I kleene0 -n --libxo json"))["statistics"][
        "interface"
    ]
    assert [(row["network"], row["address"]) for row in rows] == [
        ("<Link#5>", "kleene0"),
        ("172.19.1.1/32", "172.19.1.1"),
        ("fe80::%kleene0/64", "fe80::1%kleene0"),
    ]


def test_missing_interface_gives_an_empty_list(ok: Ok) -> None:
    document = json.loads(ok("netstat --libxo json -I kleene9 -n"))
    assert document["statistics"]["interface"] == []


def test_all_interfaces_as_json(ok: Ok) -> None:
    rows = json.loads(ok("netstat -i --libxo json"))["statistics"]["interface"]
    assert [row["name"] for row in rows] == [
        "em0", "em0", "lo0", "lo0", "lo0", "lo0", "pflog0",
    ]  # fmt: skip
    assert rows[0]["address"] == "08:00:27:b2:00:96"


@pytest.mark.parametrize(
    "command", ["netstat -r", "netstat -i", "netstat -x", "netstat --libxo xml -rn"]
)
def test_unsupported_forms_print_usage_and_exit_64(run: Run, command: str) -> None:
    result = run(command)
    assert result.status == 64
    assert result.output.startswith("usage: netstat ")
