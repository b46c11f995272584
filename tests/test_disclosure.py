"""The disclosure rule on small tables: small counts hidden, complements chosen, zeros,
and an exact audit that agrees with linear programming."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping

import pytest
from tests.differencing import lp_worked_out

from demine.domain.disclosure import (
    WITHHELD,
    Cell,
    Key,
    LinkedCounts,
    Protection,
    protect,
    worked_out,
)
from demine.errors import DemineError, InvalidRequestError


def line(
    values: Mapping[str, int], total: int | None = None, *, exact: bool = True
) -> LinkedCounts:
    """One breakdown and its total ``T``."""
    counts = LinkedCounts()
    counts.count("T", sum(values.values()) if total is None else total, exact=exact)
    for key, value in values.items():
        counts.count(key, value)
    counts.add_sum("T", list(values))
    return counts


def table(rows: Mapping[str, Mapping[str, int]]) -> LinkedCounts:
    """A two-way table with its row totals, column totals and grand total ``T`` (exact)."""
    counts = LinkedCounts()
    columns = list(next(iter(rows.values())))
    counts.count("T", sum(sum(row.values()) for row in rows.values()), exact=True)
    for name, row in rows.items():
        counts.count(name, sum(row.values()))
        for column, value in row.items():
            counts.count((name, column), value)
        counts.add_sum(name, [(name, column) for column in columns])
    for column in columns:
        counts.count(column, sum(row[column] for row in rows.values()))
        counts.add_sum(column, [(name, column) for name in rows])
    counts.add_sum("T", list(rows))
    counts.add_sum("T", columns)
    return counts


def readings(counts: LinkedCounts, protection: Protection) -> dict[Key, Cell]:
    return {key: protection.cell(key) for key in counts.values if key not in counts.unpublished}


def attacked(counts: LinkedCounts, protection: Protection) -> list[Key]:
    """What linear programming works out of the published table."""
    return lp_worked_out(
        counts.values,
        [(s.total, s.parts) for s in counts.sums],
        readings(counts, protection),
        protection.threshold,
        counts.unpublished,
    )


def test_small_counts_are_hidden_and_zeros_and_large_ones_shown() -> None:
    counts = line({"a": 2, "b": 3, "c": 0, "d": 40})
    assert readings(counts, protect(counts, 5)) == {"T": 45, "a": "<5", "b": "<5", "c": 0, "d": 40}


def test_a_lone_hidden_count_gets_the_smallest_non_zero_complement() -> None:
    # With a total of 33, showing b and c would give a = 3 back.
    counts = line({"a": 3, "b": 10, "c": 20, "z": 0})
    protection = protect(counts, 5)
    assert readings(counts, protection) == {"T": 33, "a": "<5", "b": WITHHELD, "c": 20, "z": 0}
    assert (protection.primary, protection.secondary) == ({"a"}, {"b"})
    assert attacked(counts, protection) == []


def test_a_zero_is_hidden_only_when_nothing_else_can_protect() -> None:
    # 3 = a + 0 + 0 with the total shown: hiding a zero (read "<5", truly) is all there is.
    counts = line({"a": 3, "b": 0, "c": 0})
    protection = protect(counts, 5)
    assert readings(counts, protection) == {"T": 3, "a": "<5", "b": "<5", "c": 0}
    assert attacked(counts, protection) == []


def test_threshold_is_configurable_and_two_is_refused() -> None:
    counts = line({"a": 7, "b": 12, "c": 30})
    assert readings(counts, protect(counts, 10)) == {"T": 49, "a": "<10", "b": WITHHELD, "c": 30}
    assert readings(counts, protect(counts, 1)) == {"T": 49, "a": 7, "b": 12, "c": 30}
    with pytest.raises(InvalidRequestError, match="'<2' could only mean 1"):
        protect(counts, 2)


def test_a_month_is_hidden_with_another_of_its_year() -> None:
    """Issue 14: 2024-02 was hidden while the year and its other months were shown."""
    months = {"2023-12": 20, "2024-01": 14, "2024-02": 4, "2024-03": 9, "2024-04": 12}
    counts = LinkedCounts()
    counts.count("victims", 59, exact=True)
    counts.count("2023", 20)
    counts.count("2024", 39)
    for month, value in months.items():
        counts.count(month, value)
    counts.add_sum("victims", ["2023", "2024"])
    counts.add_sum("victims", list(months))
    counts.add_sum("2023", ["2023-12"])
    counts.add_sum("2024", ["2024-01", "2024-02", "2024-03", "2024-04"])
    protection = protect(counts, 5)
    assert protection.primary == {"2024-02"} and protection.secondary == {"2024-03"}
    assert attacked(counts, protection) == []


def test_killed_hidden_in_a_district_is_protected_by_injured_not_by_a_zero() -> None:
    """Issue 14: with no unknown outcome anywhere, hiding a district's zero unknown next
    to its killed protected nothing (killed = victims - injured)."""
    rows = {
        "Tartar": {"killed": 8, "injured": 36, "unknown": 0},
        "Aghdam": {"killed": 3, "injured": 30, "unknown": 0},
        "Lachin": {"killed": 3, "injured": 13, "unknown": 0},
        "Fuzuli": {"killed": 7, "injured": 24, "unknown": 0},
    }
    counts = table(rows)
    protection = protect(counts, 5)
    assert protection.primary == {("Aghdam", "killed"), ("Lachin", "killed")}
    assert protection.secondary == {("Aghdam", "injured"), ("Lachin", "injured")}
    assert readings(counts, protection)[("Aghdam", "unknown")] == 0
    assert attacked(counts, protection) == []


def test_the_audit_finds_a_count_pinned_by_several_sums_at_once() -> None:
    """Every row and column has two hidden cells, yet (r1, c2) is rows r0 + r1 minus
    columns c0 + c1 (a bridge between two blocks of hidden cells)."""
    rows = {f"r{i}": {f"c{j}": 10 + i + j for j in range(4)} for i in range(4)}
    counts = table(rows)
    hidden = {("r0", "c0"), ("r0", "c1"), ("r1", "c0"), ("r1", "c1"), ("r1", "c2"),
              ("r2", "c2"), ("r2", "c3"), ("r3", "c2"), ("r3", "c3")}  # fmt: skip
    assert worked_out(counts, hidden, 5) == [("r1", "c2")]
    pattern = Protection(5, counts.values, frozenset(), frozenset(hidden))
    assert attacked(counts, pattern) == [("r1", "c2")]


def _random_table(generator: random.Random, rows: int, columns: int) -> LinkedCounts:
    def value() -> int:
        return generator.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 15, 40])

    return table({f"r{i}": {f"c{j}": value() for j in range(columns)} for i in range(rows)})


def _hidden_readings(counts: LinkedCounts, hidden: Iterable[Key]) -> Protection:
    return Protection(5, counts.values, frozenset(), frozenset(hidden))


def test_the_audit_agrees_with_linear_programming_on_random_patterns() -> None:
    generator = random.Random(14)
    checked = pinned = 0
    for _ in range(40):
        counts = _random_table(generator, generator.randint(2, 4), generator.randint(2, 4))
        cells = [key for key in counts.values if key != "T"]
        hidden = set(generator.sample(cells, generator.randint(1, len(cells) // 2)))
        expected = attacked(counts, _hidden_readings(counts, hidden))
        found = worked_out(counts, hidden, 5)
        assert sorted(map(str, found)) == sorted(map(str, expected)), hidden
        checked += len(hidden)
        pinned += len(found)
    assert checked > 150 and 0 < pinned < checked


def test_protected_random_tables_give_nothing_back() -> None:
    generator = random.Random(2024)
    for _ in range(25):
        counts = _random_table(generator, generator.randint(2, 5), generator.randint(2, 4))
        protection = protect(counts, 5)
        assert attacked(counts, protection) == []
        for key in protection.primary:
            assert 0 < counts.values[key] < 5
        for key, value in counts.values.items():
            if 0 < value < 5 and key != "T":
                assert protection.is_hidden(key), key


def test_publishing_is_refused_when_no_count_is_left_to_hide() -> None:
    counts = LinkedCounts()
    counts.count("baseline", 3, fixed=True)
    counts.count("a", 3)
    counts.add_sum("baseline", ["a"])
    with pytest.raises(DemineError, match=r"the count a could be worked out"):
        protect(counts, 5)


def test_counts_must_add_up() -> None:
    counts = LinkedCounts()
    counts.count("T", 5)
    counts.count("a", 2)
    with pytest.raises(ValueError, match="its parts add up to 2"):
        counts.add_sum("T", ["a"])
    with pytest.raises(ValueError, match="is 2 and 3"):
        counts.count("a", 3)
