"""The exact FreeBSD command plans of network operations (plans §1, §4, §5, §12).

The engine runs against a recording host in front of a fresh simulated host,
so every argv is both recorded and accepted by the simulation.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kleene.backends.recording import RecordingHost
from kleene.backends.sim import SimulatedHost
from kleene.config import Config
from kleene.engine import networks
from kleene.engine.core import Engine
from kleene.errors import KleeneError
from kleene.model import NetworkType
from kleene.store import Store

PREREQUISITES = [
    ["/sbin/sysctl", "-n", "net.inet.ip.forwarding"],
    ["/sbin/sysctl", "net.inet.ip.forwarding=1"],
    ["/sbin/sysctl", "-n", "net.inet6.ip6.forwarding"],
    ["/sbin/sysctl", "net.inet6.ip6.forwarding=1"],
    ["/sbin/kldload", "-n", "pf"],
    ["/sbin/kldload", "-n", "pflog"],
    ["/sbin/kldload", "-n", "if_bridge"],
    ["/sbin/kldload", "-n", "if_epair"],
    ["/sbin/sysctl", "-n", "net.link.bridge.pfil_bridge"],
    ["/sbin/sysctl", "net.link.bridge.pfil_bridge=1"],
    ["/sbin/pfctl", "-e"],
]

# Reconciliation loads the (still empty) ruleset first on a fresh host.
FIRST_PF_LOAD = [
    ["/sbin/pfctl", "-n", "-f", "-"],
    ["/sbin/pfctl", "-f", "/etc/pf.conf"],
]


@pytest.fixture
def sim(tmp_path: Path) -> SimulatedHost:
    return SimulatedHost(tmp_path / "state")


@pytest.fixture
def recorder(sim: SimulatedHost) -> RecordingHost:
    return RecordingHost(sim)


@pytest.fixture
def engine(tmp_path: Path, recorder: RecordingHost) -> Iterator[Engine]:
    config = Config(
        backend="sim",
        state_dir=tmp_path / "state",
        pf_template_path=str(tmp_path / "no-template"),
    )
    store = Store(config.state_dir)
    yield Engine(config, recorder, store)
    store.close()


def changes(recorder: RecordingHost) -> list[list[str]]:
    """Return the recorded argv lists without the inventory reads."""
    reads = ("-a",), ("--libxo",)
    return [
        argv
        for argv in recorder.argvs()
        if not (argv[0] == "/sbin/ifconfig" and tuple(argv[1:2]) in reads)
        and argv[0] not in ("/usr/bin/netstat", "/usr/sbin/jls")
    ]


def test_first_change_ensures_the_prerequisites(
    engine: Engine, recorder: RecordingHost
) -> None:
    request = networks.network_request("n", NetworkType.CUSTOM, interface="em0")
    networks.create(engine, request)
    assert changes(recorder)[: len(PREREQUISITES)] == PREREQUISITES
    assert changes(recorder)[len(PREREQUISITES) :][:2] == FIRST_PF_LOAD


def test_second_invocation_finds_prerequisites_in_place(
    engine: Engine, recorder: RecordingHost, tmp_path: Path
) -> None:
    networks.create(engine, networks.network_request("a", NetworkType.LOOPBACK))
    recorder.commands.clear()
    second = Engine(engine.config, recorder, engine.store)
    networks.create(second, networks.network_request("b", NetworkType.LOOPBACK))
    assert ["/sbin/sysctl", "net.inet.ip.forwarding=1"] not in changes(recorder)
    assert ["/sbin/pfctl", "-e"] in changes(recorder)


def test_loopback_create_plan(engine: Engine, recorder: RecordingHost) -> None:
    request = networks.network_request("n", NetworkType.LOOPBACK, subnet="10.2.3.0/24")
    network = networks.create(engine, request)
    plan = changes(recorder)[len(PREREQUISITES) + len(FIRST_PF_LOAD) :]
    assert plan[:3] == [
        ["/sbin/ifconfig", "lo", "create", "name", "kleene0"],
        ["/sbin/ifconfig", "kleene0", "description", f"kleene:{network.id}"],
        ["/sbin/ifconfig", "kleene0", "up"],
    ]
    assert plan[3:] == [
        ["/sbin/pfctl", "-n", "-f", "-"],
        ["/sbin/pfctl", "-f", "/etc/pf.conf"],
    ]


def test_bridge_create_plan_adds_auto_gateways(
    engine: Engine, recorder: RecordingHost
) -> None:
    request = networks.network_request(
        "n",
        NetworkType.BRIDGE,
        subnet="172.19.1.0/24",
        subnet6="fdef:1234:5678::/48",
    )
    network = networks.create(engine, request)
    plan = changes(recorder)[len(PREREQUISITES) + len(FIRST_PF_LOAD) :]
    assert plan[:5] == [
        ["/sbin/ifconfig", "bridge", "create", "name", "kleene0"],
        ["/sbin/ifconfig", "kleene0", "description", f"kleene:{network.id}"],
        ["/sbin/ifconfig", "kleene0", "up"],
        ["/sbin/ifconfig", "kleene0", "inet", "172.19.1.1/24", "alias"],
        ["/sbin/ifconfig", "kleene0", "inet6", "fdef:1234:5678::1/48", "alias"],
    ]


@pytest.mark.parametrize(
    ("subnet", "subnet6"), [("10.0.0.7/32", ""), ("", "fd00::9/128")]
)
def test_single_address_bridge_gets_no_gateway(
    engine: Engine, recorder: RecordingHost, subnet: str, subnet6: str
) -> None:
    request = networks.network_request(
        "n", NetworkType.BRIDGE, subnet=subnet, subnet6=subnet6
    )
    networks.create(engine, request)
    assert not any("alias" in argv for argv in changes(recorder))


def test_custom_create_changes_no_interface(
    engine: Engine, recorder: RecordingHost
) -> None:
    networks.create(
        engine, networks.network_request("n", NetworkType.CUSTOM, interface="em0")
    )
    assert not any(argv[0] == "/sbin/ifconfig" for argv in changes(recorder))


def test_bridge_remove_plan_destroys_the_bridge(
    engine: Engine, recorder: RecordingHost
) -> None:
    networks.create(engine, networks.network_request("n", NetworkType.BRIDGE))
    recorder.commands.clear()
    networks.remove(engine, "n")
    assert changes(recorder)[-3:] == [
        ["/sbin/pfctl", "-n", "-f", "-"],
        ["/sbin/pfctl", "-f", "/etc/pf.conf"],
        ["/sbin/ifconfig", "kleene0", "destroy"],
    ]


def test_unchanged_ruleset_is_not_reloaded(
    engine: Engine, recorder: RecordingHost
) -> None:
    networks.create(engine, networks.network_request("n", NetworkType.LOOPBACK))
    recorder.commands.clear()
    with pytest.raises(KleeneError):
        networks.create(engine, networks.network_request("n", NetworkType.LOOPBACK))
    assert not any(argv[0] == "/sbin/pfctl" for argv in changes(recorder))


def count_commands(tmp_path: Path, request: networks.NetworkRequest) -> int:
    """Count the host commands a create runs on a fresh host."""
    sim = SimulatedHost(tmp_path / "count")
    recorder = RecordingHost(sim)
    config = Config(backend="sim", state_dir=tmp_path / "count")
    store = Store(config.state_dir)
    networks.create(Engine(config, recorder, store), request)
    store.close()
    return len(recorder.commands)


@pytest.mark.parametrize("kind", [NetworkType.LOOPBACK, NetworkType.BRIDGE])
def test_failure_at_any_step_leaves_nothing_behind(
    tmp_path: Path, kind: NetworkType
) -> None:
    request = networks.network_request(
        "n", kind, subnet="10.9.0.0/24", subnet6="fd00:9::/64"
    )
    total = count_commands(tmp_path, request)
    for step in range(1, total + 1):
        state = tmp_path / f"fail{step}"
        sim = SimulatedHost(state)
        config = Config(backend="sim", state_dir=state)
        store = Store(state)
        sim.fail_at(step)
        with pytest.raises(KleeneError) as caught:
            networks.create(Engine(config, sim, store), request)
        assert str(caught.value)
        assert store.networks() == [], f"step {step} left a network row"
        assert store.conn.execute("SELECT COUNT(*) FROM object_ids").fetchone()[0] == 0
        listing = sim.run(["/sbin/ifconfig", "-a"]).output
        assert "kleene0" not in listing, f"step {step} left kleene0 behind"
        assert "kleene0" not in (sim.read_file("/etc/pf.conf") or "")
        store.close()


def test_dry_run_records_changes_without_making_them(
    tmp_path: Path, sim: SimulatedHost
) -> None:
    recorder = RecordingHost(sim, dry_run=True)
    config = Config(backend="sim", state_dir=tmp_path / "state")
    store = Store(config.state_dir)
    request = networks.network_request("n", NetworkType.BRIDGE, subnet="10.4.6.0/24")
    networks.create(Engine(config, recorder, store), request)
    plan = recorder.plan()
    assert "+ /sbin/ifconfig bridge create name kleene0" in plan
    assert "+ /sbin/ifconfig kleene0 inet 10.4.6.1/24 alias" in plan
    assert "+ /sbin/pfctl -n -f - <<EOF" in plan
    assert "kleene0" not in sim.run(["/sbin/ifconfig", "-a"]).output
    assert sim.read_file("/etc/pf.conf") is None
