"""World persistence: ``<state_dir>/sim/world.json`` under ``world.lock``.

Every access is one *session*: take the exclusive ``flock`` on
``world.lock``, load the world (reusing this process's copy when the file's
``(mtime_ns, size, inode)`` stamp has not changed since it last read or
wrote it), let the caller read or change it, and, if its compact JSON text
changed, bump its ``generation`` and replace the file atomically (write a
temporary file, then ``os.replace``); the generation is written first and
left out of the comparison, so the text is encoded once. So separate
``klee`` processes see one machine. ``stamp()`` lets a follower notice that
another invocation changed the world without reading it.

A missing file means a fresh world, built from the seed and profile given to
``WorldStore`` and saved at once. A file of another version is a
``StateError`` telling the user to run ``klee sim reset``.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kleene.backends.sim.profiles import check_profile, fresh_world
from kleene.backends.sim.world import WORLD_VERSION, World
from kleene.errors import StateError

logger = logging.getLogger(__name__)

Stamp = tuple[int, int, int]
_GENERATION = re.compile(r'\{"generation":\d+,')


class WorldStore:
    """The world file of one state directory, with this process's cached copy."""

    def __init__(self, state_dir: Path, *, seed: int, profile: str) -> None:
        check_profile(profile)
        self.directory = Path(state_dir) / "sim"
        self.path = self.directory / "world.json"
        self.lock_path = self.directory / "world.lock"
        self.seed = seed
        self.profile = profile
        self._world: World | None = None
        self._stamp: Stamp | None = None
        self._text = ""
        self._depth = 0

    @contextmanager
    def session(self) -> Iterator[World]:
        """Yield the current world under the lock and save it if it changed."""
        if self._depth:
            assert self._world is not None
            yield self._world
            return
        with self._locked():
            world = self._current()
            before = self._text
            try:
                yield world
            except BaseException:
                self._forget()
                raise
            body = _body(world)
            if body != before:
                world.generation += 1
                self._write(world, body)

    def reset(self) -> World:
        """Replace the world with a fresh one and return it."""
        with self._locked():
            world = fresh_world(self.seed, self.profile)
            self._write(world)
            logger.info(
                "simulated host reset (seed %d, profile %s)", self.seed, self.profile
            )
            return world

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a+b") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def _current(self) -> World:
        stamp = self._stat()
        if stamp is None:
            world = fresh_world(self.seed, self.profile)
            self._write(world)
            logger.info("created simulated host %s", self.path)
            return world
        if self._world is not None and stamp == self._stamp:
            return self._world
        data, text = self._read()
        try:
            world = World.from_dict(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise StateError(
                f"simulated host state {self.path} is unreadable ({exc!r}); "
                "run 'klee sim reset'"
            ) from exc
        self._world, self._stamp, self._text = world, stamp, _strip_generation(text)
        return world

    def stamp(self) -> Stamp | None:
        """Return the world file's stamp, which changes whenever it is replaced."""
        return self._stat()

    def _read(self) -> tuple[dict[str, Any], str]:
        try:
            text = self.path.read_text(encoding="utf-8").rstrip("\n")
            data = json.loads(text)
        except (OSError, ValueError) as exc:
            raise StateError(
                f"simulated host state {self.path} is unreadable ({exc}); "
                "run 'klee sim reset'"
            ) from exc
        if not isinstance(data, dict) or data.get("version") != WORLD_VERSION:
            version = data.get("version") if isinstance(data, dict) else None
            raise StateError(
                f"simulated host state {self.path} has unsupported version "
                f"{version}; run 'klee sim reset'"
            )
        return data, text

    def _write(self, world: World, body: str | None = None) -> None:
        temporary = self.path.with_name(f".world.json.{os.getpid()}.tmp")
        body = _body(world) if body is None else body
        text = f'{{"generation":{world.generation},{body[1:]}'
        temporary.write_text(text + "\n", encoding="utf-8")
        os.replace(temporary, self.path)
        self._world, self._stamp, self._text = world, self._stat(), body

    def _stat(self) -> Stamp | None:
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            return None
        return status.st_mtime_ns, status.st_size, status.st_ino

    def _forget(self) -> None:
        self._world = None
        self._stamp = None
        self._text = ""


def _body(world: World) -> str:
    """Return the world's compact JSON text without its generation."""
    data = world.to_dict()
    del data["generation"]
    return json.dumps(data, separators=(",", ":"))


def _strip_generation(text: str) -> str:
    """Return a world file's text without its leading generation member."""
    match = _GENERATION.match(text)
    return "{" + text[match.end() :] if match else text
