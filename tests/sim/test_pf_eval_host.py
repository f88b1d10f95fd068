"""pf enforced by the simulated host: ipnet jails on loopback networks.

The ruleset is kleene's own rendering for network ``a`` (``kleene0``,
10.13.37.0/24, nat on em0) and, when asked, an internal network ``b``
(``kleene1``, 10.13.38.0/24); the jails hold the containers' addresses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kleene import pf as render
from kleene.backends.sim import SimulatedHost
from kleene.backends.sim.kernel import capture
from kleene.pf import PfInputs
from tests.sim.simhost import Ok
from tests.test_pf import make_container, make_endpoint, make_network, make_port

SERVER, PEER, CLIENT = "10.13.37.1", "10.13.37.2", "10.13.38.1"


def ruleset() -> str:
    """Render kleene's ruleset: a server on a publishing 8080:80, a client on b."""
    net_a = make_network(id="aaaa", name="a", interface="kleene0", nat="em0")
    net_b = make_network(
        id="bbbb", name="b", interface="kleene1", subnet="10.13.38.0/24",
        nat="em0", internal=True,
    )  # fmt: skip
    srv = make_endpoint(
        id="e1", network_id="aaaa", container_id="srv", ip_address=SERVER
    )
    peer = make_endpoint(
        id="e2", network_id="aaaa", container_id="peer", ip_address=PEER
    )
    cli = make_endpoint(
        id="e3", network_id="bbbb", container_id="cli", ip_address=CLIENT
    )
    web = make_port(host_port="8080", container_port="80")
    inputs = PfInputs(
        host_gateway="em0",
        networks=[net_a, net_b],
        endpoints={"aaaa": [srv, peer], "bbbb": [cli]},
        containers=[
            (make_container("srv", [web]), [srv]),
            (make_container("peer"), [peer]),
            (make_container("cli"), [cli]),
        ],
    )
    return render.render(render.default_template(), inputs)


@pytest.fixture
def firewalled(host: SimulatedHost, ok: Ok) -> SimulatedHost:
    """Return a host with the networks, three jails and kleene's pf enabled."""
    for name, addresses in (("kleene0", (SERVER, PEER)), ("kleene1", (CLIENT,))):
        ok(f"ifconfig lo create name {name}")
        for address in addresses:
            ok(f"ifconfig {name} alias {address}/32")
    for name, address in (("srv", SERVER), ("peer", PEER), ("cli", CLIENT)):
        params = f"name={name} path=/{name} persist allow.raw_sockets"
        ok(f"jail -c {params} ip4.addr={address}")
    host.write_file("/etc/pf.conf", ruleset())
    ok("pfctl -e -f /etc/pf.conf")
    return host


def test_containers_on_one_network_ping_each_other(
    firewalled: SimulatedHost, ok: Ok
) -> None:
    assert "1 packets received" in ok(f"jexec peer ping -c 1 {SERVER}")


def test_internal_client_is_refused_at_once_and_logged(
    firewalled: SimulatedHost,
) -> None:
    result = firewalled.run(["jexec", "cli", "nc", "-v", "-z", "-w", "2", SERVER, "80"])

    assert result.status == 1
    assert "failed: Permission denied" in result.output
    lines = capture.pflog_lines(firewalled.world())
    assert len(lines) == 1
    assert ": block out on " in lines[0]
    assert f" {CLIENT}." in lines[0] and ": TCP length 40" in lines[0]


def test_container_reaches_the_world_through_nat(
    firewalled: SimulatedHost, ok: Ok
) -> None:
    output = ok("jexec srv host -t A freebsd.org 1.1.1.1")

    assert "freebsd.org has address 96.47.72.84" in output
    states = ok("pfctl -s states").splitlines()
    assert len(states) == 1
    assert states[0].startswith("all udp 10.0.2.15:")
    assert f" ({SERVER}:" in states[0] and states[0].endswith("MULTIPLE:SINGLE")


def test_published_port_is_reachable_from_outside(
    firewalled: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    firewalled.start(["jexec", "srv", "nc", "-l", "-k", "80"], log=tmp_path / "srv.log")

    hit = firewalled.run_outside(["nc", "-v", "-z", "-w", "2", "10.0.2.15", "8080"])
    miss = firewalled.run_outside(["nc", "-v", "-z", "-w", "2", "10.0.2.15", "8081"])

    assert "Connection to 10.0.2.15 8080 port [tcp/http-alt] succeeded!" in hit.output
    assert "failed: Connection refused" in miss.output
    assert ok("pfctl -s states").startswith(f"all tcp {SERVER}:80 (10.0.2.15:8080) <- ")


def test_pfctl_shows_the_loaded_rules_and_nat(
    firewalled: SimulatedHost, ok: Ok
) -> None:
    rules = ok("pfctl -s rules").splitlines()
    nat = ok("pfctl -s nat").splitlines()

    assert rules[0] == "block drop in log inet from any to 10.13.37.0/24"
    assert nat == [
        "nat on em0 from (kleene0:network) to any -> (em0) round-robin",
        "rdr on em0 inet proto tcp from any to (em0) port = http-alt"
        " -> 10.13.37.1 port 80",
    ]


def test_disabled_pf_filters_nothing(firewalled: SimulatedHost, ok: Ok) -> None:
    ok("pfctl -d")

    result = firewalled.run(["jexec", "cli", "nc", "-v", "-z", "-w", "2", SERVER, "80"])

    assert "Permission denied" not in result.output
    assert capture.pflog_lines(firewalled.world()) == []


def test_pflog0_capture_holds_the_blocked_packets(
    firewalled: SimulatedHost, tmp_path: Path
) -> None:
    pytest.importorskip("scapy")
    firewalled.capture_start("pflog0")
    firewalled.run(["jexec", "cli", "nc", "-z", "-w", "2", SERVER, "80"])

    count = firewalled.capture_write("pflog0", tmp_path / "pflog.pcap")

    assert count == 1
    assert (tmp_path / "pflog.pcap").read_bytes()[20:24] == (117).to_bytes(4, "little")
