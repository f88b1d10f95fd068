"""SimulatedHost: the Host protocol, persistence, determinism, fault injection."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kleene.backends.base import Host
from kleene.backends.sim import SimulatedHost, reset_world
from kleene.errors import StateError, ValidationError


def test_satisfies_the_host_protocol(host: SimulatedHost) -> None:
    as_host: Host = host
    assert as_host.name == "sim"
    assert host.is_root()


def test_clock_starts_at_2024_and_stays_put(host: SimulatedHost) -> None:
    assert host.now() == datetime(2024, 1, 1, tzinfo=UTC)
    host.run(["ifconfig", "epair", "create"])
    assert host.now() == datetime(2024, 1, 1, tzinfo=UTC)


def test_random_bytes_replay_in_a_fresh_world_with_the_same_seed(
    tmp_path: Path,
) -> None:
    one, two = SimulatedHost(tmp_path / "1"), SimulatedHost(tmp_path / "2")
    first = [one.random_bytes(6), one.random_bytes(40)]
    assert [two.random_bytes(6), two.random_bytes(40)] == first
    assert len(first[1]) == 40
    assert first[0] != one.random_bytes(6)


def test_random_bytes_depend_on_the_seed(tmp_path: Path) -> None:
    zero = SimulatedHost(tmp_path / "0", seed=0).random_bytes(16)
    assert SimulatedHost(tmp_path / "1", seed=1).random_bytes(16) != zero


def test_random_bytes_do_not_shift_interface_macs(tmp_path: Path) -> None:
    quiet, drawing = SimulatedHost(tmp_path / "q"), SimulatedHost(tmp_path / "d")
    drawing.random_bytes(12)
    for host in (quiet, drawing):
        host.run(["ifconfig", "epair", "create"])
    listing = ["ifconfig", "epair0a"]
    assert quiet.run(listing).output == drawing.run(listing).output


def test_files_are_written_read_and_removed(host: SimulatedHost) -> None:
    assert host.read_file("/etc/pf.conf") is None
    host.write_file("/etc/pf.conf", "pass all\n")
    assert host.read_file("/etc/pf.conf") == "pass all\n"
    assert host.run(["cat", "/etc/pf.conf"]).output == "pass all\n"
    host.remove_file("/etc/pf.conf")
    host.remove_file("/etc/pf.conf")
    assert host.read_file("/etc/pf.conf") is None


def test_world_is_created_lazily_in_the_state_dir(tmp_path: Path) -> None:
    host = SimulatedHost(tmp_path)
    assert not (tmp_path / "sim").exists()
    host.run(["true"])
    data = json.loads((tmp_path / "sim" / "world.json").read_text())
    assert data["version"] == 1
    assert (tmp_path / "sim" / "world.lock").exists()


def test_two_hosts_on_one_state_dir_see_one_machine(tmp_path: Path) -> None:
    first, second = SimulatedHost(tmp_path), SimulatedHost(tmp_path)
    first.run(["ifconfig", "lo", "create", "name", "kleene0"])
    assert second.run(["ifconfig", "kleene0"]).status == 0

    second.run(["ifconfig", "kleene0", "destroy"])
    assert first.run(["ifconfig", "kleene0"]).status == 1


def test_saving_leaves_only_the_world_and_its_lock(tmp_path: Path) -> None:
    host = SimulatedHost(tmp_path)
    for _ in range(3):
        host.run(["ifconfig", "lo", "create"])
    names = sorted(path.name for path in (tmp_path / "sim").iterdir())
    assert names == ["world.json", "world.lock"]


def test_read_only_commands_leave_the_file_alone(tmp_path: Path) -> None:
    host = SimulatedHost(tmp_path)
    host.run(["true"])
    before = (tmp_path / "sim" / "world.json").stat().st_mtime_ns
    host.run(["ifconfig"])
    host.run(["netstat", "-rn"])
    assert (tmp_path / "sim" / "world.json").stat().st_mtime_ns == before


def test_changes_bump_the_generation(tmp_path: Path) -> None:
    host = SimulatedHost(tmp_path)
    host.run(["true"])
    path = tmp_path / "sim" / "world.json"
    generation = json.loads(path.read_text())["generation"]
    host.run(["ifconfig", "lo", "create"])
    assert json.loads(path.read_text())["generation"] == generation + 1


def test_seed_and_profile_apply_only_to_a_fresh_world(tmp_path: Path) -> None:
    SimulatedHost(tmp_path, profile="default").run(["true"])
    two_nic = SimulatedHost(tmp_path, profile="two-nic")
    assert two_nic.run(["ifconfig", "em1"]).status == 1


def test_reset_replaces_the_world(tmp_path: Path) -> None:
    host = SimulatedHost(tmp_path)
    host.run(["ifconfig", "lo", "create", "name", "kleene0"])
    SimulatedHost.reset(tmp_path, profile="two-nic")
    assert host.run(["ifconfig", "kleene0"]).status == 1
    assert host.run(["ifconfig", "em1"]).status == 0
    reset_world(tmp_path)
    assert host.run(["ifconfig", "em1"]).status == 1


def test_unsupported_version_is_a_state_error(tmp_path: Path) -> None:
    (tmp_path / "sim").mkdir()
    path = tmp_path / "sim" / "world.json"
    path.write_text(json.dumps({"version": 2}))
    with pytest.raises(StateError) as raised:
        SimulatedHost(tmp_path).run(["true"])
    assert str(raised.value) == (
        f"simulated host state {path} has unsupported version 2; run 'klee sim reset'"
    )


def test_unknown_profile_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as raised:
        SimulatedHost(tmp_path, profile="three-nic")
    assert str(raised.value) == (
        "unknown simulated host profile 'three-nic': use 'default' or 'two-nic'"
    )


def test_injected_failure_hits_the_nth_run_without_side_effects(
    host: SimulatedHost,
) -> None:
    host.fail_at(2)
    assert host.run(["ifconfig", "lo", "create"]).output == "lo1\n"

    failed = host.run(["ifconfig", "lo", "create", "name", "kleene0"])

    assert (failed.status, failed.output) == (
        1,
        "sim: injected failure: ifconfig lo create name kleene0\n",
    )
    assert host.run(["ifconfig", "kleene0"]).status == 1
    assert host.run(["ifconfig", "lo", "create"]).output == "lo2\n"


def test_injected_failure_can_be_cancelled(host: SimulatedHost) -> None:
    host.fail_at(1)
    host.fail_at(None)
    assert host.run(["true"]).status == 0


def test_environment_injects_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KLEENE_SIM_FAIL_AT", "2")
    host = SimulatedHost(tmp_path)
    assert host.run(["true"]).status == 0
    assert host.run(["true"]).output == "sim: injected failure: true\n"
    assert host.run(["true"]).status == 0


_CHILD = """
import sys
from pathlib import Path
from kleene.backends.sim import SimulatedHost
host = SimulatedHost(Path(sys.argv[1]))
for argv in sys.argv[2:]:
    result = host.run(argv.split())
    print(result.status, result.output, end="")
"""


def _child(state_dir: Path, *commands: str, fail_at: str = "") -> str:
    env = {**os.environ, "KLEENE_SIM_FAIL_AT": fail_at}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(state_dir), *commands],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_separate_processes_share_the_world(tmp_path: Path) -> None:
    assert _child(tmp_path, "ifconfig lo create name kleene0") == "0 kleene0\n"
    host = SimulatedHost(tmp_path)
    assert host.run(["ifconfig", "kleene0"]).status == 0
    host.run(["ifconfig", "kleene0", "destroy"])
    assert _child(tmp_path, "ifconfig kleene0").startswith("1 ifconfig: interface")


def test_environment_failure_reaches_a_separate_process(tmp_path: Path) -> None:
    output = _child(tmp_path, "true", "ifconfig lo create", fail_at="2")
    assert output == "0 1 sim: injected failure: ifconfig lo create\n"
