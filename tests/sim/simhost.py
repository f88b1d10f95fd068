"""Helpers for the simulated host's tests: runner types and SPEC listings.

``listing(text)`` turns a listing copied from SPEC, where a TAB is shown as
8 spaces, into the bytes FreeBSD prints. ``Run`` and ``Ok`` are the types of
the ``run`` and ``ok`` fixtures of ``conftest``.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable

from kleene.backends.base import CommandResult

Run = Callable[..., CommandResult]
Ok = Callable[..., str]


def listing(text: str) -> str:
    """Return a SPEC listing with its 8-space indents turned into TABs."""
    lines = textwrap.dedent(text).strip("\n").splitlines()
    return "".join(re.sub(r"^ {8}", "\t", line) + "\n" for line in lines)
