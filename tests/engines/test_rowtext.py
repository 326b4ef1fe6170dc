"""Explanations assembled a column at a time give the characters per-row ``str.format`` and ``sep.join`` give."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from salesbook.engines.rowtext import format_rows, formatted, join_nonempty

RNG = np.random.default_rng(7)
N = 2_000


def _floats() -> np.ndarray:
    """Repeats, signed zeros, blanks, infinities, huge and tiny values: what tells formatting paths apart."""
    special = np.array([0.0, -0.0, np.nan, np.inf, -np.inf, 1e300, -1e-300, 0.005, 0.015, 2.675, 1234567.891])
    pool = np.concatenate([special, np.round(RNG.normal(0, 1e5, 50), 2), RNG.random(50)])
    return RNG.choice(pool, N)


@pytest.mark.parametrize("spec", ["", ",.2f", ".0%", ".1%", ".1f", "g", ">10,.3f"])
def test_floats_format_as_per_row(spec: str) -> None:
    x = _floats()
    assert formatted(x, spec, N).tolist() == [format(v, spec) for v in x]
    s = pd.Series(x)
    assert formatted(s, spec, N).tolist() == [format(v, spec) for v in s]


def test_signed_zero_keeps_its_sign() -> None:
    assert formatted(np.array([0.0, -0.0, 0.0]), ".2f", 3).tolist() == ["0.00", "-0.00", "0.00"]


def test_ints_bools_texts_and_mixed_columns() -> None:
    ints = RNG.integers(-5, 5, N)
    assert formatted(ints, "", N).tolist() == [format(v, "") for v in ints.tolist()]
    bools = RNG.random(N) < 0.5
    assert formatted(bools, "", N).tolist() == [format(bool(v), "") for v in bools]
    names = pd.Series(RNG.choice(["回款率", "Revenue", "new_logos", ""], N))   # str dtype (Arrow)
    assert formatted(names, ">8", N).tolist() == [format(v, ">8") for v in names]
    with_blank = pd.Series(["a", None, "b", np.nan], dtype=object)
    assert formatted(with_blank, "", 4).tolist() == ["a", "None", "b", "nan"]
    mixed = np.array([1, 1.0, True, "1"], dtype=object)   # equal to each other, printed differently
    assert formatted(mixed, "", 4).tolist() == ["1", "1.0", "True", "1"]
    dates = pd.Series(pd.to_datetime(["2026-01-31", "2026-02-28"]))
    assert formatted(dates, "%Y-%m", 2).tolist() == ["2026-01", "2026-02"]
    assert formatted(3.5, ".1f", 3).tolist() == ["3.5"] * 3


def test_templates_as_per_row() -> None:
    template = "{kpi}：实际 {actual:,.2f} / 目标 {target:,.2f} -> 得分 {score:.0%} × 权重 {w:.1%}"
    cols = {"kpi": RNG.choice(["Revenue", "回款率", "Visits"], N), "actual": _floats(), "target": _floats(),
            "score": RNG.random(N), "w": RNG.choice([0.2, 0.35, 0.45], N)}
    want = [template.format(**{k: v[i] for k, v in cols.items()}) for i in range(N)]
    assert format_rows(template, N, **cols).tolist() == want
    assert format_rows("{n} of {n:>4} {{literal}}", 2, n=np.array([3, 12])).tolist() == ["3 of    3 {literal}",
                                                                                       "12 of   12 {literal}"]
    assert format_rows("{x!r} and {y[0]}", 2, x=np.array(["a", "b"], dtype=object),
                       y=np.array([(1,), (2,)], dtype=object)).tolist() == ["'a' and 1", "'b' and 2"]
    assert format_rows("", 0).tolist() == []


def test_join_nonempty_as_per_row() -> None:
    parts = [RNG.choice(["", "a", "乙"], N).astype(object), RNG.choice(["", "c"], N).tolist(),
             pd.Series(RNG.choice(["", "dd", "e"], N)), np.full(N, "f", dtype=object)]
    want = ["; ".join(x for x in row if x) for row in zip(*parts, strict=True)]
    assert join_nonempty("; ", parts, N).tolist() == want
    empty_first = [np.array(["", "", "x"], dtype=object), np.array(["y", "", "z"], dtype=object)]
    assert join_nonempty("；", empty_first, 3).tolist() == ["y", "", "x；z"]
