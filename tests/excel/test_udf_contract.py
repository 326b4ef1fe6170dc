"""Every worksheet function would register under real xlwings.

On Windows, xlwings' decorators inspect each function at import time: every ``@xw.arg`` name must be
a parameter, every type hint must resolve, and each hint's top-level type is looked up as a converter.
Here the decorators are no-ops, so this test checks the same rules from the source and the objects.
"""

from __future__ import annotations

import ast
import inspect
import typing

import pytest
from xlwings.conversion.framework import accessors  # the converter registry xlwings uses for hints

import salesbook.excel.functions as functions


def top_level_type(hint):
    """What xlwings.udfs.extract_type_and_annotations keeps (that module imports pywin32, so not here)."""
    if typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    return typing.get_origin(hint) or hint


def exported_functions() -> list:
    return [obj for name, obj in vars(functions).items() if name.startswith("SB_") and callable(obj)]


def decorator_calls(fn) -> list[ast.Call]:
    src = inspect.getsource(inspect.unwrap(fn))
    node = ast.parse(src.lstrip()).body[0]
    return [d for d in node.decorator_list if isinstance(d, ast.Call)]


def _name(call: ast.Call) -> str:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")


def test_there_are_worksheet_functions():
    assert exported_functions(), "salesbook.excel.functions exports no SB_ functions"


@pytest.mark.parametrize("fn", exported_functions(), ids=lambda f: f.__name__)
def test_arg_decorators_name_real_parameters(fn):
    params = inspect.signature(inspect.unwrap(fn)).parameters
    for call in decorator_calls(fn):
        if _name(call) == "arg":
            arg_name = call.args[0].value.lstrip("*")
            assert arg_name in params, f"{fn.__name__}: @xw.arg({arg_name!r}) is not a parameter"
    for p in params.values():
        assert p.kind in (p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL), f"{fn.__name__}: xlwings rejects {p.kind}"


@pytest.mark.parametrize("fn", exported_functions(), ids=lambda f: f.__name__)
def test_type_hints_resolve_to_xlwings_converters(fn):
    hints = typing.get_type_hints(inspect.unwrap(fn), include_extras=True)
    for name, hint in hints.items():
        top = top_level_type(hint)
        assert top in accessors, f"{fn.__name__}: hint of {name!r} ({hint}) has no xlwings converter"


@pytest.mark.parametrize("fn", exported_functions(), ids=lambda f: f.__name__)
def test_function_wizard_docs_in_both_languages(fn):
    doc = inspect.getdoc(fn) or ""
    assert any("\u4e00" <= ch <= "\u9fff" for ch in doc) and any(ch.isascii() and ch.isalpha() for ch in doc)
