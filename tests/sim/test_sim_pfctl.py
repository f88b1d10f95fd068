"""pfctl on the simulated host: enable, disable, load, check, info."""

from __future__ import annotations

import pytest

from kleene.backends.sim import SimulatedHost
from kleene.backends.sim.kernel import pf
from tests.sim.simhost import Ok, Run

SYNTAX_ERROR_LINE = "pfctl: Syntax error in config file: pf rules not loaded"
USAGE = "usage: pfctl [-den] [-f file] [-s info|rules|nat|states]\n"


def test_enable_then_enable_again(ok: Ok, run: Run) -> None:
    assert ok("/sbin/pfctl -e") == "pf enabled\n"
    again = run("pfctl -e")
    assert (again.status, again.output) == (1, "pfctl: pf already enabled\n")


def test_disable_when_disabled_fails(run: Run) -> None:
    result = run("pfctl -d")
    assert (result.status, result.output) == (1, "pfctl: pf not enabled\n")


def test_disable_after_enable(ok: Ok) -> None:
    ok("pfctl -e")
    assert ok("pfctl -d") == "pf disabled\n"


def test_info_on_a_fresh_host_is_disabled(ok: Ok) -> None:
    assert ok("pfctl -s info") == (
        "Status: Disabled                              Debug: Urgent\n\n"
    )


def test_info_after_enable_counts_from_the_virtual_clock(ok: Ok) -> None:
    ok("pfctl -e")
    assert ok("pfctl -s info") == (
        "Status: Enabled for 0 days 00:00:00           Debug: Urgent\n\n"
    )


def test_info_shows_days_hours_minutes_seconds(host: SimulatedHost) -> None:
    host.run(["pfctl", "-e"])
    with host.store.session() as world:
        world.clock_us += ((2 * 24 + 3) * 3600 + 4 * 60 + 5) * 1_000_000
    first = host.run(["pfctl", "-s", "info"]).output.splitlines()[0]
    assert first == "Status: Enabled for 2 days 03:04:05           Debug: Urgent"


def test_load_of_a_missing_file_fails(run: Run) -> None:
    result = run("pfctl -f /etc/pf.conf")
    assert result.status == 1
    assert result.output.endswith(
        "pfctl: Syntax error in config file: pf rules not loaded\n"
    )


def test_load_stores_the_ruleset(host: SimulatedHost, ok: Ok) -> None:
    host.write_file("/etc/pf.conf", "pass all\n")
    assert ok("pfctl -f /etc/pf.conf") == ""
    with host.store.session() as world:
        assert world.host.pf.ruleset == "pass all\n"


def test_check_from_stdin_changes_nothing(host: SimulatedHost, ok: Ok) -> None:
    assert ok("pfctl -n -f -", stdin="pass all\n") == ""
    with host.store.session() as world:
        assert world.host.pf.ruleset is None


def test_errors_of_the_check_are_printed_and_nothing_is_loaded(
    host: SimulatedHost, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def reject(text: str, source: str) -> list[str]:
        return [f"{source}:1: syntax error", SYNTAX_ERROR_LINE]

    monkeypatch.setattr(pf, "check_ruleset", reject)
    result = run("pfctl -f -", stdin="this is not pf\n")
    assert (result.status, result.output) == (
        1,
        "stdin:1: syntax error\n"
        "pfctl: Syntax error in config file: pf rules not loaded\n",
    )
    with host.store.session() as world:
        assert world.host.pf.ruleset is None


def test_check_ruleset_accepts_a_valid_ruleset() -> None:
    assert pf.check_ruleset("pass all\n", "stdin") == []


def test_check_ruleset_reports_the_line_of_a_syntax_error() -> None:
    assert pf.check_ruleset("pass all\nthis is not pf\n", "stdin") == [
        "stdin:2: syntax error",
        SYNTAX_ERROR_LINE,
    ]


@pytest.mark.parametrize("command", ["pfctl", "pfctl -s memory", "pfctl -x"])
def test_unsupported_forms_print_usage(run: Run, command: str) -> None:
    result = run(command)
    assert result.status == 64
    assert result.output == USAGE


def test_check_of_a_file_changes_nothing(host: SimulatedHost, ok: Ok) -> None:
    host.write_file("/etc/pf.conf", "pass all\n")
    assert ok("pfctl -n -f /etc/pf.conf") == ""
    with host.store.session() as world:
        assert world.host.pf.ruleset is None


def test_enable_and_load_in_one_call(host: SimulatedHost, ok: Ok) -> None:
    host.write_file("/etc/pf.conf", "pass all\n")
    assert ok("pfctl -e -f /etc/pf.conf") == "pf enabled\n"
    with host.store.session() as world:
        assert (world.host.pf.enabled, world.host.pf.ruleset) == (True, "pass all\n")
