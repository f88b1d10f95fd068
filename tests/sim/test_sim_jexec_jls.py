"""jexec(8) and jls(8) on the simulated host."""

from __future__ import annotations

import json

from tests.sim.simhost import Ok, Run


def test_jexec_runs_in_the_jail_with_a_login_environment(ok: Ok) -> None:
    ok("jail -c name=c1 path=/zroot/c1 host.hostname=web persist")
    assert ok("jexec c1 hostname") == "web\n"
    assert ok("jexec 1 hostname") == "web\n"
    assert ok("jexec -l -U root c1 /usr/bin/env VAR=value env").splitlines() == [
        "HOME=/root",
        "PATH=/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin:/root/bin",
        "SHELL=/bin/csh",
        "USER=root",
        "VAR=value",
    ]


def test_jexec_status_is_the_commands_own(ok: Ok, run: Run) -> None:
    ok("jail -c name=c1 path=/ persist")
    result = run("jexec -l -U root c1 /usr/bin/env nosuch")
    assert (result.status, result.output) == (
        127,
        "env: nosuch: No such file or directory\n",
    )
    assert run("jexec c1 false").status == 1


def test_jexec_errors(ok: Ok, run: Run) -> None:
    assert run("jexec nosuch true").output == 'jexec: jail "nosuch" not found\n'
    ok("jail -c name=c1 path=/ persist")
    result = run("jexec c1 nosuch")
    assert (result.status, result.output) == (
        1,
        "jexec: execvp: nosuch: No such file or directory\n",
    )
    assert run("jexec c1").status == 64


def test_jls_text_columns(ok: Ok) -> None:
    ok(
        "jail -c name=d824d5fb64bc path=/zroot/kleene/container/d824d5fb64bc "
        "ip4.addr=10.23.45.1 ip6.addr=fdef::1 persist"
    )
    assert ok("jls") == (
        "   JID  IP Address      Hostname                      Path\n"
        "     1  10.23.45.1      d824d5fb64bc                  "
        "/zroot/kleene/container/d824d5fb64bc\n"
    )


def test_jls_verbose_text(ok: Ok) -> None:
    addresses = "ip4.addr=10.0.0.1 ip6.addr=fdef::1"
    ok(f"jail -c name=c1 path=/j host.hostname=h {addresses} persist")
    assert ok("jls -v") == (
        "   JID  Hostname                      Path\n"
        "        Name                          State\n"
        "        CPUSetID\n"
        "        IP Address(es)\n"
        "     1  h                             /j\n"
        "        c1                            ACTIVE\n"
        "        3\n"
        "        10.0.0.1\n"
        "        fdef::1\n"
    )


def test_jls_json_shapes(ok: Ok) -> None:
    ok(
        "jail -c name=a1b2c3d4e5f6 path=/zroot/kleene/container/a1b2c3d4e5f6 "
        "ip4.addr=172.19.1.2 ip6.addr=fdef:1234:5678::2 persist"
    )
    verbose = json.loads(ok("jls --libxo json -v -j a1b2c3d4e5f6"))
    assert verbose == {
        "__version": "2",
        "jail-information": {
            "jail": [
                {
                    "jid": 1,
                    "name": "a1b2c3d4e5f6",
                    "hostname": "a1b2c3d4e5f6",
                    "path": "/zroot/kleene/container/a1b2c3d4e5f6",
                    "state": "ACTIVE",
                    "ipv4_addrs": ["172.19.1.2"],
                    "ipv6_addrs": ["fdef:1234:5678::2"],
                }
            ]
        },
    }
    short = json.loads(ok("jls --libxo json"))["jail-information"]["jail"][0]
    assert short["ipv4"] == "172.19.1.2"


def test_jls_of_an_unknown_jail_fails(run: Run) -> None:
    result = run("jls --libxo json -v -j nosuch")
    assert (result.status, result.output) == (1, 'jls: jail "nosuch" not found\n')


def test_jls_inside_a_jail_lists_nothing(ok: Ok) -> None:
    ok("jail -c name=c1 path=/ persist")
    assert ok("jexec c1 jls").count("\n") == 1
