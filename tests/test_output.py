"""Tables and JSON as klee prints them (SPEC §3.3–§3.5)."""

from __future__ import annotations

from kleene.cli.output import dumps, format_table, network_list

ROWS = [
    {"id": "cb9e8681e036", "name": "mynet", "type": "bridge", "subnet": "10.2.3.0/24"},
    {
        "id": "52f5bd4e7067",
        "name": "testnet",
        "type": "loopback",
        "subnet": "10.20.30.0/24",
    },
]


def test_network_table_matches_the_specification() -> None:
    assert network_list(ROWS, quiet=False, as_json=False) == (
        " ID             NAME      TYPE       SUBNET\n"
        "───────────────────────────────────────────────────\n"
        " cb9e8681e036   mynet     bridge     10.2.3.0/24\n"
        " 52f5bd4e7067   testnet   loopback   10.20.30.0/24\n"
    )


def test_quiet_lists_ids_only() -> None:
    assert network_list(ROWS, quiet=True, as_json=False) == (
        "cb9e8681e036\n52f5bd4e7067\n"
    )


def test_trailing_spaces_are_removed_from_rows() -> None:
    table = format_table(["A", "LONGER"], [["x", ""]])
    assert table.splitlines()[2] == " x"


def test_centered_column_puts_the_extra_space_right() -> None:
    table = format_table(["AUTORUN", "Z"], [["no", "z"]], centered=["AUTORUN"])
    assert table.splitlines()[2] == "   no      z"


def test_minimum_width_widens_a_column() -> None:
    table = format_table(["CONTAINER ID"], [["abc"]], min_widths={"CONTAINER ID": 13})
    assert table.splitlines()[1] == "─" * 15


def test_json_is_sorted_indented_and_ends_with_a_newline() -> None:
    assert dumps({"b": [], "a": "ä"}) == '{\n  "a": "ä",\n  "b": []\n}\n'
