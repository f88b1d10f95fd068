"""What every command group of the CLI shares: the session, errors, tables.

``Session`` holds the configuration chosen by the global options and opens
the host, the store and the engine on first use. ``reports_errors`` turns a
``KleeneError`` into its one line on stderr and exit status, and any other
exception into ``internal error: ...``: no traceback reaches the user.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import typer

from kleene.config import Config
from kleene.errors import KleeneError

if TYPE_CHECKING:
    from kleene.backends.base import Host
    from kleene.engine.core import Engine
    from kleene.store import Store

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class Session:
    """The configuration of this invocation and what it opened."""

    config: Config
    _host: Host | None = field(default=None, repr=False)
    _store: Store | None = field(default=None, repr=False)
    _engine: Engine | None = field(default=None, repr=False)

    def host(self) -> Host:
        """Open the configured host."""
        if self._host is None:
            from kleene.backends import open_host

            self._host = open_host(self.config)
        return self._host

    def store(self) -> Store:
        """Open the store of the state directory."""
        if self._store is None:
            from kleene.store import Store

            self._store = Store(self.config.state_dir)
        return self._store

    def engine(self) -> Engine:
        """Build the engine over the host and the store."""
        if self._engine is None:
            from kleene.engine.core import Engine

            self._engine = Engine(self.config, self.host(), self.store(), warn=warn)
        return self._engine


def session(ctx: typer.Context) -> Session:
    """Return the session that the global options created."""
    found = ctx.find_root().obj
    if not isinstance(found, Session):
        raise RuntimeError("the klee session was not initialised")
    return found


def warn(message: str) -> None:
    """Write a warning line to stderr."""
    print(message, file=sys.stderr, flush=True)


def fail(error: KleeneError) -> typer.Exit:
    """Report an error on stderr and return the exit to raise."""
    print(error.message, file=sys.stderr, flush=True)
    return typer.Exit(error.exit_code)


def reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Report klee's errors as one line on stderr, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except KleeneError as exc:
            raise fail(exc) from None
        except (typer.Exit, typer.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            logger.debug("internal error", exc_info=True)
            print(f"internal error: {exc}", file=sys.stderr, flush=True)
            raise typer.Exit(1) from None

    return wrapper
