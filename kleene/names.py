"""Generated container names: ``<adjective>_<surname>`` (SPEC §2.3).

Each word is drawn uniformly from its list with the host's random source; a
taken name is drawn again, and after 10 taken draws ``_<n>`` is appended
with the smallest ``n >= 2`` that is free.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

ADJECTIVES = [
    "admiring",
    "agitated",
    "amazing",
    "angry",
    "blissful",
    "bold",
    "brave",
    "clever",
    "compassionate",
    "dazzling",
    "eager",
    "elegant",
    "epic",
    "festive",
    "focused",
    "frosty",
    "funny",
    "gallant",
    "happy",
    "hopeful",
    "hungry",
    "jolly",
    "keen",
    "kind",
    "laughing",
    "loving",
    "modest",
    "nifty",
    "objective",
    "peaceful",
    "pensive",
    "quirky",
    "recursing",
    "relaxed",
    "serene",
    "sharp",
    "strange",
    "trusting",
    "vigilant",
    "zen",
]

SURNAMES = [
    "archimedes",
    "babbage",
    "bardeen",
    "bhaskara",
    "booth",
    "borg",
    "bose",
    "cerf",
    "curie",
    "darwin",
    "dijkstra",
    "einstein",
    "euclid",
    "euler",
    "feynman",
    "gauss",
    "hamilton",
    "hopper",
    "hypatia",
    "kepler",
    "knuth",
    "lamport",
    "liskov",
    "lovelace",
    "meitner",
    "meninsky",
    "mirzakhani",
    "moser",
    "newton",
    "noether",
    "pascal",
    "ritchie",
    "shannon",
    "thompson",
    "torvalds",
    "turing",
    "wiles",
    "wozniak",
    "wright",
    "yonath",
]

MAX_DRAWS = 10


class _RandomSource(Protocol):
    def random_bytes(self, count: int) -> bytes: ...


def _pick(source: _RandomSource, words: list[str]) -> str:
    # Rejection sampling keeps the choice uniform over the 40 words.
    limit = 65536 - 65536 % len(words)
    while True:
        value = int.from_bytes(source.random_bytes(2), "big")
        if value < limit:
            return words[value % len(words)]


def generate_name(source: _RandomSource, taken: Callable[[str], bool]) -> str:
    """Draw a container name that is not taken."""
    name = ""
    for _ in range(MAX_DRAWS + 1):
        name = f"{_pick(source, ADJECTIVES)}_{_pick(source, SURNAMES)}"
        if not taken(name):
            return name
    suffix = 2
    while taken(f"{name}_{suffix}"):
        suffix += 1
    return f"{name}_{suffix}"
