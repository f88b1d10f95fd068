"""Ids and the resolution of names, ids and id prefixes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from kleene.errors import Ambiguous, NotFound
from kleene.ids import new_id, resolve


class ScriptedRandom:
    def __init__(self, *chunks: bytes) -> None:
        self.chunks = list(chunks)

    def random_bytes(self, count: int) -> bytes:
        chunk = self.chunks.pop(0)
        assert len(chunk) == count
        return chunk


@dataclass
class Thing:
    id: str
    name: str


def test_new_id_is_twelve_lowercase_hex() -> None:
    source = ScriptedRandom(bytes.fromhex("a1b2c3d4e5f6"))
    assert new_id(source, lambda _: False) == "a1b2c3d4e5f6"


def test_new_id_is_never_all_digits() -> None:
    source = ScriptedRandom(
        bytes.fromhex("123456789012"), bytes.fromhex("12345678901a")
    )
    assert new_id(source, lambda _: False) == "12345678901a"


def test_new_id_skips_taken_ids() -> None:
    source = ScriptedRandom(
        bytes.fromhex("aaaaaaaaaaaa"), bytes.fromhex("bbbbbbbbbbbb")
    )
    assert (
        new_id(source, lambda candidate: candidate == "aaaaaaaaaaaa") == "bbbbbbbbbbbb"
    )


THINGS = [Thing("ec033436e65e", "alpha"), Thing("ec0400000000", "beta"),
          Thing("f4c88f269007", "ec0")]  # fmt: skip


@pytest.mark.parametrize(
    ("ident", "expected"),
    [
        ("alpha", "ec033436e65e"),
        ("ec0400000000", "ec0400000000"),
        ("ec03", "ec033436e65e"),
        ("f", "f4c88f269007"),
        ("ec0", "f4c88f269007"),  # an exact name wins over a prefix
    ],
)
def test_resolve_by_name_then_id_then_prefix(ident: str, expected: str) -> None:
    assert resolve(THINGS, ident, "network", "network not found").id == expected


def test_resolve_ambiguous_prefix_names_it() -> None:
    with pytest.raises(Ambiguous, match="network identifier 'e' is ambiguous"):
        resolve(THINGS, "e", "network", "network not found")


@pytest.mark.parametrize("ident", ["", "zzz", "alpha2"])
def test_resolve_unknown_raises_the_commands_message(ident: str) -> None:
    with pytest.raises(NotFound, match=r"^network not found\.$"):
        resolve(THINGS, ident, "network", "network not found.")
