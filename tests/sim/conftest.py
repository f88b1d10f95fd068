"""Fixtures for the simulated host's tests: a fresh host and command runners.

``run("ifconfig lo create")`` splits a command line as a shell would and
runs it on the fixture's host; ``ok(...)`` also asserts exit 0 and returns
the output.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from kleene.backends.base import CommandResult
from kleene.backends.sim import SimulatedHost
from tests.sim.simhost import Ok, Run


@pytest.fixture
def host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SimulatedHost:
    monkeypatch.delenv("KLEENE_SIM_FAIL_AT", raising=False)
    return SimulatedHost(tmp_path)


@pytest.fixture
def run(host: SimulatedHost) -> Run:
    def run_command(command: str, stdin: str | None = None) -> CommandResult:
        return host.run(shlex.split(command), stdin)

    return run_command


@pytest.fixture
def ok(run: Run) -> Ok:
    def run_ok(command: str, stdin: str | None = None) -> str:
        result = run(command, stdin)
        assert result.status == 0, result.output
        return result.output

    return run_ok
