"""Small facts read straight from an .xlsx package (zip of XML), without a full parser."""

from __future__ import annotations

import re
import zipfile
from collections import Counter

from defusedxml import ElementTree

from salesbook.book.package import main_part, relationships, rels_of

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "p": "http://schemas.openxmlformats.org/package/2006/relationships"}

# Part families openpyxl may drop on a load/save round trip; each is checked by count.
FEATURE_PARTS = {
    "charts": "xl/charts/chart",
    "drawings": "xl/drawings/drawing",
    "images": "xl/media/",
    "VBA project": "xl/vbaProject.bin",
    "pivot tables": "xl/pivotTables/",
    "pivot caches": "xl/pivotCache/",
    "slicers": "xl/slicers/",
    "slicer caches": "xl/slicerCaches/",
    "timelines": "xl/timelines/",
    "external links": "xl/externalLinks/externalLink",
    "form controls": "xl/ctrlProps/",
    "embedded objects": "xl/embeddings/",
    "ActiveX controls": "xl/activeX/",
    "threaded comments": "xl/threadedComments/",
    "comments": "xl/comments",
    "custom XML": "customXml/item",
}
FEATURE_ZH = {
    "charts": "图表", "drawings": "绘图对象", "images": "图片", "VBA project": "VBA 宏", "pivot tables": "数据透视表",
    "pivot caches": "透视表缓存", "slicers": "切片器", "slicer caches": "切片器缓存", "timelines": "日程表",
    "external links": "外部链接", "form controls": "表单控件", "embedded objects": "嵌入对象",
    "ActiveX controls": "ActiveX 控件", "threaded comments": "批注（新版）", "comments": "批注",
    "custom XML": "自定义 XML", "data validations": "数据验证", "conditional formats": "条件格式",
    "defined names": "名称定义", "defined name": "名称定义", "formulas": "公式", "tables": "表格", "table": "表格",
}
_COUNTED_TAGS = {  # elements of a sheet counted by local name, whatever their prefix
    "data validations": re.compile(rb"<(?:[\w.-]+:)?dataValidation\b"),
    "conditional formats": re.compile(rb"<(?:[\w.-]+:)?cfRule\b"),
    "formulas": re.compile(rb"<(?:[\w.-]+:)?f\b"),
    "hyperlinks": re.compile(rb"<(?:[\w.-]+:)?hyperlink\b"),
    "merged cells": re.compile(rb"<(?:[\w.-]+:)?mergeCell\b"),
    "print settings": re.compile(rb"<(?:[\w.-]+:)?(?:printOptions|pageMargins|pageSetup|headerFooter|rowBreaks|"
                                 rb"colBreaks)\b"),
    "sheet protection": re.compile(rb"<(?:[\w.-]+:)?sheetProtection\b"),
    "sheet properties": re.compile(rb"<(?:[\w.-]+:)?sheetPr\b"),
}
# Where a worksheet's cell data starts and ends (its elements other than formulas live outside it).
_SHEET_DATA_OPEN = re.compile(rb"<(?:[\w.-]+:)?sheetData\b")
_SHEET_DATA_CLOSE = re.compile(rb"</(?:[\w.-]+:)?sheetData>")
_ANCHOR = re.compile(rb"<(?:[\w.-]+:)?(?:twoCellAnchor|oneCellAnchor|absoluteAnchor)\b")
_COMMENT = re.compile(rb"<(?:[\w.-]+:)?comment\b")
# What a sheet's relationship of a given type stands for (the last segment of the type URI).
_RELATED = {"drawing": "drawings", "vmlDrawing": "legacy drawings", "comments": "comment parts",
            "threadedComment": "threaded comments", "printerSettings": "printer settings",
            "pivotTable": "pivot tables", "oleObject": "embedded objects", "control": "form controls",
            "ctrlProp": "form controls", "image": "images", "chart": "charts", "slicer": "slicers",
            "timeline": "timelines", "queryTable": "query tables", "customProperty": "custom properties"}
_NOT_COUNTED = {"table", "hyperlink"}  # tables are counted by name, hyperlinks by element
FEATURE_ZH.update({"legacy drawings": "旧式绘图（批注/控件）", "comment parts": "批注", "printer settings": "打印机设置",
                   "print settings": "打印设置", "hyperlinks": "超链接", "merged cells": "合并单元格",
                   "sheet protection": "工作表保护", "sheet properties": "工作表属性", "drawing objects": "绘图对象",
                   "query tables": "查询表", "custom properties": "自定义属性"})
_DEFINED_NAME = re.compile(rb'<(?:[\w.-]+:)?definedName\b[^>]*\bname="([^"]+)"')
_TABLE_NAME = re.compile(rb'<(?:[\w.-]+:)?table\b[^>]*\bdisplayName="([^"]+)"')


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> worksheet part path (the workbook part and relationships found as the package names
    them, namespaces resolved whatever their prefixes)."""
    names = set(zf.namelist())

    def read(name: str) -> bytes | None:
        return zf.read(name) if name in names else None

    wb_part = main_part(read)
    wb = ElementTree.fromstring(zf.read(wb_part))
    targets = {r.id: r.target for r in relationships(read(rels_of(wb_part)), wb_part)}
    out: dict[str, str] = {}
    for s in wb.findall("m:sheets/m:sheet", NS):
        target = targets.get(s.get(f"{{{NS['r']}}}id"))
        if target:
            out[s.get("name")] = target
    return out


def changed_parts(a: str, b: str) -> set[str]:
    """Parts whose bytes differ between two packages (by CRC and size; no decompression), or that exist in
    only one of them."""
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        ia = {i.filename: (i.CRC, i.file_size) for i in za.infolist()}
        ib = {i.filename: (i.CRC, i.file_size) for i in zb.infolist()}
    return {n for n in ia.keys() | ib.keys() if ia.get(n) != ib.get(n)}


def on_sheet(feature: str, sheet: str) -> str:
    return f"{feature} on sheet {sheet}"


def count_sheet_tags(data: bytes) -> Counter[str]:
    """What a worksheet part carries, by element (validations, formulas, print settings ...).

    The cell data (sheetData) can hold only formulas of these, so it is searched for those alone, and
    only when a byte search finds where one could start: a large sheet of values costs a few scans."""
    out: Counter[str] = Counter()
    opened = _SHEET_DATA_OPEN.search(data)
    closed = None
    if opened is not None:
        closes = list(_SHEET_DATA_CLOSE.finditer(data, max(opened.start(), len(data) - (1 << 20))))
        closed = closes[-1] if closes else _SHEET_DATA_CLOSE.search(data, opened.start())
    if opened is None or closed is None:  # no cell data (or not where expected): every element counted
        for feature, pattern in _COUNTED_TAGS.items():
            out[feature] += len(pattern.findall(data))
        return out
    start, end = opened.start(), closed.end()
    outside = data[:start] + data[end:]
    for feature, pattern in _COUNTED_TAGS.items():
        out[feature] += len(pattern.findall(outside))
    if data.find(b"<f", start, end) >= 0 or data.find(b":f", start, end) >= 0:
        out["formulas"] += len(_COUNTED_TAGS["formulas"].findall(data, start, end))
    return out


def feature_inventory(path: str, *, only_parts: set[str] | None = None,
                      stand_ins: dict[str, bytes] | None = None) -> Counter[str]:
    """Counts of everything a round trip could lose: part families in the whole package, and per sheet
    (Out_ sheets included) what it carries, followed through its relationships: drawings and the
    charts, images and shapes in them, comments, printer settings ..., and its own elements
    (validations, conditional formats, formulas, print settings ...).

    Table names and defined names are counted per name (``table:Reps``), so a renamed or missing one
    shows up, not only a changed total.  ``only_parts`` limits the (costly) scan of sheet XML to those
    parts: a sheet copied byte for byte cannot have lost anything.  ``stand_ins`` are parts salesbook just
    generated, given as their XML without the cell rows (which hold values only), so they are not read back.
    Salesbook's own output tables (``Out_...``) are not counted.
    """
    inv: Counter[str] = Counter()
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        name_set = set(names)

        def read(name: str) -> bytes | None:
            return zf.read(name) if name in name_set else None

        for feature, prefix in FEATURE_PARTS.items():
            inv[feature] = sum(1 for n in names if n.startswith(prefix) and not n.endswith(".rels"))
        for sheet, part in sheet_parts(zf).items():
            if part not in name_set:
                continue
            for rel in relationships(read(rels_of(part)), part):
                kind = rel.type.rsplit("/", 1)[-1]
                if kind in _NOT_COUNTED:
                    continue
                inv[on_sheet(_RELATED.get(kind, kind), sheet)] += 1
                if rel.target is None or rel.target not in name_set:
                    continue
                if kind == "drawing":
                    inv[on_sheet("drawing objects", sheet)] += len(_ANCHOR.findall(zf.read(rel.target)))
                    for sub in relationships(read(rels_of(rel.target)), rel.target):
                        sub_kind = sub.type.rsplit("/", 1)[-1]
                        inv[on_sheet(_RELATED.get(sub_kind, sub_kind), sheet)] += 1
                elif kind == "comments":
                    inv[on_sheet("comments", sheet)] += len(_COMMENT.findall(zf.read(rel.target)))
            if only_parts is not None and part not in only_parts:
                continue
            data = stand_ins[part] if stand_ins and part in stand_ins else zf.read(part)
            for feature, count in count_sheet_tags(data).items():
                inv[on_sheet(feature, sheet)] += count
        for m in _DEFINED_NAME.finditer(zf.read(main_part(read))):
            name = m.group(1).decode()
            if not name.startswith("_xlnm._FilterDatabase"):
                inv[f"defined name:{name}"] += 1
        for n in names:
            if n.startswith("xl/tables/") and n.endswith(".xml"):
                m = _TABLE_NAME.search(zf.read(n))
                if m and not m.group(1).decode().startswith("Out_"):
                    inv[f"table:{m.group(1).decode()}"] += 1
    return +inv


def losses(before: Counter[str], after: Counter[str]) -> list[str]:
    """Features present before and fewer (or gone) after, as readable labels."""
    lost = []
    for key, count in sorted(before.items()):
        if after.get(key, 0) < count:
            lost.append(f"{key} ({count} -> {after.get(key, 0)})")
    return lost


def label_zh(item: str) -> str:
    key, _, counts = item.partition(" (")
    m = re.fullmatch(r"(.*) on sheet (.*)", key)
    if m:
        return f"工作表“{m.group(2)}”上的{FEATURE_ZH.get(m.group(1), m.group(1))} ({counts}"
    base = key.split(":")[0]
    return item.replace(base, FEATURE_ZH.get(base, base), 1)
