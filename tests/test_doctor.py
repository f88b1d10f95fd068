"""klee doctor's checks, one line each."""

from __future__ import annotations

from kleene.engine.doctor import Check


def test_ok_line_names_the_check() -> None:
    assert Check(True, "pf enabled", "pfctl -e").line() == "ok    pf enabled"


def test_failure_line_says_how_to_fix_it() -> None:
    assert Check(False, "pf enabled", "pfctl -e").line() == "FAIL  pf enabled: pfctl -e"
