"""The optional parts of salesbook, what each needs installed, and the one message that says how to get it.

The calculation side (engines, validation, the xlwings functions and macros, ``salesbook new``, ``validate``,
``run``, ``demo --no-reports``) needs none of them, so it installs where WeasyPrint's Pango or Dask cannot
(xlwings Lite).  The reviews need the ``reports`` extra; ``salesbook report --scheduler`` the ``dask`` one.
salesbook is installed from a clone or a wheel, never by name from an index, so the message names both.
"""

from __future__ import annotations

import importlib.util

from salesbook.errors import InputError, problem
from salesbook.messages import Words, items

# extra -> the modules salesbook imports from it (the pyproject's extra lists the distributions)
EXTRAS: dict[str, tuple[str, ...]] = {
    "reports": ("weasyprint", "jinja2", "markupsafe", "fontTools", "cssselect2"),
    "dask": ("distributed",),
}
_WHAT = {"reports": ("the PDF and HTML reviews need", "生成 PDF 和 HTML 报告需要"),
         "dask": ("--scheduler needs", "--scheduler 需要")}


class MissingExtra(InputError, ImportError):
    """An optional part is not installed: an input problem for the CLI (exit 2), an ImportError for Python."""


def missing(extra: str) -> list[str]:
    """The modules of ``extra`` that cannot be imported here."""
    return [m for m in EXTRAS[extra] if importlib.util.find_spec(m) is None]


def require(extra: str, *, instead: Words | None = None) -> None:
    """Raise MissingExtra, saying how to install ``extra`` (and what to do ``instead``), unless all it needs
    can be imported."""
    absent = missing(extra)
    if absent:
        from salesbook.version import __version__

        need_en, need_zh = _WHAT[extra]
        wheel = f"salesbook-{__version__}-py3-none-any.whl"
        raise MissingExtra(problem(
            "{need} salesbook's {extra} extra, which is not installed (missing: {modules}). Install it with "
            "pip install '.[{extra}]' in a clone of salesbook, or pip install '{wheel}[{extra}]' beside the wheel.{instead}",
            "{need}安装 salesbook 的可选组件（缺少：{modules}）。在 salesbook 源码目录中运行 pip install '.[{extra}]'，"
            "或在安装包所在目录运行 pip install '{wheel}[{extra}]'。{instead}",
            need=Words(need_en, need_zh), extra=extra, modules=items(absent), wheel=wheel,
            instead=instead or Words("", "")))

