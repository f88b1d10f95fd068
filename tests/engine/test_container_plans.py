"""The exact FreeBSD command plans of container operations (plans §7–§11).

A recording host in front of a fresh simulated host records every argv the
engine runs, and the simulation accepts each of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kleene.backends.recording import RecordingHost
from kleene.backends.sim import SimulatedHost
from kleene.config import Config
from kleene.engine import containers, lifecycle, networks
from kleene.engine.core import Engine
from kleene.engine.drivers import mac_pair
from kleene.model import NetworkDriver, NetworkType
from kleene.store import Store

INVENTORY = (
    ["/sbin/ifconfig", "-a"],
    ["/usr/sbin/jls", "--libxo", "json", "-v"],
    ["/sbin/mount", "--libxo", "json", "-t", "devfs"],
)


@pytest.fixture
def recorder(tmp_path: Path) -> RecordingHost:
    return RecordingHost(SimulatedHost(tmp_path / "state"))


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


def plan(recorder: RecordingHost) -> list[list[str]]:
    """Return what changed the host, without inventory reads and pf loads."""
    return [
        argv
        for argv in recorder.argvs()
        if tuple(argv) not in {tuple(read) for read in INVENTORY}
        and argv[0] not in ("/usr/bin/netstat", "/sbin/pfctl", "/sbin/sysctl")
        and argv[0] != "/sbin/kldload"
    ]


def add_network(engine: Engine, name: str, kind: NetworkType, subnet: str) -> None:
    networks.create(engine, networks.network_request(name, kind, subnet=subnet))


def start_detached(engine: Engine, driver: NetworkDriver, network: str) -> str:
    """Create box on a network and start it with a long sleep, detached."""
    container_id = make(engine, driver, "sleep", "100")
    containers.connect(engine, network, "box")
    lifecycle.start(engine, "box").process.detach()
    return container_id


def make(engine: Engine, driver: NetworkDriver, *cmd: str) -> str:
    request = containers.ContainerRequest(
        image="FreeBSD", command=list(cmd), name="box", driver=driver
    )
    return containers.create(engine, request).id


def test_create_clones_the_image(engine: Engine, recorder: RecordingHost) -> None:
    container_id = make(engine, NetworkDriver.IPNET)
    dataset = f"zroot/kleene/container/{container_id}"
    assert plan(recorder) == [
        ["/sbin/zfs", "clone", "zroot/kleene/image/11370bfb4a88@base", dataset],
        ["/sbin/zfs", "list", "-H", "-o", "mountpoint", dataset],
    ]


def test_ipnet_start_adds_aliases_then_starts_the_jail(
    engine: Engine, recorder: RecordingHost
) -> None:
    networks.create(
        engine,
        networks.network_request(
            "n",
            NetworkType.LOOPBACK,
            subnet="172.19.1.0/24",
            subnet6="fdef:1234:5678::/48",
        ),
    )
    container_id = make(engine, NetworkDriver.IPNET, "true")
    containers.connect(engine, "n", "box")
    recorder.commands.clear()
    execution = lifecycle.start(engine, "box")
    execution.process.follow(lambda chunk: None)
    changes = plan(recorder)
    assert changes[:2] == [
        ["/sbin/ifconfig", "kleene0", "inet", "172.19.1.1/32", "alias"],
        ["/sbin/ifconfig", "kleene0", "inet6", "fdef:1234:5678::1/128", "alias"],
    ]
    assert changes[2][:6] == [
        "/usr/sbin/jail", "-c", f"path=/zroot/kleene/container/{container_id}",
        f"name={container_id}", "ip4.addr=172.19.1.1", "ip6.addr=fdef:1234:5678::1",
    ]  # fmt: skip


def test_vnet_start_creates_a_tagged_epair_with_stable_macs(
    engine: Engine, recorder: RecordingHost
) -> None:
    add_network(engine, "n", NetworkType.BRIDGE, "10.13.37.0/24")
    make(engine, NetworkDriver.VNET, "true")
    containers.connect(engine, "n", "box")
    (endpoint,) = engine.store.endpoints()
    mac_a, mac_b = mac_pair(endpoint.id)
    recorder.commands.clear()
    lifecycle.start(engine, "box").process.follow(lambda chunk: None)
    assert plan(recorder)[:5] == [
        ["/sbin/ifconfig", "epair", "create"],
        ["/sbin/ifconfig", "epair0a", "ether", mac_a],
        ["/sbin/ifconfig", "epair0b", "ether", mac_b],
        ["/sbin/ifconfig", "epair0a", "description", f"kleene:{endpoint.id}"],
        ["/sbin/ifconfig", "epair0b", "description", f"kleene:{endpoint.id}"],
    ]
    assert endpoint.mac_address == mac_b


def test_stop_removes_the_jail_then_the_epair(
    engine: Engine, recorder: RecordingHost
) -> None:
    add_network(engine, "n", NetworkType.BRIDGE, "10.13.37.0/24")
    container_id = start_detached(engine, NetworkDriver.VNET, "n")
    recorder.commands.clear()
    lifecycle.stop(engine, "box")
    changes = [argv for argv in plan(recorder) if "-j" not in argv]
    assert changes[:3] == [
        ["/usr/sbin/jail", "-r", container_id],
        ["/sbin/ifconfig", "kleene0", "deletem", "epair0a"],
        ["/sbin/ifconfig", "epair0a", "destroy"],
    ]


def test_connect_running_ipnet_updates_the_jail(
    engine: Engine, recorder: RecordingHost
) -> None:
    add_network(engine, "a", NetworkType.LOOPBACK, "10.1.0.0/24")
    add_network(engine, "b", NetworkType.LOOPBACK, "10.2.0.0/24")
    container_id = start_detached(engine, NetworkDriver.IPNET, "a")
    recorder.commands.clear()
    containers.connect(engine, "b", "box")
    changes = plan(recorder)
    assert changes == [
        ["/sbin/ifconfig", "kleene1", "inet", "10.2.0.1/32", "alias"],
        ["/usr/sbin/jls", "--libxo", "json", "-v", "-j", container_id],
        ["/usr/sbin/jail", "-m", f"name={container_id}", "ip4.addr=10.1.0.1,10.2.0.1"],
    ]
    recorder.commands.clear()
    containers.disconnect(engine, "a", "box")
    assert plan(recorder) == [
        ["/usr/sbin/jls", "--libxo", "json", "-v", "-j", container_id],
        ["/usr/sbin/jail", "-m", f"name={container_id}", "ip4.addr=10.2.0.1"],
        ["/sbin/ifconfig", "kleene0", "inet", "10.1.0.1", "-alias"],
    ]


def test_disconnect_running_vnet_reclaims_and_destroys_the_epair(
    engine: Engine, recorder: RecordingHost
) -> None:
    add_network(engine, "n", NetworkType.BRIDGE, "10.13.37.0/24")
    container_id = start_detached(engine, NetworkDriver.VNET, "n")
    recorder.commands.clear()
    containers.disconnect(engine, "n", "box")
    assert plan(recorder) == [
        ["/sbin/ifconfig", "epair0b", "-vnet", container_id],
        ["/sbin/ifconfig", "kleene0", "deletem", "epair0a"],
        ["/sbin/ifconfig", "epair0a", "destroy"],
    ]


def test_exec_into_a_running_container_uses_jexec(
    engine: Engine, recorder: RecordingHost
) -> None:
    container_id = make(engine, NetworkDriver.HOST, "sleep", "100")
    lifecycle.start(engine, "box").process.detach()
    recorder.commands.clear()
    execution = lifecycle.execute(engine, "box", ["echo", "hi"], env=["A=1"])
    assert execution.process.follow(lambda chunk: None) == 0
    assert [
        "/usr/sbin/jexec", "-l", "-U", "root", container_id,
        "/usr/bin/env", "A=1", "echo", "hi",
    ] in plan(recorder)  # fmt: skip


def test_connect_and_disconnect_of_a_stopped_container_change_only_pf(
    engine: Engine, recorder: RecordingHost
) -> None:
    add_network(engine, "n", NetworkType.BRIDGE, "10.13.37.0/24")
    make(engine, NetworkDriver.VNET)
    recorder.commands.clear()
    containers.connect(engine, "n", "box")
    assert plan(recorder) == []
    assert ["/sbin/pfctl", "-n", "-f", "-"] not in recorder.argvs()  # same ruleset
    containers.disconnect(engine, "n", "box")
    assert plan(recorder) == []


@pytest.mark.parametrize(
    ("driver", "params"),
    [
        (NetworkDriver.HOST, ["ip4=inherit", "ip6=inherit"]),
        (NetworkDriver.DISABLED, ["ip4=disable", "ip6=disable"]),
    ],
)
def test_host_and_disabled_start_is_the_jail_alone(
    engine: Engine, recorder: RecordingHost, driver: NetworkDriver, params: list[str]
) -> None:
    container_id = make(engine, driver, "true")
    recorder.commands.clear()
    lifecycle.start(engine, "box").process.follow(lambda chunk: None)
    changes = [argv for argv in plan(recorder) if "-j" not in argv]
    assert changes[0][:6] == [
        "/usr/sbin/jail", "-c", f"path=/zroot/kleene/container/{container_id}",
        f"name={container_id}", *params,
    ]  # fmt: skip
    # The jail ended with its command; devfs is still mounted until cleanup.
    assert changes[1:] == [
        ["/sbin/umount", f"/zroot/kleene/container/{container_id}/dev"]
    ]


def test_ipnet_stop_removes_the_jail_then_its_aliases(
    engine: Engine, recorder: RecordingHost
) -> None:
    add_network(engine, "n", NetworkType.LOOPBACK, "10.1.0.0/24")
    container_id = start_detached(engine, NetworkDriver.IPNET, "n")
    recorder.commands.clear()
    lifecycle.stop(engine, "box")
    changes = [argv for argv in plan(recorder) if "-j" not in argv]
    assert changes == [
        ["/usr/sbin/jail", "-r", container_id],
        ["/sbin/ifconfig", "kleene0", "inet", "10.1.0.1", "-alias"],
    ]


def test_pf_is_checked_on_stdin_written_then_loaded(
    engine: Engine, recorder: RecordingHost
) -> None:
    networks.create(engine, networks.network_request("n", NetworkType.LOOPBACK))
    loads = [c for c in recorder.commands if c.argv[0] == "/sbin/pfctl"]
    check, load = loads[-2:]
    assert check.argv == ("/sbin/pfctl", "-n", "-f", "-")
    assert check.stdin == recorder.read_file("/etc/pf.conf")
    assert load.argv == ("/sbin/pfctl", "-f", "/etc/pf.conf")


def test_remove_of_a_stopped_container_destroys_its_dataset(
    engine: Engine, recorder: RecordingHost
) -> None:
    container_id = make(engine, NetworkDriver.HOST)
    recorder.commands.clear()
    containers.remove(engine, "box")
    assert plan(recorder) == [
        ["/sbin/zfs", "destroy", "-rf", f"zroot/kleene/container/{container_id}"]
    ]
