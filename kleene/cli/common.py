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
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import typer

from kleene.config import Config
from kleene.errors import KleeneError

if TYPE_CHECKING:
    from kleene.backends.base import Host
    from kleene.backends.recording import RecordingHost
    from kleene.engine.core import Engine
    from kleene.store import Store

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class Session:
    """The configuration of this invocation and what it opened."""

    config: Config
    dry_run: bool = False
    _host: Host | None = field(default=None, repr=False)
    _recorder: RecordingHost | None = field(default=None, repr=False)
    _store: Store | None = field(default=None, repr=False)
    _engine: Engine | None = field(default=None, repr=False)
    _scratch: TemporaryDirectory[str] | None = field(default=None, repr=False)

    def host(self) -> Host:
        """Open the configured host (a recorder in front of it for --dry-run)."""
        if self._host is None:
            from kleene.backends import open_host

            self._host = open_host(self.config)
            if self.dry_run:
                from kleene.backends.recording import RecordingHost

                self._recorder = RecordingHost(self._host, dry_run=True)
                self._host = self._recorder
        return self._host

    def store(self) -> Store:
        """Open the store (for --dry-run: a scratch copy that is thrown away)."""
        if self._store is None:
            from kleene.store import Store

            if self.dry_run:
                self._store = self._scratch_store()
            else:
                self._store = Store(self.config.state_dir)
        return self._store

    def _scratch_store(self) -> Store:
        from kleene.store import Store

        self._scratch = TemporaryDirectory(prefix="klee-dry-run-")
        original = Store(self.config.state_dir)
        copy = Store(Path(self._scratch.name))
        original.conn.backup(copy.conn)
        original.close()
        return copy

    def close(self) -> None:
        """Print the plan of a dry run; close the store."""
        if self._recorder is not None:
            lines = self._recorder.plan()
            sys.stdout.write("".join(line + "\n" for line in lines))
            sys.stdout.flush()
        if self._store is not None:
            self._store.close()
        if self._scratch is not None:
            self._scratch.cleanup()

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
        except (typer.Exit, typer.Abort, typer.TyperException, SystemExit):
            raise
        except Exception as exc:
            logger.debug("internal error", exc_info=True)
            print(f"internal error: {exc}", file=sys.stderr, flush=True)
            raise typer.Exit(1) from None

    return wrapper
