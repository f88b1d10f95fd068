"""Identifiers: 12-hex ids and the resolution of names, ids and id prefixes.

Ids are drawn from the host's random source (seeded in the simulation), are
never all decimal digits (so never mistaken for a JID) and are unique across
every kind of object (SPEC §2.3).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from kleene.errors import Ambiguous, NotFound

ID_LENGTH = 12


class _RandomSource(Protocol):
    def random_bytes(self, count: int) -> bytes: ...


class Named(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...


T = TypeVar("T", bound=Named)


def new_id(source: _RandomSource, taken: Callable[[str], bool]) -> str:
    """Draw a fresh id that is not all digits and not taken."""
    while True:
        candidate = source.random_bytes(ID_LENGTH // 2).hex()
        if not candidate.isdigit() and not taken(candidate):
            return candidate


def resolve(items: Sequence[T], ident: str, kind: str, not_found: str) -> T:
    """Find an object by exact name, exact id, or a unique id prefix."""
    if ident:
        for item in items:
            if item.name == ident:
                return item
        for item in items:
            if item.id == ident:
                return item
        matches = [item for item in items if item.id.startswith(ident)]
        if len(matches) > 1:
            raise Ambiguous(f"{kind} identifier '{ident}' is ambiguous")
        if matches:
            return matches[0]
    raise NotFound(not_found)
