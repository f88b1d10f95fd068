"""ping(8) and ping6(8): FreeBSD's output, statistics, exit codes."""

from __future__ import annotations

import re

import pytest

from tests.sim.simhost import Ok, Run, ipnet_jail

TIME = r"\d+\.\d{3}"


def test_three_replies_and_statistics(ok: Ok) -> None:
    output = ok("ping -c 3 10.0.2.15")
    lines = output.splitlines()
    assert lines[0] == "PING 10.0.2.15 (10.0.2.15): 56 data bytes"
    for seq, line in enumerate(lines[1:4]):
        assert re.fullmatch(
            rf"64 bytes from 10\.0\.2\.15: icmp_seq={seq} ttl=64 time={TIME} ms", line
        )
    assert lines[4:7] == [
        "",
        "--- 10.0.2.15 ping statistics ---",
        "3 packets transmitted, 3 packets received, 0.0% packet loss",
    ]
    assert re.fullmatch(
        rf"round-trip min/avg/max/stddev = {TIME}/{TIME}/{TIME}/{TIME} ms", lines[7]
    )


def test_statistics_are_those_of_the_times_shown(ok: Ok) -> None:
    output = ok("ping -c 3 10.0.2.2")
    times = [float(t) for t in re.findall(r"time=(\S+) ms", output)]
    shown = re.search(r"= (\S+) ms", output)
    assert shown is not None
    low, average, high, deviation = (float(v) for v in shown.group(1).split("/"))
    mean = sum(times) / 3
    assert (low, high) == (min(times), max(times))
    assert average == pytest.approx(mean, abs=0.0011)
    variance = sum(t * t for t in times) / 3 - mean * mean
    assert deviation == pytest.approx(variance**0.5, abs=0.0011)


def test_times_are_drawn_by_distance(ok: Ok) -> None:
    def times(target: str) -> list[float]:
        return [
            float(t) for t in re.findall(r"time=(\S+) ms", ok(f"ping -c 4 {target}"))
        ]

    assert all(0.040 <= t <= 0.700 for t in times("127.0.0.1"))
    assert all(0.200 <= t <= 0.900 for t in times("10.0.2.3"))
    assert all(10.0 <= t <= 20.0 for t in times("1.1.1.1"))


def test_the_internet_is_one_hop_away(ok: Ok) -> None:
    assert "ttl=63" in ok("ping -c 1 1.1.1.1")
    assert "ttl=64" in ok("ping -c 1 10.0.2.2")


def test_a_name_is_resolved_first(ok: Ok, run: Run) -> None:
    assert ok("ping -c 1 freebsd.org").startswith(
        "PING freebsd.org (96.47.72.84): 56 data bytes\n"
    )
    result = run("ping -c 1 nosuch.example")
    assert (result.status, result.output) == (
        68,
        "ping: cannot resolve nosuch.example: Unknown host\n",
    )


def test_no_reply_exits_2_without_round_trip(run: Run) -> None:
    result = run("ping -c 2 10.0.2.77")
    assert result.status == 2
    assert result.output.splitlines()[-1] == (
        "2 packets transmitted, 0 packets received, 100.0% packet loss"
    )


def test_size_interval_and_timeout(ok: Ok, run: Run) -> None:
    output = ok("ping -c 2 -s 100 -i 0.5 10.0.2.2")
    assert output.startswith("PING 10.0.2.2 (10.0.2.2): 100 data bytes\n108 bytes from")
    assert ok("date") == "Mon Jan  1 00:00:00 UTC 2024\n"
    result = run("ping -c 5 -t 2 10.0.2.77")
    assert result.output.splitlines()[-1] == (
        "2 packets transmitted, 0 packets received, 100.0% packet loss"
    )
    assert ok("date") == "Mon Jan  1 00:00:02 UTC 2024\n"


def test_raw_sockets_need_permission_in_ipnet_and_host_jails(ok: Ok, run: Run) -> None:
    ok("ifconfig lo create name kleene0")
    ipnet_jail(ok, "c1", "kleene0", "10.2.3.1", raw=False)
    result = run("jexec c1 ping -c 1 10.2.3.1")
    assert (result.status, result.output) == (
        71,
        "ping: ssend socket: Operation not permitted\n",
    )
    ok("jail -c name=h path=/ ip4=inherit ip6=inherit persist")
    assert run("jexec h ping -c 1 1.1.1.1").status == 71
    ok("jail -c name=hr path=/ ip4=inherit ip6=inherit allow.raw_sockets persist")
    assert "ttl=63" in ok("jexec hr ping -c 1 1.1.1.1")


def test_usage(run: Run) -> None:
    assert run("ping -x 1.1.1.1").output == (
        "usage: ping [-c count] [-i wait] [-s packetsize] [-t timeout] host\n"
    )


def test_ping6_formats(ok: Ok) -> None:
    output = ok("ping6 -c 2 ::1")
    lines = output.splitlines()
    assert lines[0] == "PING6(56=40+8+8 bytes) ::1 --> ::1"
    assert re.fullmatch(
        rf"16 bytes from ::1, icmp_seq=0 hlim=64 time={TIME} ms", lines[1]
    )
    assert lines[3:6] == [
        "",
        "--- ::1 ping6 statistics ---",
        "2 packets transmitted, 2 packets received, 0.0% packet loss",
    ]
    assert lines[6].startswith("round-trip min/avg/max/std-dev = ")


def test_there_is_no_ipv6_outside(run: Run) -> None:
    result = run("ping6 -c 1 2610:1c1:1:606c::50:15")
    assert (result.status, result.output) == (
        1,
        "ping6: UDP connect: No route to host\n",
    )


def test_same_seed_same_times(tmp_path_factory: pytest.TempPathFactory) -> None:
    from kleene.backends.sim import SimulatedHost

    outputs = []
    for name in ("one", "two"):
        host = SimulatedHost(tmp_path_factory.mktemp(name))
        outputs.append(host.run(["ping", "-c", "3", "1.1.1.1"]).output)
    assert outputs[0] == outputs[1]
