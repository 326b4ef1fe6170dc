"""Independent checks of a workbook package: ECMA-376 schemas, Excel's stricter rules (RULES.md), cells.

Nothing here uses salesbook's own writer code: the package is read with zipfile, lxml and
python-calamine, so a check cannot share a mistake with what it checks.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import posixpath
import re
import zipfile
from pathlib import Path

import python_calamine as pc

XSD = Path(__file__).resolve().parent.parent / "data" / "ooxml-xsd"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
N = {"m": MAIN, "r": REL, "p": PKG, "c": CT}
SML_TYPES = ("sheet.main+xml", "sheet.macroEnabled.main+xml", "template.main+xml", "worksheet+xml", "styles+xml",
             "table+xml", "sharedStrings+xml")
DML_TYPES = ("drawingml.chart+xml", "officedocument.drawing+xml")  # chart parts, a sheet's drawing part


def etree():
    from lxml import etree as _etree

    return _etree


@functools.cache
def schema(name: str):
    et = etree()
    return et.XMLSchema(et.parse(str(XSD / name)))


class Package:
    """A workbook package opened for checking: parts, content types, relationships, sheets."""

    def __init__(self, path: Path):
        self.path = Path(path)
        with zipfile.ZipFile(path) as zf:
            self.parts = {n: zf.read(n) for n in zf.namelist()}
        et = etree()
        self.xml = functools.cache(lambda n: et.fromstring(self.parts[n]))
        ct = self.xml("[Content_Types].xml")
        self.defaults = {d.get("Extension").lower(): d.get("ContentType") for d in ct.findall("c:Default", N)}
        self.overrides = {o.get("PartName").lstrip("/"): o.get("ContentType") for o in ct.findall("c:Override", N)}

    def content_type(self, part: str) -> str | None:
        return self.overrides.get(part) or self.defaults.get(part.rsplit(".", 1)[-1].lower())

    def rels(self, part: str) -> list[tuple[str, str, str | None]]:
        """(id, type, target part or None if external) of ``part`` ('' = the package)."""
        p = "_rels/.rels" if not part else posixpath.join(posixpath.dirname(part), "_rels",
                                                          posixpath.basename(part) + ".rels")
        if p not in self.parts:
            return []
        out = []
        for r in self.xml(p).findall("p:Relationship", N):
            target = r.get("Target")
            if r.get("TargetMode") == "External":
                out.append((r.get("Id"), r.get("Type"), None))
                continue
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(posixpath.dirname(part), target))
            out.append((r.get("Id"), r.get("Type"), path))
        return out

    @functools.cached_property
    def workbook_part(self) -> str:
        return next(t for _, ty, t in self.rels("") if ty.endswith("/officeDocument"))

    @functools.cached_property
    def sheets(self) -> list[tuple[str, str]]:
        """(name, worksheet part) in workbook order."""
        targets = {i: t for i, _, t in self.rels(self.workbook_part)}
        return [(s.get("name"), targets[s.get(f"{{{REL}}}id")])
                for s in self.xml(self.workbook_part).findall("m:sheets/m:sheet", N)]


# -- schemas ---------------------------------------------------------------------------------------
def _resolve_markup_compatibility(root):
    """What a consumer knowing no extension sees: ignorable content dropped, AlternateContent -> Fallback."""
    ignorable = set()
    for el in root.iter():
        value = el.get(f"{{{MC}}}Ignorable")
        if value:
            ignorable |= {el.nsmap.get(p) for p in value.split()}
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.tag == f"{{{MC}}}AlternateContent":
            parent = el.getparent()
            fallback = el.find(f"{{{MC}}}Fallback")
            index = parent.index(el)
            parent.remove(el)
            for k, child in enumerate(list(fallback) if fallback is not None else []):
                parent.insert(index + k, child)
            continue
        if etree().QName(el).namespace in ignorable and el.getparent() is not None:
            el.getparent().remove(el)
            continue
        for key in list(el.attrib):
            if key.startswith("{") and (key[1:].split("}")[0] in ignorable or key.startswith(f"{{{MC}}}")):
                del el.attrib[key]
    return root


def xsd_errors(pkg: Package) -> list[str]:
    """Every SpreadsheetML part, chart and drawing part, [Content_Types].xml and every .rels part against the
    ECMA-376 schemas."""
    et = etree()
    errors = []
    for part in sorted(pkg.parts):
        if part == "[Content_Types].xml":
            sch = schema("contentTypes/opc-contentTypes.xsd")
        elif part.endswith(".rels"):
            sch = schema("relationships.xsd")
        elif (pkg.content_type(part) or "").endswith(SML_TYPES):
            sch = schema("sml/sml_check.xsd")
        elif (pkg.content_type(part) or "").endswith(DML_TYPES):
            sch = schema("dml/chart_check.xsd")
        else:
            continue
        doc = _resolve_markup_compatibility(et.fromstring(pkg.parts[part]))
        if not sch.validate(doc):
            errors += [f"{part}:{e.line}: {e.message}" for e in list(sch.error_log)[:5]]
    return errors


# -- Excel's stricter rules (RULES.md) -------------------------------------------------------------
def _sheet_roots(pkg: Package):
    for name, part in pkg.sheets:
        yield name, part, pkg.xml(part)


def _formula_problem(text: str) -> str | None:
    """Why ``text`` is not an Excel formula (None if it tokenizes as one)."""
    from openpyxl.formula.tokenizer import Token, Tokenizer

    if not text.strip():
        return "empty formula"
    try:
        tokens = [t for t in Tokenizer("=" + text).items if t.type != Token.WSPACE]
    except Exception as exc:  # the tokenizer's own message says where
        return f"does not tokenize: {exc}"
    if not tokens:
        return "no tokens"
    first = tokens[0]
    if first.type == Token.SEP or (first.type == Token.OP_IN):
        return f"starts with {first.value!r}"
    for a, b in itertools.pairwise(tokens):
        if a.type in (Token.OP_IN, Token.SEP) and b.type == Token.OP_IN:
            return f"two operators in a row: {a.value!r} {b.value!r}"
    if tokens[-1].type in (Token.OP_IN, Token.SEP) and tokens[-1].subtype != Token.CLOSE:
        return f"ends with {tokens[-1].value!r}"
    depth = 0
    for t in tokens:
        depth += 1 if t.subtype == Token.OPEN else -1 if t.subtype == Token.CLOSE else 0
        if depth < 0:
            return "unbalanced parentheses"
    return "unbalanced parentheses" if depth else None


def rule_formulas_parse(pkg: Package) -> list[str]:
    out = []
    for name, _, root in _sheet_roots(pkg):
        for c in root.iterfind(".//m:sheetData/m:row/m:c", N):
            f = c.find("m:f", N)
            if f is not None and f.text is not None:
                problem = _formula_problem(f.text)
                if problem:
                    out.append(f"{name}!{c.get('r')}: <f>{f.text[:40]}</f> {problem}")
    return out


def rule_cell_text_limit(pkg: Package) -> list[str]:
    out = []
    texts = []
    if "xl/sharedStrings.xml" in pkg.parts:
        texts += [("sharedStrings", "".join(si.itertext())) for si in pkg.xml("xl/sharedStrings.xml")]
    for name, _, root in _sheet_roots(pkg):
        texts += [(f"{name}!{c.get('r')}", "".join(c.find("m:is", N).itertext()))
                  for c in root.iterfind(".//m:c[@t='inlineStr']", N) if c.find("m:is", N) is not None]
    for where, text in texts:
        units = len(text.encode("utf-16-le")) // 2
        if units > 32_767:
            out.append(f"{where}: {units} characters")
    return out


def rule_one_selected_tab(pkg: Package) -> list[str]:
    view = pkg.xml(pkg.workbook_part).find("m:bookViews/m:workbookView", N)
    active = int(view.get("activeTab", "0")) if view is not None else 0
    selected = [i for i, (_, _, root) in enumerate(_sheet_roots(pkg))
                if root.find("m:sheetViews/m:sheetView[@tabSelected='1']", N) is not None
                or root.find("m:sheetViews/m:sheetView[@tabSelected='true']", N) is not None]
    if active >= len(pkg.sheets):
        return [f"activeTab {active} but only {len(pkg.sheets)} sheets"]
    if any(i != active for i in selected):
        names = [pkg.sheets[i][0] for i in selected]
        return [f"sheets {names} selected but the active sheet is {pkg.sheets[active][0]!r} (a group selection)"]
    return []


def rule_validation_formulas_bare(pkg: Package) -> list[str]:
    out = []
    for name, _, root in _sheet_roots(pkg):
        for dv in root.iterfind(".//m:dataValidation", N):
            for tag in ("formula1", "formula2"):
                f = dv.find(f"m:{tag}", N)
                if f is not None and (f.text or "").startswith("="):
                    out.append(f"{name} {dv.get('sqref')}: <{tag}>{f.text[:40]}")
                elif f is not None and f.text and not f.text.startswith('"'):
                    problem = _formula_problem(f.text)
                    if problem:
                        out.append(f"{name} {dv.get('sqref')}: <{tag}>{f.text[:40]} {problem}")
    return out


def _cell_text(pkg: Package, c, shared: list[str]) -> str | None:
    t = c.get("t")
    if t == "inlineStr":
        return "".join(c.find("m:is", N).itertext())
    v = c.find("m:v", N)
    if v is None:
        return None
    return shared[int(v.text)] if t == "s" else v.text


def _shared(pkg: Package) -> list[str]:
    for _, ty, target in pkg.rels(pkg.workbook_part):
        if ty.endswith("/sharedStrings") and target in pkg.parts:
            return ["".join(si.itertext()) for si in pkg.xml(target)]
    return []


def _ref(cell: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", cell)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def rule_table_columns(pkg: Package) -> list[str]:
    """Table column names unique ignoring case, equal to the header cells; table names unique."""
    out = []
    shared = _shared(pkg)
    table_names: set[str] = set()
    for name, part, root in _sheet_roots(pkg):
        cells = {c.get("r"): c for c in root.iterfind(".//m:sheetData/m:row/m:c", N)}
        for _, ty, target in pkg.rels(part):
            if not ty.endswith("/table"):
                continue
            table = pkg.xml(target)
            tname = table.get("displayName", "")
            if tname.casefold() in table_names:
                out.append(f"table name {tname} used twice")
            table_names.add(tname.casefold())
            cols = [tc.get("name") for tc in table.iterfind("m:tableColumns/m:tableColumn", N)]
            folded = [c.casefold() for c in cols]
            if len(set(folded)) != len(folded):
                out.append(f"{tname}: column names not unique ignoring case: {cols}")
            first = table.get("ref").split(":")[0]
            row, col = _ref(first)
            if table.get("headerRowCount", "1") != "0":
                for k, cname in enumerate(cols):
                    letter = ""
                    n = col + k
                    while n:
                        n, rem = divmod(n - 1, 26)
                        letter = chr(65 + rem) + letter
                    c = cells.get(f"{letter}{row}")
                    text = _cell_text(pkg, c, shared) if c is not None else None
                    if text != cname:
                        out.append(f"{name}!{letter}{row}: header {text!r} but table column {cname!r}")
    return out


def rule_edge_whitespace_preserved(pkg: Package) -> list[str]:
    out = []
    xml_space = "{http://www.w3.org/XML/1998/namespace}space"
    parts = [name for name, _ in pkg.sheets] + (["sharedStrings"] if "xl/sharedStrings.xml" in pkg.parts else [])
    for where in parts:
        root = pkg.xml("xl/sharedStrings.xml") if where == "sharedStrings" else pkg.xml(dict(pkg.sheets)[where])
        for t in root.iter(f"{{{MAIN}}}t"):
            text = t.text or ""
            if text != text.strip() and t.get(xml_space) != "preserve":
                out.append(f"{where}: <t>{text[:30]!r} without xml:space=\"preserve\"")
    return out


def rule_styles_consistent(pkg: Package) -> list[str]:
    out = []
    styles = next(t for _, ty, t in pkg.rels(pkg.workbook_part) if ty.endswith("/styles"))
    root = pkg.xml(styles)
    ids = [f.get("numFmtId") for f in root.iterfind("m:numFmts/m:numFmt", N)]
    if len(set(ids)) != len(ids):
        out.append(f"numFmtId used twice: {ids}")
    for tag, item in (("numFmts", "numFmt"), ("fonts", "font"), ("fills", "fill"), ("borders", "border"),
                      ("cellXfs", "xf"), ("cellStyleXfs", "xf")):
        el = root.find(f"m:{tag}", N)
        if el is not None and el.get("count") is not None and int(el.get("count")) != len(el.findall(f"m:{item}", N)):
            out.append(f"{tag} count={el.get('count')} but {len(el.findall(f'm:{item}', N))} items")
    xfs = root.findall("m:cellXfs/m:xf", N)
    if len(xfs) > 64_000:
        out.append(f"{len(xfs)} cell formats (Excel's limit is 64,000)")
    custom = len(ids)
    if custom > 200:
        out.append(f"{custom} custom number formats (Excel allows 200 to 250)")
    for name, _, sheet in _sheet_roots(pkg):
        for c in sheet.iterfind(".//m:c[@s]", N):
            if int(c.get("s")) >= len(xfs):
                out.append(f"{name}!{c.get('r')}: style {c.get('s')} of {len(xfs)}")
                break
    return out


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def rule_sheet_names(pkg: Package) -> list[str]:
    out = []
    seen = set()
    for name, _ in pkg.sheets:
        if not name or len(name) > 31 or _BAD_SHEET_CHARS.search(name) or name.startswith("'") or name.endswith("'"):
            out.append(f"sheet name {name!r} not allowed")
        if name.casefold() in seen:
            out.append(f"sheet name {name!r} used twice (ignoring case)")
        seen.add(name.casefold())
    return out


def rule_package_complete(pkg: Package) -> list[str]:
    """Every relationship target exists, every part is reached and has a content type, no stale Override."""
    out = []
    reached = {"[Content_Types].xml"}
    todo = [""]
    while todo:
        part = todo.pop()
        rels = "_rels/.rels" if not part else posixpath.join(posixpath.dirname(part), "_rels",
                                                             posixpath.basename(part) + ".rels")
        if rels in pkg.parts:
            reached.add(rels)
        for rid, _, target in pkg.rels(part):
            if target is None:
                continue
            if target not in pkg.parts:
                out.append(f"{part or 'package'} {rid} -> missing {target}")
            elif target not in reached:
                reached.add(target)
                todo.append(target)
    out += [f"orphan part {p}" for p in sorted(set(pkg.parts) - reached) if not p.endswith("/")]
    out += [f"no content type for {p}" for p in pkg.parts if not p.endswith(".rels") and p != "[Content_Types].xml"
            and pkg.content_type(p) is None]
    out += [f"Override for missing part {p}" for p in pkg.overrides if p not in pkg.parts]
    return out


def rule_defined_names(pkg: Package) -> list[str]:
    out = []
    seen = set()
    wb = pkg.xml(pkg.workbook_part)
    for d in wb.iterfind("m:definedNames/m:definedName", N):
        scope = d.get("localSheetId")
        if scope is not None and int(scope) >= len(pkg.sheets):
            out.append(f"name {d.get('name')} scoped to sheet {scope} of {len(pkg.sheets)}")
        key = (d.get("name").casefold(), scope)
        if key in seen:
            out.append(f"name {d.get('name')} defined twice in one scope")
        seen.add(key)
    return out


def rule_rows_and_cells_ordered(pkg: Package) -> list[str]:
    out = []
    for name, _, root in _sheet_roots(pkg):
        last_row = 0
        for row in root.iterfind("m:sheetData/m:row", N):
            r = int(row.get("r", last_row + 1))
            if r <= last_row:
                out.append(f"{name}: row {r} after row {last_row}")
                break
            last_row, last_col = r, 0
            for c in row.iterfind("m:c", N):
                if c.get("r") is None:
                    last_col += 1
                    continue
                cr, cc = _ref(c.get("r"))
                if cr != r or cc <= last_col:
                    out.append(f"{name}!{c.get('r')}: out of order in row {r}")
                    break
                last_col = cc
    return out


RULES = {
    "formulas_parse": rule_formulas_parse,
    "cell_text_limit": rule_cell_text_limit,
    "one_selected_tab": rule_one_selected_tab,
    "validation_formulas_bare": rule_validation_formulas_bare,
    "table_columns": rule_table_columns,
    "edge_whitespace_preserved": rule_edge_whitespace_preserved,
    "styles_consistent": rule_styles_consistent,
    "sheet_names": rule_sheet_names,
    "package_complete": rule_package_complete,
    "defined_names": rule_defined_names,
    "rows_and_cells_ordered": rule_rows_and_cells_ordered,
}


# -- cells ---------------------------------------------------------------------------------------------
def cell_grid(path: Path) -> dict[str, list[list]]:
    """Every sheet's cell values as python-calamine reads them."""
    wb = pc.CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float | int) and not isinstance(b, bool):
        return a == b or math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300)
    if isinstance(a, int) and isinstance(b, float) and not isinstance(a, bool):
        return float(a) == b
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        return abs((a - b).total_seconds()) < 0.001
    return a == b


def cell_differences(ours: dict[str, list[list]], theirs: dict[str, list[list]], limit: int = 20) -> list[str]:
    """Cells that differ between two grids (sheet by sheet; trailing blanks ignored)."""
    out = []
    if list(ours) != list(theirs):
        out.append(f"sheets {list(ours)} != {list(theirs)}")
    for name in ours:
        a, b = ours[name], theirs.get(name, [])
        for i in range(max(len(a), len(b))):
            ra = a[i] if i < len(a) else []
            rb = b[i] if i < len(b) else []
            for j in range(max(len(ra), len(rb))):
                va = ra[j] if j < len(ra) else ""
                vb = rb[j] if j < len(rb) else ""
                if not _same(va, vb):
                    out.append(f"{name} row {i + 1} col {j + 1}: {va!r} != {vb!r}")
                    if len(out) >= limit:
                        return out
    return out
