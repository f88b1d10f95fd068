"""``FreeBSDHost``: the ``Host`` protocol on a real FreeBSD machine.

Commands go through the one runner; files are those of the local filesystem,
replaced atomically (a temporary file in the same directory, then a rename);
time is the system clock in UTC and random bytes come from ``secrets``.
Filesystem failures are raised as ``HostError`` naming the path.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import stat
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from kleene.backends.base import CommandResult, Process
from kleene.backends.follow import follow_log
from kleene.backends.freebsd import runner
from kleene.errors import HostError

logger = logging.getLogger(__name__)

NEW_FILE_MODE = 0o644


class LoggedProcess:
    """A supervised process, followed through its exec log."""

    def __init__(self, log: Path) -> None:
        self.log = log

    def follow(self, sink: Callable[[bytes], None]) -> int:
        """Pass the output to sink as it comes; return the exit status."""
        return follow_log(self.log, sink)

    def detach(self) -> None:
        """Stop following; the supervisor carries on."""


class FreeBSDHost:
    """The machine kleene runs on, driven through FreeBSD's own commands."""

    name = "freebsd"

    def run(self, argv: Sequence[str], stdin: str | None = None) -> CommandResult:
        """Run one command to its end and return its result."""
        return runner.run(argv, stdin)

    def start(
        self,
        argv: Sequence[str],
        *,
        log: Path,
        stdin: bytes | None = None,
        tty: bool = False,
    ) -> Process:
        """Start a long-running command under a supervisor that logs its output."""
        # TODO: -t (a pseudo-terminal) is accepted but the command runs without one.
        del tty
        log.parent.mkdir(parents=True, exist_ok=True)
        supervisor = [sys.executable, "-m", "kleene.backends.freebsd.supervise"]
        args = [*supervisor, str(log)]
        if stdin is not None:
            stdin_file = log.with_suffix(".stdin")
            stdin_file.write_bytes(stdin)
            args += ["--stdin", str(stdin_file)]
        runner.spawn_detached([*args, "--", *argv])
        return LoggedProcess(log)

    def read_file(self, path: str) -> str | None:
        """Return the text of a local file, or None when it is absent."""
        try:
            with open(path, encoding="utf-8", newline="") as file:
                return file.read()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise HostError(f"could not read {path}: {_reason(exc)}") from exc

    def write_file(self, path: str, text: str) -> None:
        """Replace a local file with ``text`` atomically, keeping its mode."""
        try:
            _replace(os.path.realpath(path), text)
        except OSError as exc:
            raise HostError(f"could not write {path}: {_reason(exc)}") from exc
        logger.debug("wrote %s", path)

    def remove_file(self, path: str) -> None:
        """Remove a local file; an absent file is not an error."""
        try:
            os.remove(path)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise HostError(f"could not remove {path}: {_reason(exc)}") from exc
        logger.debug("removed %s", path)

    def now(self) -> datetime:
        """Return the current time in UTC."""
        return datetime.now(UTC)

    def random_bytes(self, count: int) -> bytes:
        """Return ``count`` bytes from the system's secure generator."""
        return secrets.token_bytes(count)

    def is_root(self) -> bool:
        """Tell whether kleene runs as root and may change the host."""
        return os.geteuid() == 0


def _replace(path: str, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it over."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = NEW_FILE_MODE

    directory, base = os.path.split(path)
    fd, temp = tempfile.mkstemp(prefix=f".{base}.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)
