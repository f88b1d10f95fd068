"""Hosts that run FreeBSD commands: the real one, a simulated one, a recorder."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kleene.backends.base import Host
    from kleene.config import Config


def open_host(config: Config) -> Host:
    """Return the host of the configured backend (imported on demand)."""
    if config.backend == "sim":
        from kleene.backends.sim import SimulatedHost

        return SimulatedHost(
            config.state_dir, seed=config.sim_seed, profile=config.sim_profile
        )
    from kleene.backends.freebsd.host import FreeBSDHost

    return FreeBSDHost()
