"""Host changes as named steps, each registering its undo as it succeeds.

    with Steps(host) as steps:
        steps.run("create bridge kleene0", create_argv, undo=destroy_argv)
        steps.undo_with("forget network", forget)

If the block raises, the registered undos run in reverse order (a failed undo
is logged as a WARNING and the rest still run) and the original error goes on.
If it completes, the undos are discarded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from types import TracebackType

from kleene.backends.base import CommandResult, Host

logger = logging.getLogger(__name__)


class Steps:
    """An ordered list of host changes with their undos."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self._undos = ExitStack()

    def __enter__(self) -> Steps:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None:
            self._undos.pop_all()
        else:
            self._undos.close()

    def run(
        self, name: str, argv: Sequence[str], undo: Sequence[str] | None = None
    ) -> CommandResult:
        """Run one step that must succeed; register its undo command if any."""
        logger.debug("step: %s", name)
        result = self.host.run(argv).check()
        if undo is not None:
            undo_argv = list(undo)
            self.undo_with(f"undo {name}", lambda: self._run_undo(undo_argv))
        return result

    def undo_with(self, name: str, action: Callable[[], object]) -> None:
        """Register a Python-level undo (store rows, files) for the last step."""

        def guarded() -> None:
            try:
                action()
            except Exception as exc:  # an undo must never hide the original error
                logger.warning("%s failed: %s", name, exc)

        self._undos.callback(guarded)

    def _run_undo(self, argv: list[str]) -> None:
        result = self.host.run(argv)
        if not result.ok:
            logger.warning("undo %s failed: %s", " ".join(argv), result.output.strip())
