"""swap / restore: the one way the patching seams replace a library's function and put it back."""

from __future__ import annotations

import types

from salesbook.reports.weasy.swap import original, restore, swap, swapped


def _library() -> types.SimpleNamespace:
    def double(x):
        return 2 * x

    return types.SimpleNamespace(double=double)


def test_a_swapped_function_answers_and_restore_puts_the_original_back():
    lib = _library()
    stock = lib.double
    assert not swapped(lib, "double") and original(lib, "double") is None
    swap(lib, "double", lambda x: 3 * x)
    assert swapped(lib, "double") and lib.double(2) == 6 and original(lib, "double") is stock
    assert restore(lib, "double")
    assert lib.double is stock and not swapped(lib, "double")
    assert not restore(lib, "double")   # nothing swapped any more: left as it is
    assert lib.double is stock


def test_restore_with_only_leaves_a_function_swapped_over_another_original():
    lib, other = _library(), _library()
    swap(lib, "double", lambda x: 3 * x)
    replacement = lib.double
    assert not restore(lib, "double", only=other.double)
    assert lib.double is replacement
    assert restore(lib, "double", only=original(lib, "double"))


def test_a_missing_name_is_not_swapped():
    assert not swapped(types.SimpleNamespace(), "double") and original(types.SimpleNamespace(), "double") is None
    assert not restore(types.SimpleNamespace(), "double")
