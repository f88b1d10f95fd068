"""The one subprocess runner of kleene.

Every command that touches the real host goes through ``run`` (to its end) or
``start`` (streamed, for attached containers). Commands are argv lists, never
shell strings; stdout and stderr are merged into one output, as FreeBSD users
see them; the argv and the exit status are logged at DEBUG. A program that
does not exist raises ``CommandNotFound``; a non-zero status is returned, not
raised (``CommandResult.check`` raises ``CommandFailed``).
"""

from __future__ import annotations

import logging
import os
import shlex
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kleene.backends.base import CommandResult
from kleene.errors import CommandNotFound, HostError

logger = logging.getLogger(__name__)


def run(
    argv: Sequence[str], stdin: str | None = None, timeout: float | None = None
) -> CommandResult:
    """Run a command to its end and return its status and merged output."""
    args = _checked(argv)
    logger.debug("run %s", shlex.join(args))
    try:
        completed = subprocess.run(
            args,
            input=None if stdin is None else stdin.encode(),
            stdin=subprocess.DEVNULL if stdin is None else None,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise HostError(
            f"host command timed out after {timeout} s: {shlex.join(args)}"
        ) from exc
    except OSError as exc:
        raise _start_error(args, exc) from exc

    logger.debug("exit %d from %s", completed.returncode, args[0])
    output = completed.stdout.decode("utf-8", errors="replace")
    return CommandResult(tuple(args), completed.returncode, output)


def start(
    argv: Sequence[str],
    *,
    inherit_stdin: bool = False,
    stdin_path: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start a long-running command whose merged output is read from ``stdout``."""
    args = _checked(argv)
    logger.debug("start %s", shlex.join(args))
    try:
        if stdin_path is not None:
            with stdin_path.open("rb") as source:
                return _popen(args, source)
        return _popen(args, None if inherit_stdin else subprocess.DEVNULL)
    except OSError as exc:
        raise _start_error(args, exc) from exc


def _popen(args: list[str], stdin: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        args, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


def spawn_detached(args: list[str]) -> subprocess.Popen[bytes]:
    """Start a command in a session of its own that outlives klee."""
    logger.debug("spawn %s", shlex.join(args))
    return subprocess.Popen(
        args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _checked(argv: Sequence[str]) -> list[str]:
    if isinstance(argv, str) or not argv:
        raise ValueError(f"a command must be a non-empty argv list, not {argv!r}")
    return list(argv)


def _start_error(args: list[str], exc: OSError) -> HostError:
    if isinstance(exc, FileNotFoundError):
        return CommandNotFound(os.path.basename(args[0]))
    return HostError(f"could not run {args[0]}: {exc.strerror or exc}")
