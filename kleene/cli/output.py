"""Plain-text output: tables, JSON and raw text on stdout (SPEC §3).

Kept free of typer and pydantic so that the fast paths of ``klee`` can use it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

RULE = "─"


def format_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    centered: Sequence[str] = (),
    min_widths: dict[str, int] | None = None,
) -> str:
    """Lay out a table as klee prints it (SPEC §3.3)."""
    minimum = min_widths or {}
    widths = [
        max([len(header), minimum.get(header, 0)] + [len(row[i]) for row in rows])
        for i, header in enumerate(headers)
    ]

    def line(cells: Sequence[str]) -> str:
        padded = []
        for header, cell, width in zip(headers, cells, widths, strict=True):
            if header in centered:
                left = (width - len(cell)) // 2
                padded.append(" " * left + cell + " " * (width - len(cell) - left))
            else:
                padded.append(cell.ljust(width))
        return (" " + "   ".join(padded)).rstrip()

    rule = RULE * (sum(widths) + 3 * (len(widths) - 1) + 2)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)]) + "\n"


def echo(text: str) -> None:
    """Write text to stdout as is."""
    sys.stdout.write(text)
    sys.stdout.flush()


def dumps(value: Any) -> str:
    """Format JSON as klee prints it: 2-space indent, sorted keys, final newline."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def network_list(rows: list[dict[str, Any]], *, quiet: bool, as_json: bool) -> str:
    """Return networks as a table, ids or JSON (SPEC §3.4)."""
    if quiet:
        return "".join(row["id"] + "\n" for row in rows)
    if as_json:
        return dumps(rows)
    cells = [[r["id"], r["name"], r["type"], r["subnet"]] for r in rows]
    return format_table(["ID", "NAME", "TYPE", "SUBNET"], cells)
