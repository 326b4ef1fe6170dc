"""Real PDFs, read back with poppler: Chinese and English text, embedded CJK font, page X of Y,
bookmarks, metadata, repeated table headers, rows kept whole, and identical bytes for a pinned date."""

from __future__ import annotations

import re
import subprocess
import zlib
from pathlib import Path

import pytest
from reportkit import CREATED, outline, pdffonts, pdfinfo, pdftotext

from salesbook.reports import build_reports, render_reviews
from salesbook.reports.batch import created_stamp
from salesbook.reports.context import load_review_data, period_for, region_context
from salesbook.reports.fonts import charset, ensure_fonts
from salesbook.reports.pdf import PdfOptions, PdfRenderer
from salesbook.reports.templates import render_html

pytestmark = pytest.mark.usefixtures("poppler")


def _streams(pdf: Path) -> bytes:
    """Every stream of the file, inflated (the catalog sits in a compressed object stream)."""
    raw = pdf.read_bytes()
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", raw, re.S):
        try:
            out.append(zlib.decompress(m[1]))
        except zlib.error:
            continue
    return b"\n".join(out)


def _rep_pdf(folder: Path, rep_id: str) -> Path:
    [pdf] = folder.glob(f"rep_{rep_id}_*.pdf")
    return pdf


def test_zh_rep_review_pdf(zh_reports, computed_zh):
    out, result = zh_reports
    data = load_review_data(computed_zh)
    reps = data.tables["Reps"]
    assert result.ok, result.summary()
    assert len(result.files) == 2 * len(reps)
    rep = reps.iloc[2]
    pdf = _rep_pdf(out, rep["rep_id"])
    info = pdfinfo(pdf)
    pages = int(info["Pages"])
    assert info["Page size"].endswith("(A4)")
    assert info["Title"] == f"销售代表业绩回顾 · {rep['name']} · 2026财年第1季度"
    assert info["CreationDate"].startswith("Wed Apr  1 09:00:00 2026")
    assert b"/Lang (zh-CN)" in _streams(pdf)
    text = pdftotext(pdf)
    for needle in ("销售代表业绩回顾", rep["name"], "目标与实际（按月）", "产品组合", "KPI 考核", "达成率", "¥"):
        assert needle in text, needle
    squeeze = lambda text: re.sub(r"\s+", "", text)  # noqa: E731 - poppler drops the spaces between CJK glyphs
    assert f"第1页共{pages}页" in squeeze(pdftotext(pdf, 1, 1))
    assert f"第{pages}页共{pages}页" in squeeze(pdftotext(pdf, pages, pages))
    assert data.settings["company_name"] in pdftotext(pdf, pages, pages)  # running header on every page
    fonts = pdffonts(pdf)
    assert fonts and all(row[-5] == "yes" for row in fonts)  # every font embedded
    assert all("SB-CJK-Sans" in row[0] for row in fonts)      # only our cached subset: no slow system fallback
    marks = outline(pdf)
    assert marks[0].startswith("销售代表业绩回顾") and {"概览", "目标与实际（按月）", "产品组合"} <= set(marks)


def test_en_region_review_pdf(tmp_path, computed_en):
    result = build_reports(computed_en, tmp_path, per="region", formats=("pdf",), period="2026-03", workers=1,
                           progress=False, creation_date="2026-04-02")
    assert result.ok, result.summary()
    pdf = result.files[0]
    pages = int(pdfinfo(pdf)["Pages"])
    text = pdftotext(pdf)
    assert "Region performance review" in text and "March 2026" in text and "Reps compared" in text
    assert f"Page {pages} of {pages}" in pdftotext(pdf, pages, pages)
    assert b"/Lang (en)" in _streams(pdf)
    assert all(row[-5] == "yes" for row in pdffonts(pdf))
    assert "Reps compared" in outline(pdf)


def test_long_table_repeats_its_header_and_never_splits_a_row(tmp_path, computed_zh):
    data = load_review_data(computed_zh)
    ctx = region_context(data, data.tables["Reps"]["region_id"].iloc[0], period_for(data, "2026Q1"), "zh")
    base = ctx["reps"][0]
    ctx["reps"] = [{**base, "id": f"X{i:03d}", "name": f"测试代表{i:03d}", "payable": 1000.0 + i, "rank": i + 1}
                   for i in range(90)]
    html = render_html(ctx, created=created_stamp(CREATED), inline_css=False)
    fonts = ensure_fonts(charset([html]))
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(PdfRenderer(PdfOptions(fonts=fonts)).render(html, lang="zh"))
    pages = int(pdfinfo(pdf)["Pages"])
    assert pages >= 3
    seen = {}
    for page in range(1, pages + 1):
        text = pdftotext(pdf, page, page)
        names = re.findall(r"测试代表(\d{3})", text)
        if names:
            assert re.search(r"排名\s+姓名\s+岗位\s+目标\s+实际", text), f"page {page} has rows but no header"
        for line in text.splitlines():
            if m := re.search(r"测试代表(\d{3})", line):
                i = int(m[1])
                assert f"¥{1000 + i:,}" in line, f"row {i} split across lines or pages"
                seen[i] = page
    assert sorted(seen) == list(range(90))


def test_same_input_and_pinned_date_give_the_same_bytes(tmp_path, computed_zh):
    runs = []
    for name, created in (("a", CREATED), ("b", CREATED), ("c", "2026-05-01")):
        result = build_reports(computed_zh, tmp_path / name, per="company", formats=("pdf", "html"), workers=1,
                               progress=False, creation_date=created, zip_output=True)
        runs.append({p.name: p.read_bytes() for p in [*result.files, result.zip_path]})
    assert runs[0] == runs[1]
    pdf = next(k for k in runs[0] if k.endswith(".pdf"))
    assert runs[0][pdf] != runs[2][pdf]  # the date is really in the file


def test_pages_are_not_blank(zh_reports, tmp_path):
    from PIL import Image

    out, _ = zh_reports
    pdf = sorted(out.glob("rep_R0003_*.pdf"))[0]
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    [png] = tmp_path.glob("p*.png")
    im = Image.open(png).convert("L")
    ink = sum(1 for y in range(im.height) for x in range(im.width) if im.getpixel((x, y)) < 200) / (im.width * im.height)
    assert ink > 0.03


@pytest.mark.slow
def test_year_reviews_print_each_chart_once_and_no_number_runs_into_the_next(tmp_path, computed_zh, poppler):
    """Two sections side by side that do not fit at the foot of a page move whole to the next one (a floated
    layout used to print the product mix twice there); a million-sized quota with cents fits its cell in the
    nine-column statement (it used to run into the next cell: "¥1,100,000.00¥702,756.70")."""
    from salesbook.reports.context import index_review_data
    data = load_review_data(computed_zh)
    tables = dict(data.tables)
    big = tables["Out_Statements"].copy()
    money = [c for c in big.columns if c not in ("rep_id", "period", "plan_id", "attainment", "explanation")]
    big[money] = big[money] * 10  # eight-digit amounts with cents in every column of the statement
    tables["Out_Statements"] = big
    result = render_reviews(index_review_data(data.settings, tables), tmp_path, per="rep", formats=("pdf",),
                            period="2026", workers=2, progress=False, creation_date=CREATED)
    assert result.ok, result.summary()
    lines = load_review_data(computed_zh).tables["Products"]["product_line"].dropna().unique()
    printed = {}
    for pdf in result.files:
        text = pdftotext(pdf)
        printed[pdf.name] = max(len(re.findall(rf"{re.escape(str(line))} \d+(?:\.\d)?%", text)) for line in lines)
        glued = re.findall(r"\S*\d-?¥\S*", text)
        assert not glued, (pdf.name, glued[:3])
    assert max(printed.values()) == 1, {k: v for k, v in printed.items() if v > 1}
    assert sum(printed.values()) >= len(printed) - 2  # directors without own deals have no product mix


def test_a_rendered_review_leaves_no_layout_behind():
    """The renderer's one garbage pass per document must find the document unreachable: otherwise the
    pass promotes every box of it to an older generation and a worker grows by megabytes per review.
    (A chart image is what ties a document's boxes into reference cycles.)"""
    import gc

    from weasyprint.formatting_structure.boxes import Box

    from salesbook.reports.charts import bar_chart
    from salesbook.reports.formatting import Formatter

    chart = bar_chart(["1月", "2月"], [("目标", [1.0, 2.0]), ("实际", [2.0, 1.0])], Formatter("zh"), title="t", uid="b")
    html = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"/><title>t</title></head><body>'
            '<img src="sbchart:0" width="340" height="200"/><table><tr><td>1月</td><td>¥1</td></tr></table></body></html>')
    renderer = PdfRenderer(PdfOptions())
    renderer.render(html, {"0": str(chart)}, "zh")
    gc.collect()
    thresholds = gc.get_threshold()
    gc.set_threshold(0)  # no automatic collection: only the renderer's own pass may free the layout
    try:
        renderer.render(html, {"0": str(chart)}, "zh")
        left = [o for o in gc.get_objects() if isinstance(o, Box)]
    finally:
        gc.set_threshold(*thresholds)
    assert not left, f"{len(left)} layout boxes outlived the render"


def test_each_thread_renders_with_its_own_renderer_and_prints_its_own_charts(tmp_path, poppler):
    """A Dask worker may render several reviews at once on threads: none may print another's chart."""
    import threading

    from salesbook.reports.charts import bar_chart
    from salesbook.reports.formatting import Formatter
    from salesbook.reports.pdf import renderer

    options = PdfOptions()
    names = {"a": "Alpha", "b": "Bravo"}
    charts = {k: {"0": str(bar_chart([f"{v}Month"], [(f"{v}Series", [1.0])], Formatter("en"), title=v, uid=k))}
              for k, v in names.items()}
    html = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/><title>t</title></head><body>'
            '<p>review</p><img src="sbchart:0" width="340" height="200"/></body></html>')
    seen: dict[str, list[bytes]] = {k: [] for k in names}
    used: dict[str, set[int]] = {k: set() for k in names}
    start = threading.Barrier(2)

    def work(key: str) -> None:
        start.wait()
        for _ in range(4):
            r = renderer(options)
            used[key].add(id(r))
            seen[key].append(r.render(html, charts[key], "en"))

    threads = [threading.Thread(target=work, args=(k,)) for k in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(used["a"]) == len(used["b"]) == 1 and used["a"] != used["b"]
    for key, other in (("a", "b"), ("b", "a")):
        for i, pdf_bytes in enumerate(seen[key]):
            pdf = tmp_path / f"{key}{i}.pdf"
            pdf.write_bytes(pdf_bytes)
            text = pdftotext(pdf)
            assert f"{names[key]}Series" in text and f"{names[other]}Series" not in text, (key, i)


def _render_in_worker(html: str) -> str:
    from salesbook.reports.pdf import renderer

    r = renderer(PdfOptions(fonts=ensure_fonts(charset([html]))))
    r.render(html, {}, "zh")
    return str(r.font_config._folder)   # where WeasyPrint copied the @font-face fonts


def test_a_worker_that_rendered_leaves_no_font_folder_behind():
    """WeasyPrint copies a stylesheet's @font-face fonts into a temporary folder per renderer; a batch's worker
    process that ends with its renderer alive left one behind on every run."""
    import concurrent.futures
    import multiprocessing as mp

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        folder = pool.submit(_render_in_worker, "<html><body><p>销售 review</p></body></html>").result()
        assert Path(folder).is_dir()   # the worker is still there, with its renderer
    assert folder and not Path(folder).exists()


def test_en_rep_review_prints_product_names_whole_and_the_bonus_formula_as_a_sentence(tmp_path, computed_en):
    """Latin product names are long: the pie's key used to cut them ("Automation So…"), and the bonus formula
    began lower-case in the middle of the page."""
    from salesbook.reports.api import plan
    from salesbook.reports.templates import pdf_source

    data = load_review_data(computed_en)
    jobs, _ = plan(data, "rep", "2026", "en")
    job = next(j for j in jobs if (j.context.get("kpi") or {}).get("bonus_formula")
               and len((j.context.get("mix") or {}).get("rows", ())) >= 3)
    html, charts = pdf_source(job.context, created=created_stamp(CREATED))
    pdf = tmp_path / "review.pdf"
    pdf.write_bytes(PdfRenderer(PdfOptions(fonts=ensure_fonts(charset([html, *charts.values()])))).render(
        html, charts, "en"))
    text = pdftotext(pdf)
    names = [str(row["line"]) for row in job.context["mix"]["rows"]]
    assert max(len(name) for name in names) > 16   # long enough to have been cut
    assert all(name in text for name in names) and "…" not in text, [t for t in text.splitlines() if "…" in t]
    assert "Bonus = 2026-01 " in text and "bonus = " not in text
