"""The supervisor of a long-running command on FreeBSD.

``python -m kleene.backends.freebsd.supervise LOG [--stdin FILE] -- ARGV...``
runs ARGV in its own session, appends its merged output to LOG as it comes
and, when it ends, writes its exit status beside LOG (128 + the signal number
for a process ended by a signal). Because the supervisor is not klee's child
in any way that matters, a detached run outlives the klee that started it.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from kleene.backends.follow import write_status
from kleene.backends.freebsd import runner
from kleene.errors import CommandNotFound, HostError

logger = logging.getLogger(__name__)


def supervise(log: Path, argv: list[str], stdin_file: Path | None) -> int:
    """Run argv to its end, logging its output; return its exit status."""
    log.parent.mkdir(parents=True, exist_ok=True)
    status = 127
    with log.open("ab") as out:
        try:
            process = runner.start(argv, stdin_path=stdin_file)
        except CommandNotFound as exc:
            out.write(f"{argv[0]}: {exc.message}\n".encode())
        except (OSError, HostError) as exc:
            out.write(f"{argv[0]}: {exc}\n".encode())
            status = 126
        else:
            assert process.stdout is not None
            while chunk := os.read(process.stdout.fileno(), 65536):
                out.write(chunk)
                out.flush()
            code = process.wait()
            status = 128 - code if code < 0 else code
    write_status(log, status)
    return status


def main(args: list[str]) -> int:
    """Parse the supervisor's command line and supervise."""
    if "--" not in args or not args:
        print("usage: supervise LOG [--stdin FILE] -- ARGV...", file=sys.stderr)
        return 64
    split = args.index("--")
    head, argv = args[:split], args[split + 1 :]
    stdin_file = Path(head[2]) if head[1:2] == ["--stdin"] else None
    return supervise(Path(head[0]), argv, stdin_file)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
