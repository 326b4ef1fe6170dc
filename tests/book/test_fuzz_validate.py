"""Arbitrary cell contents never crash validation: every table either loads or yields located problems."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesbook.book.base import RawTable
from salesbook.book.validate import read_table
from salesbook.errors import Problem
from salesbook.schemas import REGISTRY, input_tables

cell = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.sampled_from(["", " ", "#N/A", "#DIV/0!", "=1+1", "12%", "1,234.5", "2026-02-30",
                                           "2026年3月1日", "是", "yes", "manager", "销售经理"]),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
)


@st.composite
def raw_tables(draw):
    table = draw(st.sampled_from(input_tables()))
    labels = [c.label_en for c in table.columns] + [c.zh for c in table.columns] + ["junk", None, ""]
    headers = draw(st.lists(st.sampled_from(labels), min_size=0, max_size=len(table.columns) + 2))
    width = len(headers)
    rows = draw(st.lists(st.lists(cell, min_size=width, max_size=width), max_size=12))
    return table, RawTable(name=table.name, sheet=table.zh, headers=headers, rows=rows, header_row=3, first_col=2)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw_tables())
def test_validation_returns_a_frame_or_located_problems(case):
    table, raw = case
    frame, problems, _ = read_table(raw, table, require_rows=True)
    assert list(frame.columns) == table.column_names
    assert len(frame) == len(raw.rows)
    for p in problems:
        assert isinstance(p, Problem) and p.sheet == table.zh
        assert p.row is None or 3 <= p.row <= 3 + max(len(raw.rows), 1)
        assert p.render("zh") and p.render("en")
    if not problems:
        for col in table.columns:
            if col.required:
                assert frame[col.name].notna().all()


def test_registry_has_input_tables():
    assert len(input_tables()) >= 21 and "Deals" in REGISTRY
