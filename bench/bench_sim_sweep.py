"""A ping sweep across 100 vnet jails on one bridge of the simulated host.

Builds, with the exact commands kleene's plans use, a bridge ``kleene0``
(10.77.0.1/16) and ``JAILS`` persistent vnet jails, each with an epair on the
bridge and an address 10.77.0.<n+2>/16, then measures:

- the packet path: inside one world session, every jail pings the next one
  (ARP on the first round, then only echo traffic), ``ROUNDS`` rounds;
  frames delivered per second (each frame counted once per link it
  crosses: epair ends and bridge ports);
- the same sweep as users run it, one ``jexec jN ping -c 1 ...`` per jail
  through ``SimulatedHost.run``, each its own invocation (loading and saving
  the world under its lock): commands and frames per second;
- loading plus saving the world with the jails in it (target: well under a
  second).

Run as ``python bench/bench_sim_sweep.py [JAILS]``; it prints the figures and
exits 0.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from kleene.backends.sim import SimulatedHost
from kleene.backends.sim.kernel import procs, sockets
from kleene.backends.sim.persist import WorldStore
from kleene.backends.sim.records import Proto

JAILS = 100
ROUNDS = 20


def address(n: int) -> str:
    """Return the address of jail ``n``."""
    return f"10.77.{(n + 2) // 256}.{(n + 2) % 256}"


def build(host: SimulatedHost, jails: int) -> None:
    """Create the bridge and the vnet jails."""
    for command in (
        "kldload -n if_bridge",
        "ifconfig bridge create name kleene0",
        "ifconfig kleene0 inet 10.77.0.1/16 alias",
    ):
        host.run(command.split()).check()
    for n in range(jails):
        epair = host.run(["ifconfig", "epair", "create"]).check().output.strip()[:-1]
        host.run(
            [
                "/usr/sbin/jail",
                "-c",
                f"path=/zroot/j{n}",
                f"name=j{n}",
                "vnet",
                f"vnet.interface={epair}b",
                f"exec.prestart=ifconfig kleene0 addm {epair}a",
                f"exec.prestart=ifconfig {epair}a up",
                f"exec.start=ifconfig {epair}b inet {address(n)}/16",
                "persist",
            ]
        ).check()


def kernel_sweep(host: SimulatedHost, jails: int, rounds: int) -> tuple[int, float]:
    """Ping every jail's neighbour from raw sockets in one session."""
    with host.kernel() as rt:
        world = rt.world
        senders = []
        for n in range(jails):
            jail = world.jails[n + 1]
            proc = procs.spawn(
                rt,
                ppid=1,
                jid=jail.jid,
                stack=jail.stack,
                argv=["ping"],
                log=None,
                env=[],
            )
            senders.append(sockets.open(rt, proc, Proto.ICMP, 4))
        start, frames = time.perf_counter(), rt.frames
        for seq in range(rounds):
            for n, sock in enumerate(senders):
                sockets.send_echo(rt, sock, address((n + 1) % jails), seq, bytes(56))
                rt.drain()
        elapsed = time.perf_counter() - start
        count = rt.frames - frames
        for sock in senders:
            procs.exit(rt, sock.pid, 0, notify=False)
    return count, elapsed


def command_sweep(host: SimulatedHost, jails: int) -> tuple[int, float, int]:
    """Ping every jail's neighbour with one klee-style command each."""
    before = _frames(host)
    start = time.perf_counter()
    failures = 0
    for n in range(jails):
        target = address((n + 1) % jails)
        result = host.run(["jexec", f"j{n}", "ping", "-c", "1", target])
        failures += result.status != 0
    elapsed = time.perf_counter() - start
    return _frames(host) - before, elapsed, failures


def _frames(host: SimulatedHost) -> int:
    world = host.world()
    return sum(i.opackets for s in world.stacks.values() for i in s.interfaces)


def persistence(state_dir: Path) -> tuple[float, int]:
    """Return the time to load and save the world from scratch, and its size."""
    path = state_dir / "sim" / "world.json"
    start = time.perf_counter()
    store = WorldStore(state_dir, seed=0, profile="default")
    with store.session() as world:
        world.clock_us += 1
    return time.perf_counter() - start, path.stat().st_size


def main() -> None:
    """Run the benchmark and print its figures."""
    jails = int(sys.argv[1]) if len(sys.argv) > 1 else JAILS
    with tempfile.TemporaryDirectory() as directory:
        state_dir = Path(directory)
        host = SimulatedHost(state_dir)
        start = time.perf_counter()
        build(host, jails)
        print(f"built {jails} vnet jails in {time.perf_counter() - start:.2f} s")

        frames, elapsed = kernel_sweep(host, jails, ROUNDS)
        print(
            f"packet path: {frames} frames in {elapsed:.3f} s = "
            f"{frames / elapsed:,.0f} frames/s ({ROUNDS} rounds of {jails} pings)"
        )
        frames, elapsed, failures = command_sweep(host, jails)
        print(
            f"jexec ping -c 1 sweep: {jails} commands in {elapsed:.2f} s = "
            f"{jails / elapsed:.1f} commands/s, {frames / elapsed:,.0f} frames/s, "
            f"{failures} failed"
        )
        seconds, size = persistence(state_dir)
        verdict = "PASS" if seconds < 0.5 else "FAIL"
        print(
            f"load + save of the world ({size / 1024:.0f} KiB): "
            f"{seconds * 1000:.0f} ms ({verdict}: target < 500 ms)"
        )


if __name__ == "__main__":
    main()
