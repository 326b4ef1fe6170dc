"""Computed style values that the stylesheet never sets, looked up without WeasyPrint's general path.

Why: WeasyPrint (70) computes an element's style one property at a time, on first use, in
``ComputedStyle.__missing__``. That one method handles every case (cascaded values, ``var()``, math
functions, logical properties, text decorations, named pages), and it runs about 10,700 times per zh
rep review. Nine in ten of those calls are for properties the element has no declaration for, where the
answer is simply the parent's value (inherited properties) or the initial value; the general path still
runs its string rewriting and math checks for each. Measured with ``scripts/instructions.py`` (callgrind,
3 demo zh rep reviews): 1,037.6 M instructions per review before, 1,001.2 M after (-3.5%).

What it does: for a property absent from the element's cascaded declarations, the two plain cases are
answered directly, with the same result and the same caching as WeasyPrint's own method; everything
else (a declaration, the root element, logical properties the element sets, ``float``, ``display``,
``position``, ``page``, text decorations, an inherited math function) goes to WeasyPrint's method
unchanged. Where the installed WeasyPrint is not shaped as expected, nothing is changed.
"""

from __future__ import annotations

from typing import Any

from salesbook.reports.weasy.swap import restore, swap, swapped

#: Properties whose computing has side effects or special rules in WeasyPrint's method.
SPECIAL = frozenset({"float", "display", "position", "page"})


def install() -> bool:
    """Answer the plain cases directly (once per process); False if WeasyPrint is not shaped as expected."""
    try:
        import weasyprint.css as css
        from weasyprint.css.computed_values import COMPUTER_FUNCTIONS, PHYSICAL_FUNCTIONS
        from weasyprint.css.functions import check_math
        from weasyprint.css.properties import INHERITED, INITIAL_NOT_COMPUTED, INITIAL_VALUES
    except ImportError:  # pragma: no cover - WeasyPrint is a dependency
        return False
    computed_style = getattr(css, "ComputedStyle", None)
    original = getattr(computed_style, "__missing__", None)
    if swapped(computed_style, "__missing__"):  # installed already
        return True
    if original is None or any(check_math(value) for value in INITIAL_VALUES.values()):
        return False

    def __missing__(self: Any, key: str) -> Any:
        parent_style = self.parent_style
        if key in self.cascaded or parent_style is None or key in SPECIAL or key[:16] == "text_decoration_":
            return original(self, key)
        logical_function = PHYSICAL_FUNCTIONS.get(key)
        if logical_function is not None and logical_function(block="ttb", inline=self["direction"]) in self.cascaded:
            return original(self, key)
        if key in INHERITED or key[:2] == "__":
            value = parent_style[key]
            if check_math(value):  # a math function kept for later (percentages): WeasyPrint validates it again
                return original(self, key)
            self[key] = value
            return value
        value = INITIAL_VALUES[key]
        if key in INITIAL_NOT_COMPUTED:
            computer = COMPUTER_FUNCTIONS.get(key)
            if computer is not None:
                value = computer(self, key, value)
        self[key] = value
        return value

    swap(computed_style, "__missing__", __missing__)
    return True


def uninstall() -> None:
    """WeasyPrint's own method back (the benchmark's baseline, and tests comparing both)."""
    import weasyprint.css as css

    restore(css.ComputedStyle, "__missing__")
