"""Same seed, same commands, same output (SPEC §10.13 item 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.klee_runner import run_klee

WALKTHROUGH = [
    ["sim", "reset"],
    ["network", "create", "--subnet", "10.2.3.0/24", "testnet"],
    ["run", "-l", "ipnet", "-n", "testnet", "FreeBSD", "ifconfig"],
    ["run", "-l", "ipnet", "-n", "testnet", "FreeBSD", "host", "freebsd.org"],
    ["network", "create", "-t", "bridge", "--subnet", "10.4.6.0/24", "testvnet"],
    ["run", "-l", "vnet", "-n", "testvnet", "FreeBSD", "ifconfig"],
    ["lsc", "-a"],
    ["network", "inspect", "testnet"],
    ["host", "ifconfig"],
]


def transcript(state: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("KLEENE_BACKEND", "sim")
    monkeypatch.setenv("KLEENE_STATE_DIR", str(state))
    monkeypatch.setenv("KLEENE_CONFIG", str(state.parent / f"{state.name}.toml"))
    (state.parent / f"{state.name}.toml").write_text(
        f'pf_template_path = "{state.parent / "absent"}"\n'
    )
    outputs = []
    for args in WALKTHROUGH:
        outcome = run_klee(args)
        assert outcome.status == 0, outcome.describe()
        outputs.append(outcome.stdout)
    return "".join(outputs)


def test_two_fresh_worlds_give_byte_identical_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = transcript(tmp_path / "one", monkeypatch)
    second = transcript(tmp_path / "two", monkeypatch)
    assert first == second
