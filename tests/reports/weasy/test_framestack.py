"""The renderer's call through one big frame-stack chunk: same results, and a recursion that keeps
crossing CPython's 16 KB chunk boundaries no longer maps and faults in fresh memory every time."""

from __future__ import annotations

import platform
import resource
import sys

import pytest

from salesbook.reports.weasy import framestack


def _dive(depth: int) -> int:
    return 0 if depth == 0 else _dive(depth - 1) + 1


def _churn() -> int:
    """Down 300 frames and back up, 2,000 times: about 24 KB of frames, so at least one chunk boundary."""
    return sum(_dive(300) for _ in range(2_000))


def _faults(fn) -> tuple[int, int]:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    result = fn()
    return result, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def test_call_returns_what_the_function_returns_and_raises_what_it_raises():
    assert framestack.call(divmod, 17, 5) == (3, 2)
    with pytest.raises(ZeroDivisionError):
        framestack.call(divmod, 1, 0)


@pytest.mark.skipif(platform.python_implementation() != "CPython", reason="CPython's frame stack")
def test_the_call_runs_inside_a_padded_frame():
    slots = framestack.call(lambda: sys._getframe(1).f_code.co_nlocals)
    assert slots >= framestack.PAD_SLOTS


@pytest.mark.skipif(platform.python_implementation() != "CPython", reason="CPython's frame stack")
def test_deep_recursion_stops_mapping_fresh_stack_memory():
    _churn()  # warm up (code objects specialised, caches filled)
    direct_result, direct = _faults(_churn)
    padded_result, padded = _faults(lambda: framestack.call(_churn))
    assert direct_result == padded_result == 600_000
    if direct < 1_000:
        pytest.skip(f"this interpreter keeps its stack chunks ({direct} faults without the padded frame)")
    assert padded * 10 < direct, f"{padded} page faults through the padded frame vs {direct} without"
