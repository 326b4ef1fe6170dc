"""The Arrow shortcuts of the output writer give the bytes of its plain Python path: numbers as ``repr``
writes them, and text cells classified (formula quote, xml:space) and escaped as ``_inline_head`` and
``_xml_text`` do it, one text at a time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from salesbook.book import graft

pa = pytest.importorskip("pyarrow")


def _doubles(rng: np.random.Generator) -> np.ndarray:
    """Doubles of every kind: random bit patterns, decimals of each length, neighbours of powers of ten
    (where repr's notation and digit count change), whole numbers past 1e15, and the specials."""
    n = 400_000
    bits = rng.integers(0, 2**64, n, dtype=np.uint64).view(np.float64)
    scaled = rng.uniform(1, 10, n) * 10.0 ** rng.integers(-6, 18, n) * rng.choice([-1.0, 1.0], n)
    decimals = np.concatenate([np.round(rng.uniform(-1e7, 1e7, 40_000), d) for d in range(12)])
    tens = 10.0 ** np.arange(-6, 18)
    edges = np.concatenate([np.nextafter(tens, np.inf), np.nextafter(tens, -np.inf), tens, -tens,
                            tens + 0.5, 1e16 - 2.0 ** np.arange(0, 4), [1e15 + 0.5, 1e-4, 9.999999999999999e-05]])
    specials = np.array([0.0, -0.0, np.nan, np.inf, -np.inf, 5e-324, 2.0**43 - 0.01, 2.0**53, 0.1 + 0.2])
    return np.concatenate([bits, scaled, decimals, edges, specials])


def test_arrow_numbers_are_repr_over_millions_of_doubles():
    x = _doubles(np.random.default_rng(11))
    with np.errstate(invalid="ignore"):   # inf - inf while telling whole numbers apart
        plain = graft._number_texts(x)
        by_arrow = graft._arrow_number_texts(x).to_pylist()
    assert by_arrow == [None if v is None else v for v in plain.tolist()]
    with np.errstate(invalid="ignore"):
        band = np.isfinite(x) & (np.abs(x) >= 1e-4) & (np.abs(x) < 1e16) & (x != np.trunc(x))
    assert band.sum() > 500_000   # the shortcut was exercised, not only repr


SPACES = [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2028", "\u3000", "\u200b"]
PIECES = ["plain", "=SUM(A1)", "+1", "-2", "@cmd", "a & <b> \"q\" 'x'", "ctl\x01char", "bad\ufffe", "_x0041_",
          "_X00a1_", "_x00G1_", "中文说明 -> 得分", "😀 emoji", "", "A1", "&amp;", "tail\x1f"]


def _texts(rng: np.random.Generator, n: int) -> list[str | None]:
    out: list[str | None] = []
    for _ in range(n):
        k = rng.integers(0, 8)
        if k == 0:
            out.append(None)
            continue
        text = "".join(rng.choice(PIECES, rng.integers(1, 4)))
        if rng.random() < 0.3:
            text = rng.choice(SPACES) + text
        if rng.random() < 0.3:
            text = text + rng.choice(SPACES)
        out.append(text + str(rng.integers(0, n // 2)))
    return out


@pytest.mark.parametrize("rows", [6_000, 24_000])   # the larger: its mostly distinct texts are not coded
@pytest.mark.parametrize("dtype", ["str", object, pd.StringDtype("python"), "chunked"])
def test_arrow_text_cells_are_the_python_ones(monkeypatch, dtype, rows):
    rng = np.random.default_rng(5)
    texts = _texts(rng, rows)
    if dtype == "chunked":   # an Arrow-backed column in pieces, as a concatenation leaves it
        column = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([texts[:rows // 3], texts[rows // 3:]])))
    else:
        column = pd.Series(texts, dtype=dtype)
    styles = graft._Styles(header=1, text=2, quoted=3, by_format={})
    distinct = graft._arrow_distinct_cells(column, graft._Ref("A", graft._RowNumbers(2, rows)), styles)
    assert (distinct is not None) == (rows > graft._DISTINCT_MIN_ROWS)
    frame = pd.DataFrame({"text": column, "few": pd.Series(
        rng.choice(["=x", " a", "b\n", "c"], len(texts)), dtype="str" if dtype == "chunked" else dtype), "empty": pd.Series([""] * len(texts))})
    monkeypatch.setattr(graft, "_CHUNK_ROWS", 1_000)

    def xml() -> tuple[bytes, int]:
        sheet = graft._sheet_xml(frame, None, "en", styles, "rId1", choices_zh=False)
        return b"".join(c.encode("utf-8") if isinstance(c, str) else c for c in sheet.chunks), sheet.max_bytes

    by_arrow, bound = xml()
    monkeypatch.setattr(graft, "pa", None)
    plain, _ = xml()
    assert by_arrow == plain
    assert len(by_arrow) <= bound
    assert b's="3" t="inlineStr"><is><t xml:space="preserve">' in plain and b"_x005F_x0041_" in plain


def test_long_texts_take_the_python_path_and_are_cut():
    styles = graft._Styles(header=1, text=2, quoted=3, by_format={})
    cuts: list[tuple[str, int]] = []
    series = pd.Series(["x" * 40_000, "short", None])
    cells = graft._column_cells(series, graft._Ref("A", np.array(["2", "3", "4"], dtype=object)), None, styles,
                                cut=lambda ref, n: cuts.append((ref, n)))
    assert cuts == [("A2", 40_000)]
    assert cells.pieces[-2].texts is not None   # cut by the Python path
