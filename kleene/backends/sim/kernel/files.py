"""The simulated filesystem: regular text files by absolute path.

Directories are not modelled: a path is a key. Paths are normalised
(``/etc//pf.conf`` is ``/etc/pf.conf``); a relative path is taken from ``/``,
the working directory of every simulated program for now.
"""

from __future__ import annotations

import logging
import posixpath

from kleene.backends.sim.world import World

logger = logging.getLogger(__name__)


def normalise(path: str) -> str:
    """Return the absolute, normalised form of a path."""
    return posixpath.normpath(posixpath.join("/", path))


def read(world: World, path: str) -> str | None:
    """Return a file's text, or None when it does not exist."""
    return world.files.get(normalise(path))


def write(world: World, path: str, text: str) -> None:
    """Create or replace a file."""
    world.files[normalise(path)] = text
    logger.info("wrote file %s (%d characters)", normalise(path), len(text))


def remove(world: World, path: str) -> None:
    """Remove a file; an absent file is not an error."""
    if world.files.pop(normalise(path), None) is not None:
        logger.info("removed file %s", normalise(path))
