"""Small programs on the simulated host: cat, echo, true, false, date, hostname."""

from __future__ import annotations

import pytest

from kleene.backends.sim import SimulatedHost
from kleene.errors import CommandNotFound
from tests.sim.simhost import Ok, Run


def test_cat_prints_resolv_conf(ok: Ok) -> None:
    assert ok("/bin/cat /etc/resolv.conf") == "nameserver 10.0.2.3\n"


def test_cat_of_a_missing_file(run: Run) -> None:
    result = run("cat /etc/pf.conf")
    assert (result.status, result.output) == (
        1,
        "cat: /etc/pf.conf: No such file or directory\n",
    )


def test_cat_without_a_file_copies_stdin(ok: Ok) -> None:
    assert ok("cat", stdin="hello\n") == "hello\n"


def test_echo(ok: Ok) -> None:
    assert ok("echo testing one") == "testing one\n"
    assert ok("echo -n testing") == "testing"


def test_true_and_false(run: Run) -> None:
    assert run("/usr/bin/true").status == 0
    assert run("false").status == 1


def test_date_is_the_virtual_clock(ok: Ok) -> None:
    assert ok("date") == "Mon Jan  1 00:00:00 UTC 2024\n"


def test_hostname(ok: Ok) -> None:
    assert ok("hostname") == "freebsd\n"


def test_unknown_program_raises_command_not_found(host: SimulatedHost) -> None:
    with pytest.raises(CommandNotFound) as raised:
        host.run(["/usr/local/bin/frobnicate", "-x"])
    assert raised.value.name == "frobnicate"
    assert str(raised.value) == "command not found: frobnicate"
