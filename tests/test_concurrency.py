"""Concurrent klee processes never hand out the same address.

Sixteen processes start at the same moment and each allocates an address on
one network through the engine's addressing code, in its own store
transaction, as a connect does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kleene.engine import addressing
from kleene.model import Network, NetworkType
from kleene.store import Store

PROCESSES = 16

WORKER = """
import sys, time
from pathlib import Path
from kleene.engine import addressing
from kleene.store import Store

state, go = Path(sys.argv[1]), Path(sys.argv[2])
store = Store(state)
while not go.exists():
    time.sleep(0.001)
with store.transaction():
    (network,) = store.networks()
    print(addressing.allocate(store, network, 4, set()))
"""


@pytest.mark.slow
def test_sixteen_processes_get_distinct_addresses(tmp_path: Path) -> None:
    store = Store(tmp_path)
    network = Network(
        id="aaaaaaaaaaaa",
        name="shared",
        type=NetworkType.BRIDGE,
        interface="kleene0",
        subnet="10.13.37.0/24",
        gateway="<auto>",
    )
    with store.transaction():
        store.insert_network(network)
        addressing.create_pools(store, network)
    store.close()

    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(tmp_path), str(go)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    time.sleep(0.5)
    go.touch()
    addresses = [worker.communicate(timeout=60)[0].strip() for worker in workers]

    assert all(worker.returncode == 0 for worker in workers)
    assert len(set(addresses)) == PROCESSES
    assert sorted(addresses, key=lambda a: int(a.rsplit(".", 1)[1])) == [
        f"10.13.37.{host}" for host in range(2, 2 + PROCESSES)
    ]


@pytest.mark.slow
def test_sixteen_klee_connects_get_distinct_addresses(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "KLEENE_BACKEND": "sim",
        "KLEENE_STATE_DIR": str(tmp_path / "state"),
        "KLEENE_CONFIG": str(tmp_path / "kleene.toml"),
    }
    (tmp_path / "kleene.toml").write_text(f'pf_template_path = "{tmp_path}/absent"\n')
    klee = [
        sys.executable,
        "-c",
        "import sys; from kleene.cli import main; sys.exit(main())",
    ]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*klee, *args], env=env, capture_output=True, text=True, check=True
        )

    run("network", "create", "--subnet", "10.13.37.0/24", "shared")
    for number in range(PROCESSES):
        run("create", "-l", "ipnet", "--name", f"box{number}", "FreeBSD")
    connects = [
        subprocess.Popen(
            [*klee, "network", "connect", "shared", f"box{number}"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for number in range(PROCESSES)
    ]
    for process in connects:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err

    document = json.loads(run("network", "inspect", "shared").stdout)
    addresses = [e["ip_address"] for e in document["network_endpoints"]]
    assert len(addresses) == PROCESSES
    assert sorted(addresses) == sorted(f"10.13.37.{h}" for h in range(1, 17))
