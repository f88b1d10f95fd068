"""Run ``klee`` in-process, capturing what it prints, for tests and features."""

from __future__ import annotations

import io
import shlex
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass

from kleene.cli import main


@dataclass(frozen=True)
class Outcome:
    """What one klee invocation printed and returned."""

    args: tuple[str, ...]
    status: int
    stdout: str
    stderr: str

    def describe(self) -> str:
        """Return a readable account for assertion messages."""
        return (
            f"klee {shlex.join(self.args)} exited {self.status}\n"
            f"--- stdout\n{self.stdout}--- stderr\n{self.stderr}"
        )


def run_klee(args: list[str], stdin: str = "") -> Outcome:
    """Run klee with args in this process and return what it did."""
    out, err = io.StringIO(), io.StringIO()
    saved_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            status = main(list(args))
    finally:
        sys.stdin = saved_stdin
    return Outcome(tuple(args), status, out.getvalue(), err.getvalue())
