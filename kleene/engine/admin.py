"""Whole-state operations: resetting the simulated host and the store."""

from __future__ import annotations

import logging

from kleene.config import Config
from kleene.errors import ValidationError
from kleene.store import DB_NAME

logger = logging.getLogger(__name__)


def reset_simulation(config: Config, *, seed: int, profile: str) -> None:
    """Replace the simulated host with a fresh world and empty the store."""
    if config.backend != "sim":
        raise ValidationError(
            "this command needs the simulated backend (--backend sim)"
        )
    from kleene.backends.sim import SimulatedHost

    config.state_dir.mkdir(parents=True, exist_ok=True)
    SimulatedHost.reset(config.state_dir, seed=seed, profile=profile)
    for suffix in ("", "-wal", "-shm"):
        (config.state_dir / f"{DB_NAME}{suffix}").unlink(missing_ok=True)
    logger.info("reset the simulated host (seed %d, profile %s)", seed, profile)
