"""Generated container names (SPEC §2.3)."""

from __future__ import annotations

import itertools

from kleene.names import ADJECTIVES, SURNAMES, generate_name


class Counter:
    def __init__(self) -> None:
        self.values = itertools.count()

    def random_bytes(self, count: int) -> bytes:
        return (next(self.values) % 40).to_bytes(count, "big")


def test_word_lists_have_forty_words_each() -> None:
    assert len(ADJECTIVES) == 40 and len(SURNAMES) == 40
    assert "hungry" in ADJECTIVES and "knuth" in SURNAMES


def test_name_is_adjective_underscore_surname() -> None:
    assert generate_name(Counter(), lambda name: False) == "admiring_babbage"


def test_taken_names_are_drawn_again() -> None:
    taken = {"admiring_babbage"}
    assert generate_name(Counter(), taken.__contains__) == "amazing_bhaskara"


def test_after_ten_taken_draws_a_suffix_is_appended() -> None:
    name = generate_name(Counter(), lambda name: "_" not in name[-2:])
    assert name.rsplit("_", 1)[1] == "2"
