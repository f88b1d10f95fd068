"""route on the simulated host: add, delete, get default, errors."""

from __future__ import annotations

from tests.sim.simhost import Ok, Run

GET_DEFAULT = """\
   route to: default
destination: default
       mask: default
    gateway: 10.0.2.2
        fib: 0
  interface: em0
      flags: <UP,GATEWAY,DONE,STATIC>
 recvpipe  sendpipe  ssthresh  rtt,msec    mtu        weight    expire
       0         0         0         0      1500         1         0 \n"""


def test_get_default_on_a_fresh_host(ok: Ok) -> None:
    assert ok("/sbin/route -n get default") == GET_DEFAULT


def test_add_default_when_one_exists_is_already_in_table(run: Run) -> None:
    result = run("route add -inet default 10.0.2.2")
    assert (result.status, result.output) == (
        1,
        "add net default: gateway 10.0.2.2 fib 0: route already in table\n",
    )


def test_gateway_off_every_connected_subnet_is_unreachable(run: Run) -> None:
    result = run("route add -inet default 10.4.6.1")
    assert (result.status, result.output) == (
        1,
        "route: writing to routing socket: Network is unreachable\n"
        "add net default: gateway 10.4.6.1 fib 0: Network is unreachable\n",
    )


def test_delete_then_add_default(ok: Ok, run: Run) -> None:
    assert ok("route delete default") == "delete net default\n"
    assert "default" not in ok("netstat -rn")
    assert run("route -n get default").output == "route: route has not been found\n"

    ok("ifconfig bridge create name kleene0")
    ok("ifconfig kleene0 inet 10.4.6.1/24 alias")
    assert (
        ok("route add -inet default 10.4.6.2") == "add net default: gateway 10.4.6.2\n"
    )
    assert "default            10.4.6.2           UGS     kleene0\n" in ok(
        "netstat -rn"
    )


def test_delete_of_a_missing_default_is_not_in_table(ok: Ok, run: Run) -> None:
    ok("route delete default")
    result = run("route delete default")
    assert (result.status, result.output) == (
        1,
        "route: route has not been found\ndelete net default fib 0: not in table\n",
    )


def test_inet6_default_via_a_connected_gateway(ok: Ok) -> None:
    ok("ifconfig bridge create name kleene0")
    ok("ifconfig kleene0 inet6 fdef:1234:5678::1/48 alias")
    assert ok("route add -inet6 default fdef:1234:5678::2") == (
        "add net default: gateway fdef:1234:5678::2\n"
    )
    row = "default" + " " * 27 + "fdef:1234:5678::2" + " " * 13 + "UGS     kleene0\n"
    assert row in ok("netstat -rn")


def test_add_net_prints_the_destination_as_typed(ok: Ok) -> None:
    assert ok("route add -net 10.5.0.0/16 10.0.2.2") == (
        "add net 10.5.0.0/16: gateway 10.0.2.2\n"
    )
    assert "10.5.0.0/16        10.0.2.2           UGS         em0\n" in ok(
        "netstat -rn"
    )


def test_route_goes_when_its_gateway_is_no_longer_connected(ok: Ok) -> None:
    ok("ifconfig em0 inet 10.0.2.15 -alias")
    assert "default" not in ok("netstat -rn")


def test_ipv6_gateway_without_inet6_is_a_bad_address(run: Run) -> None:
    result = run("route add default fdef::1")
    assert (result.status, result.output) == (68, "route: bad address: fdef::1\n")


def test_unsupported_command_prints_usage(run: Run) -> None:
    result = run("route flush")
    assert result.status == 64
    assert result.output == "usage: route [-46dnqtv] command [[modifiers] args]\n"
