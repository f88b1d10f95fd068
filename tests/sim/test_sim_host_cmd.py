"""host(1) and the outside world's resolvers."""

from __future__ import annotations

from tests.sim.simhost import Ok, Run

FREEBSD = [
    "freebsd.org has address 96.47.72.84",
    "freebsd.org has IPv6 address 2610:1c1:1:606c::50:15",
    "freebsd.org mail is handled by 10 mx1.freebsd.org.",
    "freebsd.org mail is handled by 30 mx66.freebsd.org.",
]


def test_every_type_without_a_server(ok: Ok) -> None:
    assert ok("host freebsd.org").splitlines() == FREEBSD


def test_one_type(ok: Ok) -> None:
    assert ok("host -t AAAA freebsd.org").splitlines() == FREEBSD[1:2]
    assert ok("host -t mx FreeBSD.org.").splitlines() == [
        "FreeBSD.org mail is handled by 10 mx1.freebsd.org.",
        "FreeBSD.org mail is handled by 30 mx66.freebsd.org.",
    ]


def test_with_a_server_the_header_comes_first(ok: Ok) -> None:
    assert ok("host -t A freebsd.org 1.1.1.1") == (
        "Using domain server:\n"
        "Name: 1.1.1.1\n"
        "Address: 1.1.1.1#53\n"
        "Aliases: \n"
        "\n"
        "freebsd.org has address 96.47.72.84\n"
    )


def test_nxdomain(run: Run) -> None:
    result = run("host example.com")
    assert (result.status, result.output) == (
        1,
        "Host example.com not found: 3(NXDOMAIN)\n",
    )


def test_timeout_after_all_tries(ok: Ok, run: Run) -> None:
    result = run("host -W 2 -R 2 freebsd.org 192.168.9.9")
    assert (result.status, result.output) == (
        1,
        ";; connection timed out; no servers could be reached\n",
    )
    assert ok("date") == "Mon Jan  1 00:00:06 UTC 2024\n"


def test_default_timeout_is_two_tries_of_five_seconds(ok: Ok, run: Run) -> None:
    run("host freebsd.org 192.168.9.9")
    assert ok("date") == "Mon Jan  1 00:00:10 UTC 2024\n"


def test_a_query_that_cannot_be_sent(ok: Ok, run: Run) -> None:
    ok("jail -c name=v path=/ vnet persist")
    result = run("jexec v host freebsd.org")
    assert (result.status, result.output) == (
        1,
        ";; connection timed out; no servers could be reached\n",
    )


def test_usage(run: Run) -> None:
    assert run("host -t TXT freebsd.org").status == 64
