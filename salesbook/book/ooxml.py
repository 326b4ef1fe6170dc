"""Small facts read straight from an .xlsx package (zip of XML), without a full parser."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import PurePosixPath

from defusedxml import ElementTree

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
_COUNTED_TAGS = {
    "data validations": re.compile(rb"<(?:\w+:)?dataValidation\b"),
    "conditional formats": re.compile(rb"<(?:\w+:)?cfRule\b"),
    "formulas": re.compile(rb"<(?:\w+:)?f\b"),
}
_DEFINED_NAME = re.compile(rb'<definedName\b[^>]*\bname="([^"]+)"')
_TABLE_NAME = re.compile(rb'<table\b[^>]*\bdisplayName="([^"]+)"')


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> worksheet part path."""
    wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.findall("p:Relationship", NS)}
    out: dict[str, str] = {}
    for s in wb.findall("m:sheets/m:sheet", NS):
        target = targets.get(s.get(f"{{{NS['r']}}}id"))
        if target:
            out[s.get("name")] = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
    return out


def changed_parts(a: str, b: str) -> set[str]:
    """Parts whose bytes differ between two packages (by CRC and size; no decompression), or that exist in
    only one of them."""
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        ia = {i.filename: (i.CRC, i.file_size) for i in za.infolist()}
        ib = {i.filename: (i.CRC, i.file_size) for i in zb.infolist()}
    return {n for n in ia.keys() | ib.keys() if ia.get(n) != ib.get(n)}


def feature_inventory(path: str, *, skip_sheets: frozenset[str] = frozenset(),
                      only_parts: set[str] | None = None) -> Counter[str]:
    """Counts of everything a round trip could lose, ignoring the sheets in ``skip_sheets``.

    Table names and defined names are counted per name (``table:Reps``), so a renamed or missing one
    shows up, not only a changed total.  ``only_parts`` limits the (costly) scan of sheet XML to those
    parts: a sheet copied byte for byte cannot have lost anything.
    """
    inv: Counter[str] = Counter()
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        for feature, prefix in FEATURE_PARTS.items():
            inv[feature] = sum(1 for n in names if n.startswith(prefix) and not n.endswith(".rels"))
        parts = sheet_parts(zf)
        for sheet, part in parts.items():
            if sheet in skip_sheets or part not in names or (only_parts is not None and part not in only_parts):
                continue
            data = zf.read(part)
            for feature, pattern in _COUNTED_TAGS.items():
                inv[feature] += len(pattern.findall(data))
        for m in _DEFINED_NAME.finditer(zf.read("xl/workbook.xml")):
            name = m.group(1).decode()
            if not name.startswith("_xlnm._FilterDatabase"):
                inv[f"defined name:{name}"] += 1
        for n in names:
            if n.startswith("xl/tables/") and n.endswith(".xml"):
                m = _TABLE_NAME.search(zf.read(n))
                if m and not m.group(1).decode().startswith("Out_"):
                    inv[f"table:{m.group(1).decode()}"] += 1
    # Out_ sheets are written by salesbook and carry no drawings or comments of the user's.
    return +inv


def losses(before: Counter[str], after: Counter[str]) -> list[str]:
    """Features present before and fewer (or gone) after, as readable labels."""
    lost = []
    for key, count in sorted(before.items()):
        if after.get(key, 0) < count:
            lost.append(f"{key} ({count} -> {after.get(key, 0)})")
    return lost


def label_zh(item: str) -> str:
    key = item.split(" (")[0]
    base = key.split(":")[0]
    return item.replace(base, FEATURE_ZH.get(base, base), 1)
