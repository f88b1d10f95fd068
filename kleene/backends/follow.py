"""Follow a process through its exec log, as ``tail -f`` would.

A process started with ``Host.start`` appends its output to its exec log and,
when it ends, writes its exit status beside it (``status_path``). Following
means passing each new chunk of the log on, until the status appears.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from kleene.backends.base import status_path

POLL_SECONDS = 0.02
CHUNK = 65536


def read_status(log: Path) -> int | None:
    """Return the exit status written beside a log, or None while it runs."""
    try:
        text = status_path(log).read_text().strip()
    except FileNotFoundError:
        return None
    return int(text) if text else None


def write_status(log: Path, status: int) -> None:
    """Record the exit status of the process that logs to ``log``."""
    path = status_path(log)
    temporary = path.with_suffix(".status.tmp")
    temporary.write_text(f"{status}\n")
    temporary.replace(path)


def follow_log(
    log: Path,
    sink: Callable[[bytes], None],
    *,
    offset: int = 0,
    idle: Callable[[], None] | None = None,
) -> int:
    """Pass what is appended to ``log`` to ``sink``; return the exit status."""
    position = offset
    while True:
        status = read_status(log)
        position = _drain(log, position, sink)
        if status is not None:
            _drain(log, position, sink)
            return status
        if idle is not None:
            idle()
        else:
            time.sleep(POLL_SECONDS)


def _drain(log: Path, position: int, sink: Callable[[bytes], None]) -> int:
    try:
        with log.open("rb") as handle:
            handle.seek(position)
            while chunk := handle.read(CHUNK):
                sink(chunk)
                position += len(chunk)
    except FileNotFoundError:
        pass
    return position
