"""Out_Dashboard in a computed workbook: chart parts valid against DrawingML, every series on cells that
exist and hold what the chart caches, formulas that LibreOffice computes to the same values (and that
follow an edit), a page LibreOffice renders with the charts on it, and in-place reruns that keep a
user's chart and never duplicate the dashboard's."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import fidelity_check as fc
import pytest

from salesbook.book.dashboard.labels import TEXT
from salesbook.book.template import write_book
from salesbook.demo import build_demo_tables
from salesbook.errors import InputError
from salesbook.pipeline import run_book

pytest.importorskip("lxml")
from lxml import etree

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
CHART_KEYS = ("monthly", "regions", "commission", "leads", "ratings")
_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^!]+))!\$([A-Z]+)\$(\d+)(?::\$([A-Z]+)\$(\d+))?$")


@pytest.fixture(scope="module")
def computed(tmp_path_factory) -> dict[str, Path]:
    """The small demo computed in each language."""
    out = {}
    for lang in ("en", "zh"):
        folder = tmp_path_factory.mktemp(f"dash_{lang}")
        book = write_book(folder / "book.xlsx", lang, build_demo_tables(lang, scale=0.05))
        out[lang] = run_book(book, folder / "computed.xlsx").output
    return out


def _charts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)}


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _cells(ref: str) -> tuple[str, list[tuple[int, int]]]:
    m = _REF.match(ref)
    assert m, ref
    sheet = (m.group(1) or "").replace("''", "'") or m.group(2)
    c1, r1 = _col(m.group(3)), int(m.group(4))
    c2, r2 = (_col(m.group(5)), int(m.group(6))) if m.group(5) else (c1, r1)
    return sheet, [(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_chart_and_drawing_parts_validate_against_the_drawingml_schema(computed, lang):
    pkg = fc.Package(computed[lang])
    kinds = [pkg.content_type(p) for p in pkg.parts]
    assert kinds.count("application/vnd.openxmlformats-officedocument.drawingml.chart+xml") == len(CHART_KEYS)
    assert kinds.count("application/vnd.openxmlformats-officedocument.drawing+xml") == 1
    assert fc.xsd_errors(pkg) == []
    assert [r for r in fc.RULES.values() if r(pkg)] == []


def test_the_schema_check_sees_a_broken_chart(computed, tmp_path):
    src = computed["en"]
    dest = tmp_path / "broken.xlsx"
    part = sorted(_charts(src))[0]
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == part:  # a bar chart without its direction
                data = re.sub(rb'<c:barDir val="\w+"/>', b"", data, count=1)
            zout.writestr(info, data)
    assert any(e.startswith(part) for e in fc.xsd_errors(fc.Package(dest)))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_series_points_at_existing_cells_holding_what_the_chart_caches(computed, lang):
    path = computed[lang]
    grids = fc.cell_grid(path)
    charts = _charts(path)
    titles = []
    for part, data in charts.items():
        root = etree.fromstring(data)
        titles.append("".join(root.find(f"{{{C}}}chart/{{{C}}}title").itertext()))
        for ser in root.iter(f"{{{C}}}ser"):
            for ref_el in ser.iter(f"{{{C}}}f"):
                sheet, cells = _cells(ref_el.text)
                assert sheet in grids, (part, ref_el.text)
                grid = grids[sheet]
                values = [grid[r - 1][c - 1] if r <= len(grid) and c <= len(grid[r - 1]) else "" for r, c in cells]
                cache = ref_el.getparent().find(f"{{{C}}}numCache") if ref_el.getparent().tag.endswith("numRef") \
                    else ref_el.getparent().find(f"{{{C}}}strCache")
                cached = {int(pt.get("idx")): pt.findtext(f"{{{C}}}v") for pt in cache.iter(f"{{{C}}}pt")}
                assert int(cache.find(f"{{{C}}}ptCount").get("val")) == len(cells)
                for i, v in enumerate(values):
                    if v == "":  # a gap (#N/A: a month not happened yet) has no point
                        assert i not in cached, (part, ref_el.text, i)
                    elif isinstance(v, float):
                        assert float(cached[i]) == pytest.approx(v, rel=1e-12), (part, ref_el.text, i)
                    else:
                        assert cached[i] == str(v), (part, ref_el.text, i)
    expected = [TEXT[lang][k] for k in ("monthly", "regions", "commission", "leads")]
    assert all(t in titles for t in expected)


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_computes_every_dashboard_formula_to_the_cached_value(computed, soffice_recalc, tmp_path):
    ours = computed["zh"]
    theirs = soffice_recalc(ours, "xlsx", tmp_path / "lo")
    a = fc.cell_grid(ours)["Out_Dashboard"]
    b = fc.cell_grid(theirs)["Out_Dashboard"]
    with zipfile.ZipFile(ours) as zf:
        formulas = sum(zf.read(n).count(b"<f>") for n in zf.namelist() if n.startswith("xl/worksheets/"))
    assert formulas > 100
    assert fc.cell_differences({"d": a}, {"d": b}) == []


def _edit_cell(src: Path, dest: Path, sheet: str, ref: str, new: float) -> None:
    """``src`` with one number cell of ``sheet`` changed, as a user typing over it."""
    part = dict(fc.Package(src).sheets)[sheet]
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == part:
                data, n = re.subn(rb'(<c r="' + ref.encode() + rb'"[^>]*>)<v>[^<]*</v>', rb"\g<1><v>%r</v>" % new, data)
                assert n == 1
            zout.writestr(info, data)


@pytest.mark.libreoffice
@pytest.mark.slow
def test_an_edited_target_moves_the_dashboard_figures_the_chart_reads(computed, soffice_recalc, tmp_path):
    src = computed["en"]
    grid = fc.cell_grid(src)
    tv = grid["Out_TargetVariance"]
    head = tv[0]
    row = next(i for i, r in enumerate(tv) if r[head.index("Level")] == 0 and r[head.index("Period")] == "2026-01")
    old = tv[row][head.index("Target")]
    edited = tmp_path / "edited.xlsx"
    _edit_cell(src, edited, "Out_TargetVariance", f"{chr(65 + head.index('Target'))}{row + 1}", old + 1_000_000.0)
    board_before = grid["Out_Dashboard"]
    board_after = fc.cell_grid(soffice_recalc(edited, "xlsx", tmp_path / "lo"))["Out_Dashboard"]
    # the monthly chart's Target series: which cells it reads
    monthly = next(d for d in _charts(src).values() if TEXT["en"]["monthly"].encode() in d)
    target = next(s for s in etree.fromstring(monthly).iter(f"{{{C}}}ser") if "".join(s.find(f"{{{C}}}tx").itertext())
                  .endswith("Target"))
    _, cells = _cells(target.find(f"{{{C}}}val/{{{C}}}numRef/{{{C}}}f").text)
    r, c = cells[0]
    assert board_after[r - 1][c - 1] == pytest.approx(board_before[r - 1][c - 1] + 1_000_000.0)  # 1,000,000 more
    assert board_after[r][c - 1] == pytest.approx(board_before[r][c - 1])  # February as it was


def _only_sheet(src: Path, dest: Path, keep: str) -> Path:
    """``src`` with every other sheet hidden: LibreOffice prints the visible sheets only."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        wb_part = fc.Package(src).workbook_part
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == wb_part:
                text = data.decode("utf-8")
                names = re.findall(r'<sheet\b[^>]*\bname="([^"]+)"', text)

                def hide(m: re.Match) -> str:
                    tag = re.sub(r'\sstate="[^"]*"', "", m.group(0))
                    return tag if f'name="{keep}"' in tag else tag.replace("<sheet ", '<sheet state="hidden" ', 1)

                text = re.sub(r"<sheet\b[^>]*/>", hide, text)
                text = re.sub(r'\s(?:activeTab|firstSheet)="\d+"', "", text)
                text = text.replace("<workbookView ", f'<workbookView activeTab="{names.index(keep)}" ', 1)
                data = text.encode("utf-8")
            elif info.filename.startswith("xl/worksheets/"):
                data = data.replace(b' tabSelected="1"', b"")
            zout.writestr(info, data)
    return dest


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_libreoffice_prints_the_dashboard_on_one_a4_landscape_page_with_its_charts(computed, soffice_recalc,
                                                                                    tmp_path, lang):
    if not (shutil.which("pdftoppm") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils (pdftoppm, pdftotext) is not installed")
    import numpy as np
    from PIL import Image

    pdf = soffice_recalc(_only_sheet(computed[lang], tmp_path / "board.xlsx", "Out_Dashboard"), "pdf", tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+1\b", info)
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    squeezed = re.sub(r"\s+", "", text)
    for key in ("title", "monthly", "regions", "commission", "leads", "figures"):
        assert re.sub(r"\s+", "", TEXT[lang][key]) in squeezed, key
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    pixels = np.asarray(Image.open(tmp_path / "page.png").convert("RGB"), dtype=int).reshape(-1, 3)

    def near(rgb: tuple[int, int, int]) -> int:
        return int((np.abs(pixels - np.array(rgb)).max(axis=1) < 24).sum())

    inked = float((pixels.min(axis=1) < 230).mean())
    navy, green = near((0x1E, 0x3A, 0x5F)), near((0x15, 0x80, 0x3D))
    assert inked > 0.05, f"the page is nearly blank ({inked:.1%} inked)"
    assert navy > 300 and green > 100, (navy, green)  # the actual and region bars, the rating bars


# ---- in place: a user's chart kept, the dashboard's replaced --------------------------------------------

def _user_chart_on_deals(src: Path, dest: Path) -> Path:
    """The input book with a chart a user made on the Deals sheet (openpyxl saves it, as a spreadsheet
    application would)."""
    import openpyxl
    from openpyxl.chart import BarChart, Reference

    wb = openpyxl.load_workbook(src)
    ws = wb["Deals"]
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=6, min_row=1, max_row=6), titles_from_data=True)
    ws.add_chart(chart, "P2")
    wb.save(dest)
    return dest


@pytest.mark.slow
def test_in_place_reruns_keep_a_users_chart_and_never_duplicate_the_dashboard(tmp_path):
    book = write_book(tmp_path / "in.xlsx", "en", build_demo_tables("en", scale=0.05))
    book = _user_chart_on_deals(book, tmp_path / "book.xlsx")
    user_charts = _charts(book)
    assert len(user_charts) == 1
    for _ in range(3):
        run_book(book, in_place=True)
    charts = _charts(book)
    assert len(charts) == 1 + len(CHART_KEYS)
    assert {k: v for k, v in charts.items() if k in user_charts} == user_charts  # byte for byte
    pkg = fc.Package(book)
    assert sum(1 for p in pkg.parts if re.fullmatch(r"xl/drawings/drawing\d+\.xml", p)) == 2
    assert fc.rule_package_complete(pkg) == [] and fc.rule_defined_names(pkg) == [] and fc.xsd_errors(pkg) == []
    names = [n for n in re.findall(rb'<definedName name="([^"]+)"', pkg.parts[pkg.workbook_part])]
    assert names.count(b"_xlnm.Print_Area") == 1
    run_book(book, in_place=True, only=["leads"])  # a smaller dashboard is no loss
    assert len(_charts(book)) == 2


def _user_chart_on_dashboard(src: Path, dest: Path) -> Path:
    """A computed book where a user added a chart of their own to the dashboard's drawing."""
    pkg = fc.Package(src)
    drawing = next(p for p in pkg.parts if re.fullmatch(r"xl/drawings/drawing\d+\.xml", p))
    rels = drawing.replace("drawings/", "drawings/_rels/") + ".rels"
    first_chart = sorted(_charts(src))[0]
    anchor = re.search(rb"<xdr:twoCellAnchor.*?</xdr:twoCellAnchor>", pkg.parts[drawing], re.S).group(0)
    mine = re.sub(rb'name="salesbook \w+"', b'name="Chart 9"', anchor).replace(b'r:id="rId1"', b'r:id="rId99"')
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == drawing:
                data = data.replace(b"</xdr:wsDr>", mine + b"</xdr:wsDr>")
            elif info.filename == rels:
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.'
                                    b'org/officeDocument/2006/relationships/chart" Target="../charts/chart99.xml"/>'
                                    b"</Relationships>")
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/charts/chart99.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.drawingml.chart+xml"/></Types>')
            zout.writestr(info, data)
        zout.writestr("xl/charts/chart99.xml", pkg.parts[first_chart])
    return dest


def test_in_place_refuses_to_drop_a_chart_a_user_put_on_the_dashboard(computed, tmp_path):
    book = _user_chart_on_dashboard(computed["en"], tmp_path / "mine.xlsx")
    assert fc.rule_package_complete(fc.Package(book)) == []
    before = book.read_bytes()
    with pytest.raises(InputError) as info:
        run_book(book, in_place=True)
    text = info.value.render("en")
    assert "charts on sheet Out_Dashboard (1 -> 0)" in text and "drawing objects on sheet Out_Dashboard (1 -> 0)" in text
    assert "charts (1 -> 0)" in text  # the user's one: the dashboard's own five are not counted
    assert book.read_bytes() == before
