"""Small-count suppression: small cells hidden, and no hidden cell recomputable."""

from __future__ import annotations

from demine.analysis.disclosure import (
    WITHHELD,
    suppress_breakdown,
    suppress_count,
    suppress_table,
    suppressed_keys,
)


def test_small_cells_are_hidden_and_zeros_and_large_ones_shown() -> None:
    cells = suppress_breakdown({"a": 2, "b": 3, "c": 0, "d": 40}, 5)
    assert cells == {"a": "<5", "b": "<5", "c": 0, "d": 40}


def test_a_lone_hidden_cell_gets_a_complement_that_is_never_falsely_small() -> None:
    # With a total of 33, showing b and c would give a = 3 back.
    cells = suppress_breakdown({"a": 3, "b": 10, "c": 20}, 5)
    assert cells == {"a": "<5", "b": WITHHELD, "c": 20}
    # The smallest other cell is the complement, even a zero (which reads "<5" truly).
    assert suppress_breakdown({"a": 3, "b": 0, "c": 20}, 5) == {"a": "<5", "b": "<5", "c": 20}


def test_threshold_is_configurable() -> None:
    assert suppress_breakdown({"a": 7, "b": 12, "c": 30}, 10) == {
        "a": "<10",
        "b": WITHHELD,
        "c": 30,
    }
    assert suppress_breakdown({"a": 7, "b": 12, "c": 30}, 1) == {"a": 7, "b": 12, "c": 30}
    assert suppress_count(3, 5) == "<5" and suppress_count(5, 5) == 5 and suppress_count(0, 5) == 0


def _recomputable(cells: dict[str, int | str]) -> bool:
    return sum(1 for value in cells.values() if isinstance(value, str)) == 1


def test_two_way_tables_leave_no_row_or_column_with_a_single_hidden_cell() -> None:
    rows = {
        "Tartar": {"killed": 2, "injured": 30, "unknown": 0},
        "Aghdam": {"killed": 9, "injured": 25, "unknown": 1},
        "Fuzuli": {"killed": 12, "injured": 40, "unknown": 0},
    }
    table = suppress_table(rows, 5)
    assert table["Tartar"]["killed"] == "<5" and table["Aghdam"]["unknown"] == "<5"
    for row in table.values():
        assert not _recomputable(row)
    for column in ("killed", "injured", "unknown"):
        assert not _recomputable({r: table[r][column] for r in table})
    for name, row in rows.items():
        for column, value in row.items():
            cell = table[name][column]
            assert cell == value or isinstance(cell, str)
            if cell == "<5":
                assert value < 5


def test_nothing_small_means_nothing_hidden() -> None:
    assert suppressed_keys({"a": 0, "b": 5, "c": 9}, [["a", "b", "c"]], 5) == set()
