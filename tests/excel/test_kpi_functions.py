"""KPI worksheet functions with Excel-shaped arguments."""

from __future__ import annotations

import pytest

from salesbook.excel.functions import SB_AHP_CR, SB_AHP_WEIGHTS, SB_ENTROPY_WEIGHTS, SB_KPI_SCORE


def test_ahp_weights_from_a_range_with_fractions_typed_as_text():
    out = SB_AHP_WEIGHTS([[1.0, 3.0], ["1/3", 1.0]])
    assert out == [[pytest.approx(0.75)], [pytest.approx(0.25)]]
    assert SB_AHP_CR([[1.0, 3.0], ["1/3", 1.0]]) == pytest.approx(0.0)


@pytest.mark.parametrize(("matrix", "message"), [
    ([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]], "SB_AHP_WEIGHTS: matrix is not square (2x3)"),
    ([[1.0, 2.0], [2.0, 1.0]], "SB_AHP_WEIGHTS: not reciprocal: a[1,2] = 2 but a[2,1] = 2 (should be 0.5)"),
    ([[1.0, None], [1.0, 1.0]], "SB_AHP_WEIGHTS: matrix cell (1,2) is blank"),
    ([[1.0, "high"], [1.0, 1.0]], "SB_AHP_WEIGHTS: matrix cell (1,2): 'high' is not a number"),
])
def test_malformed_matrix_explains_itself(matrix, message):
    assert SB_AHP_WEIGHTS(matrix) == message


def test_entropy_and_score():
    w = SB_ENTROPY_WEIGHTS([[1.0, 2.0], [3.0, 4.0], [5.0, 1.0]])
    assert len(w) == 1 and sum(w[0]) == pytest.approx(1.0)
    assert SB_KPI_SCORE(90.0, 100.0) == pytest.approx(0.9)
    assert SB_KPI_SCORE(90.0, 100.0, "ttsl") == pytest.approx(0.75)
    assert SB_KPI_SCORE(30.0, 20.0, "linear", "lower") == pytest.approx(2 / 3)
    assert SB_KPI_SCORE("abc", 100.0) == "SB_KPI_SCORE: actual: 'abc' is not a number"
