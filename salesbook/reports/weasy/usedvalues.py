"""A box's used margins, paddings and sizes, and its plain (absent) background, set without a call per
property.

Why: WeasyPrint (70) sets a box's used values in ``resolve_percentages`` through two nested calls per
property (``resolve_one_percentage`` and ``percentage``), 15 properties per box, and a table cell is
laid out more than once. ``layout_box_backgrounds`` then walks every box of a page, resolving its four
corner radii through another call each and building the background's image list, to find for nearly
every box that there is no background. A zh rep review sets about 1,300 boxes' values and walks about
1,000 boxes for backgrounds. Both together: 3-4% of a review's CPU time (py-spy, 20 demo zh rep reviews;
``scripts/instructions.py`` gives the instruction count in README.md beside this file).

What it does:
- ``resolve_percentages`` does what WeasyPrint's does, in the same order, with the two per-property
  functions written inline; a value that is neither a length, a percentage, ``auto`` nor None (a math
  function) still goes to WeasyPrint's ``percentage``.
- ``layout_box_backgrounds`` answers one case itself: a box that is not the page, with square corners
  and no border image, mask image, background image or box shadow, and a transparent background colour
  (or hidden). It sets what WeasyPrint's function sets there: the corner radii (0, 0) and no background.
  Every other box goes to WeasyPrint's function.

Where the installed WeasyPrint is not shaped as expected, nothing is changed.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from salesbook.reports.weasy.swap import original, restore, swap, swapped

#: The layout modules that call ``resolve_percentages`` by the name they imported (flex asks the module).
CALLERS = ("absolute", "block", "column", "float", "grid", "inline", "page", "table")
_RADII = ("border_top_left_radius", "border_top_right_radius", "border_bottom_right_radius",
          "border_bottom_left_radius")
_BORDERS = ("border_top_width", "border_right_width", "border_bottom_width", "border_left_width")
_SIGNATURES = {"resolve_percentages": ("box", "containing_block"),
               "layout_box_backgrounds": ("page", "box", "get_image_from_uri", "layout_children", "style")}


def install() -> bool:
    """Set used values the short way (once per process); False if WeasyPrint is not shaped as expected."""
    try:
        import weasyprint.layout.background as background
        import weasyprint.layout.percent as percent
        from weasyprint.draw.color import get_color
        from weasyprint.formatting_structure import boxes
    except ImportError:  # pragma: no cover - WeasyPrint is a dependency
        return False
    resolve, backgrounds = getattr(percent, "resolve_percentages", None), getattr(
        background, "layout_box_backgrounds", None)
    if swapped(percent, "resolve_percentages"):   # installed already
        return True
    for name, function in (("resolve_percentages", resolve), ("layout_box_backgrounds", backgrounds)):
        if function is None or tuple(inspect.signature(function).parameters) != _SIGNATURES[name]:
            return False
    callers = [importlib.import_module(f"weasyprint.layout.{name}") for name in CALLERS]
    if not all(getattr(module, "resolve_percentages", None) is resolve for module in callers):
        return False
    percentage, adjust_box_sizing, check_math = percent.percentage, percent.adjust_box_sizing, percent.check_math
    box_class, page_box_class = boxes.Box, boxes.PageBox

    def used(box: Any, style: Any, name: str, refer_to: Any) -> None:
        value = style[name]
        if value is not None and value != "auto":
            unit = getattr(value, "unit", None)
            if unit is None:
                value = percentage(value, style, refer_to)
            elif unit == "%":
                value = refer_to * value.value / 100
            else:
                value = value.value
        setattr(box, name, 0 if value == "auto" and name in ("min_width", "min_height") else value)

    def resolve_percentages(box: Any, containing_block: Any) -> None:
        if isinstance(containing_block, box_class):
            cb_width, cb_height = containing_block.width, containing_block.height
        else:
            cb_width, cb_height = containing_block
        maybe_height = cb_height if isinstance(box, page_box_class) else cb_width
        style = box.style
        for name, refer_to in (("margin_left", cb_width), ("margin_right", cb_width), ("margin_top", maybe_height),
                               ("margin_bottom", maybe_height), ("padding_left", cb_width),
                               ("padding_right", cb_width), ("padding_top", maybe_height),
                               ("padding_bottom", maybe_height), ("width", cb_width), ("min_width", cb_width),
                               ("max_width", cb_width)):
            used(box, style, name, refer_to)
        if cb_height == "auto":
            height = style["height"]
            if height == "auto" or check_math(height) or height.unit == "%":
                box.height = "auto"
            else:
                assert height.unit.lower() == "px"
                box.height = height.value
            used(box, style, "min_height", 0)
            used(box, style, "max_height", float("inf"))
        else:
            used(box, style, "height", cb_height)
            used(box, style, "min_height", cb_height)
            used(box, style, "max_height", cb_height)
        collapse = style["border_collapse"] == "collapse"
        for name in _BORDERS:
            if not (collapse and hasattr(box, name)):
                setattr(box, name, style[name])
        adjust_box_sizing(box, "width")
        adjust_box_sizing(box, "height")

    def layout_box_backgrounds(page: Any, box: Any, get_image_from_uri: Any, layout_children: bool = True,
                               style: Any = None) -> None:
        own = box.style
        if box == page or not all((0, "px") in own[name] for name in _RADII):
            return backgrounds(page, box, get_image_from_uri, layout_children, style)
        if style is None:
            style = own
        visible = style["visibility"] != "hidden"
        if (style["border_image_source"][0] != "none" or style["mask_border_source"][0] != "none"
                or (visible and any(kind == "url" or value for kind, value in style["background_image"]))
                or (visible and get_color(style, "background_color").alpha != 0) or style["box_shadow"]):
            return backgrounds(page, box, get_image_from_uri, layout_children, style)
        for name in _RADII:
            setattr(box, name, (0, 0))
        if layout_children:
            for child in box.all_children():
                background.layout_box_backgrounds(page, child, get_image_from_uri)
        box.background = None
        return None

    for module in (percent, *callers):   # each held the same function (checked above)
        swap(module, "resolve_percentages", resolve_percentages)
    swap(background, "layout_box_backgrounds", layout_box_backgrounds)
    return True


def uninstall() -> None:
    """WeasyPrint's own functions back (the benchmark's baseline, and tests comparing both)."""
    import weasyprint.layout.background as background
    import weasyprint.layout.percent as percent

    resolve = original(percent, "resolve_percentages")
    if resolve is None:
        return
    for module in (percent, *(importlib.import_module(f"weasyprint.layout.{name}") for name in CALLERS)):
        restore(module, "resolve_percentages", only=resolve)
    restore(background, "layout_box_backgrounds")
