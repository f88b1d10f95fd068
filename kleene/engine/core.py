"""The engine's context for one klee invocation.

``Engine`` bundles the configuration, the host, the store and the cached
host view, takes the state directory's lock around mutating commands and
passes warnings to the CLI. The operations themselves live in the sibling
modules (``networks``, ``reconcile``), which take an ``Engine``.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kleene.backends.base import Host
from kleene.config import Config
from kleene.engine.hostview import HostView
from kleene.store import Store

logger = logging.getLogger(__name__)

LOCK_NAME = "lock"


class Engine:
    """Configuration, host, store and host view of one invocation."""

    def __init__(
        self,
        config: Config,
        host: Host,
        store: Store,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self.config = config
        self.host = host
        self.store = store
        self.view = HostView(host)
        self._warn = warn or (lambda message: logger.warning("%s", message))
        self._lock_depth = 0
        self._lock_file: int | None = None

    def warn(self, message: str) -> None:
        """Pass a warning (``warning: ...``) to the user."""
        self._warn(message)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the state directory's exclusive lock for host and store changes."""
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        path = Path(self.config.state_dir) / LOCK_NAME
        with path.open("a") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            self._lock_depth = 1
            try:
                yield
            finally:
                self._lock_depth = 0
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
