"""A failure injected at any host command leaves nothing behind.

Each test counts the host commands of one operation on a fresh simulated
host, then repeats the operation once per command with that command made to
fail, and checks that no epair, alias, bridge member, jail, allocation or
store row leaked (for teardowns: after a retry, as SPEC §4.16 promises).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from kleene.backends.recording import RecordingHost
from kleene.backends.sim import SimulatedHost
from kleene.config import Config
from kleene.engine import containers, lifecycle, networks
from kleene.engine.core import Engine
from kleene.engine.reconcile import reconcile
from kleene.errors import KleeneError
from kleene.model import NetworkDriver, NetworkType
from kleene.store import Store

Setup = Callable[[Engine], None]
Operation = Callable[[Engine], object]


def fresh(state: Path, host: SimulatedHost | RecordingHost | None = None) -> Engine:
    config = Config(
        backend="sim", state_dir=state, pf_template_path=str(state / "absent")
    )
    return Engine(config, host or SimulatedHost(state), Store(state))


def vnet_setup(engine: Engine) -> None:
    request = networks.network_request("n", NetworkType.BRIDGE, subnet="10.9.0.0/24")
    networks.create(engine, request)
    containers.create(
        engine,
        containers.ContainerRequest(
            image="FreeBSD", command=["sleep", "100"], name="vbox",
            driver=NetworkDriver.VNET,
        ),
    )  # fmt: skip
    containers.connect(engine, "n", "vbox")


def running_vnet_setup(engine: Engine) -> None:
    vnet_setup(engine)
    lifecycle.start(engine, "vbox").process.detach()


def count(tmp_path: Path, setup: Setup, operation: Operation) -> int:
    state = tmp_path / "count"
    sim = SimulatedHost(state)
    setup(fresh(state, sim))
    recorder = RecordingHost(sim)
    operation(fresh(state, recorder))
    return len(recorder.commands)


def listing(engine: Engine) -> str:
    return engine.host.run(["/sbin/ifconfig", "-a"]).output


def walk(tmp_path: Path, setup: Setup, operation: Operation) -> list[Engine]:
    """Fail each command of the operation in turn; return the engines after."""
    total = count(tmp_path, setup, operation)
    assert total > 5
    engines = []
    for step in range(1, total + 1):
        state = tmp_path / f"step{step}"
        sim = SimulatedHost(state)
        setup(fresh(state, sim))
        sim.fail_at(step)
        engine = fresh(state, sim)
        with contextlib.suppress(KleeneError):
            operation(engine)
        sim.fail_at(None)
        engines.append(fresh(state, sim))
    return engines


def test_vnet_start_failure_leaks_nothing(tmp_path: Path) -> None:
    def start(engine: Engine) -> object:
        lifecycle.start(engine, "vbox").process.detach()
        return None

    for step, engine in enumerate(walk(tmp_path, vnet_setup, start), 1):
        (container,) = engine.store.containers()
        (endpoint,) = engine.store.endpoints()
        if container.running:
            continue  # the failure hit a read after the jail started
        assert endpoint.epair is None, f"step {step}: the store kept an epair"
        assert "epair" not in listing(engine), f"step {step}: an epair leaked"
        jails = engine.host.run(["/usr/sbin/jls"]).output
        assert container.id not in jails, f"step {step}: a jail leaked"


def test_network_removal_failure_is_completed_by_a_retry(tmp_path: Path) -> None:
    def remove(engine: Engine) -> object:
        return networks.remove(engine, "n")

    for step, engine in enumerate(walk(tmp_path, running_vnet_setup, remove), 1):
        reconcile(engine)  # what the next klee command does first
        if engine.store.networks():
            networks.remove(engine, "n")
        text = listing(engine)
        assert "kleene0" not in text, f"step {step}: the bridge leaked"
        assert "epair0a" not in text, f"step {step}: an epair leaked"
        assert engine.store.endpoints() == [], f"step {step}: an endpoint leaked"


def test_disconnect_failure_is_completed_by_a_retry(tmp_path: Path) -> None:
    def disconnect(engine: Engine) -> object:
        containers.disconnect(engine, "n", "vbox")
        return None

    for step, engine in enumerate(walk(tmp_path, running_vnet_setup, disconnect), 1):
        reconcile(engine)
        if engine.store.endpoints():
            containers.disconnect(engine, "n", "vbox")
        text = listing(engine)
        assert "epair0a" not in text, f"step {step}: an epair leaked"
        assert "member:" not in text, f"step {step}: a bridge member leaked"
        ranges = engine.store.conn.execute("SELECT lo, hi FROM free_ranges").fetchall()
        assert len(ranges) == 1, f"step {step}: the address was not freed"
