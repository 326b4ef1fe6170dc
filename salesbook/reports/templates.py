"""The jinja2 environment: packaged templates, a user's override folder in front, autoescape always on.

Autoescaping is switched on for every template whatever its file name (``autoescape=True``), because
every value comes from workbook cells that anyone may have typed into: a rep named ``<script>`` must
show as text. Charts are exposed as template functions that read the language and formatter from the
render context, so templates stay declarative and a user's override can place them anywhere.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from salesbook.reports import charts
from salesbook.reports.formatting import Formatter
from salesbook.reports.weasy import colwidths

TEMPLATE_FOR = {"rep": "rep_review.html", "region": "region_review.html", "company": "company_summary.html",
                "scenarios": "scenario_review.html"}
TEMPLATE_SUFFIXES = (".html", ".css", ".json", ".svg")


def _packaged_templates() -> Path:
    """``report_templates/`` beside the package in a checkout, or where the wheel installed it."""
    here = Path(__file__).resolve()
    installed = Path("share") / "salesbook" / "report_templates"   # a wheel's data-files, beside lib/pythonX.Y
    candidates = [here.parents[2] / "report_templates"]   # source checkout or editable install
    if len(here.parents) > 5:                              # <prefix>/lib/pythonX.Y/site-packages/salesbook/reports
        candidates.append(here.parents[5] / installed)
    candidates.append(Path(sys.prefix) / installed)
    return next((c for c in candidates if (c / "base.html").is_file()), candidates[0])


DEFAULT_TEMPLATES = _packaged_templates()

# Template sources received from a batch's caller, by override folder: a worker on another machine renders
# exactly what the caller would (the caller's --templates folder does not exist there).
_SHIPPED: dict[str | None, dict[str, str]] = {}


def template_dirs(user_dir: str | Path | None) -> list[Path]:
    dirs = [Path(user_dir)] if user_dir else []
    return [*dirs, DEFAULT_TEMPLATES]


def template_files(user_dir: str | None) -> dict[str, str]:
    """Every template, stylesheet and label file by name, the override folder's winning over the packaged.

    ``labels.json`` is merged language by language, so an override folder need only hold the labels it changes.
    """
    if user_dir in _SHIPPED:
        return _SHIPPED[user_dir]
    files: dict[str, str] = {}
    merged: dict[str, dict[str, str]] = {}
    for d in reversed(template_dirs(user_dir)):
        if not d.is_dir():
            continue
        for f in sorted(d.rglob("*")):
            if not f.is_file() or f.suffix not in TEMPLATE_SUFFIXES:
                continue
            name = f.relative_to(d).as_posix()
            text = f.read_text(encoding="utf-8")
            if name == "labels.json":
                for lang, texts in json.loads(text).items():
                    merged.setdefault(lang, {}).update(texts)
            else:
                files[name] = text
    files["labels.json"] = json.dumps(merged, ensure_ascii=False)
    return files


def use_shipped(user_dir: str | None, files: Mapping[str, str]) -> bool:
    """Render from these sources (sent by the caller) instead of reading folders; True if they changed."""
    files = dict(files)
    if _SHIPPED.get(user_dir) == files:
        return False
    _SHIPPED[user_dir] = files
    environment.cache_clear()
    labels.cache_clear()
    return True


@cache
def environment(user_dir: str | None = None) -> jinja2.Environment:
    """One environment per override folder and process (jinja caches compiled templates in it)."""
    env = jinja2.Environment(
        loader=jinja2.DictLoader(template_files(user_dir)),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.Undefined)
    env.filters.update(money=_money, num=_num, pct=_pct, compact=_compact, month=_month)
    env.globals.update(statement=_statement, kpi_table=_kpi_table, target_bar=_target_bar, cumulative_line=_cumulative_line, mix_pie=_mix_pie,
                       kpi_radar=_kpi_radar, reps_bar=_reps_bar, regions_bar=_regions_bar, leads_bar=_leads_bar,
                       payout_curves=_payout_curves, cost_ranges=_cost_ranges)
    return env


@cache
def labels(user_dir: str | None, lang: str) -> dict[str, str]:
    """Label texts in ``lang``, falling back to English for any label missing in it."""
    data = json.loads(template_files(user_dir)["labels.json"])
    return {**data.get("en", {}), **data.get(lang, {})}


def stylesheet(user_dir: str | None) -> str:
    """report.css from the override folder if it has one, else the packaged one."""
    return environment(user_dir).loader.get_source(environment(user_dir), "report.css")[0]  # type: ignore[union-attr]


def render_html(ctx: Mapping[str, Any], *, user_dir: str | None = None, inline_css: bool = True,
                created: str = "", chart_sink: dict[str, str] | None = None) -> str:
    """The review as one HTML string (self-contained when ``inline_css``: CSS and SVG inline).

    With ``chart_sink`` (the PDF path) charts are collected there and referenced as ``<img src="sbchart:N">``:
    WeasyPrint then parses each chart with its fast XML parser instead of running the HTML parser and the
    CSS cascade over every SVG node, which saves about a sixth of the time per review.
    """
    env = environment(user_dir)
    lang = ctx["lang"]
    t = labels(user_dir, lang)
    title_key = {"rep": "rep_review", "region": "region_review", "company": "company_summary",
                 "scenarios": "scenario_review"}[ctx["kind"]]
    doc_title = f"{t.get(title_key, title_key)} · {ctx['subject']['name']} · {ctx['period']['label']}"
    template = env.get_template(TEMPLATE_FOR[ctx["kind"]])
    return template.render(c=ctx, t=t, fmt=Formatter(lang, ctx.get("currency", "CNY")), doc_title=doc_title,
                           inline_css=Markup(stylesheet(user_dir)) if inline_css else "", created=created,
                           chart_sink=chart_sink)


def pdf_source(ctx: Mapping[str, Any], *, user_dir: str | None = None, created: str = "") -> tuple[str, dict[str, str]]:
    """The review as the PDF renderer takes it: HTML without the stylesheet (the renderer has it parsed
    already) and with its charts collected by reference, plus those charts."""
    charts: dict[str, str] = {}
    html = render_html(ctx, user_dir=user_dir, created=created, inline_css=False, chart_sink=charts)
    return html, charts


# -- filters -------------------------------------------------------------------------------------
@jinja2.pass_context
def _money(context: jinja2.runtime.Context, value: object, digits: int = 2) -> str:
    return context["fmt"].money(value, digits)


@jinja2.pass_context
def _num(context: jinja2.runtime.Context, value: object, digits: int = 0) -> str:
    return context["fmt"].number(value, digits)


@jinja2.pass_context
def _pct(context: jinja2.runtime.Context, value: object, digits: int = 1) -> str:
    return context["fmt"].percent(value, digits)


@jinja2.pass_context
def _compact(context: jinja2.runtime.Context, value: object) -> str:
    return context["fmt"].compact(value)


@jinja2.pass_context
def _month(context: jinja2.runtime.Context, value: object) -> str:
    return context["fmt"].month(str(value))


# -- tables --------------------------------------------------------------------------------------
# A4's text width: 210 mm less report.css's 14 mm page margins, what a full-width table spans.
TEXT_MM = 182.0
# The commission statement at 7.5 pt, 1 mm cell padding.
STATEMENT_PT, STATEMENT_PADDING_MM = 7.5, 2.0
UNIT_COLUMNS = ("quota_quantity", "credited_quantity")


@jinja2.pass_context
def _statement(context: jinja2.runtime.Context, commission: Mapping[str, Any]) -> dict[str, Any]:
    """The statement's cells as printed, and column widths that fit them (None: the table measures itself)."""
    fmt, t = _ft(context)
    cols = commission["columns"]
    total = commission.get("total") or {}
    head = [t.get("month", "month"), *(t.get(c, c) for c in cols)]
    def cell(c: str, v: object) -> str:   # units of a plan paying per unit are counted, not money
        return fmt.percent(v) if c == "attainment" else fmt.units(v) if c in UNIT_COLUMNS else fmt.money(v)

    rows = [[fmt.month(str(r["period"])), *(cell(c, r[c]) for c in cols)] for r in commission["rows"]]
    foot = [t.get("total", "total"), *(cell(c, total[c]) if c in total else "" for c in cols)]
    widths = colwidths.fixed_widths(head, [*rows, foot], font_pt=STATEMENT_PT, table_mm=TEXT_MM,
                                    padding_mm=STATEMENT_PADDING_MM)
    return {"head": head, "rows": rows, "total": foot, "widths": widths}


# The KPI table at report.css's 8.5 pt, 1.6 mm cell padding.
KPI_PT, KPI_PADDING_MM = 8.5, 3.2


@jinja2.pass_context
def _kpi_table(context: jinja2.runtime.Context, kpi: Mapping[str, Any]) -> dict[str, Any]:
    """The KPI rows as printed, and column widths that fit them (None: the table measures itself).

    Why: a year's summed KPI (a manager's team sales, say) runs to ten digits with cents, wider than an
    equal share of the table; the narrow columns (attainment, weight) give the room it needs.
    """
    fmt, t = _ft(context)
    head = [t.get(k, k) for k in ("kpi", "aggregate", "kpi_actual", "kpi_target", "attainment", "score", "weight",
                                  "weighted_score")]
    rows = [[str(r["name"]), t.get("agg_" + str(r["aggregate"])) or str(r["aggregate"]),
             fmt.number(r["actual"], 2), fmt.number(r["target"], 2), fmt.percent(r["attainment"]),
             fmt.percent(r["score"]), fmt.percent(r["weight"]), fmt.number(r["weighted_score"], 1)]
            for r in kpi["rows"]]
    widths = colwidths.fixed_widths(head, rows, font_pt=KPI_PT, table_mm=TEXT_MM, padding_mm=KPI_PADDING_MM)
    return {"head": head, "rows": rows, "widths": widths}


# -- charts --------------------------------------------------------------------------------------
def _ft(context: jinja2.runtime.Context) -> tuple[Formatter, Mapping[str, str]]:
    return context["fmt"], context["t"]


def _place(context: jinja2.runtime.Context, svg: Markup) -> Markup:
    """Inline SVG for the HTML file; a reference to the collected chart for the PDF renderer."""
    sink = context.get("chart_sink")
    if sink is None:
        return svg
    key = str(len(sink))
    sink[key] = str(svg)
    size = re.search(r'width="(\d+)" height="(\d+)"', svg)
    dims = f' width="{size[1]}" height="{size[2]}"' if size else ""
    title = re.search(r'aria-label="([^"]*)"', svg)
    return Markup(f'<img class="chart" src="sbchart:{key}"{dims} alt="{title[1] if title else ""}"/>')


@jinja2.pass_context
def _target_bar(context: jinja2.runtime.Context, trend: Mapping[str, Any], uid: str) -> Markup:
    fmt, t = _ft(context)
    rows = trend["rows"]
    series = [(t["actual"], [r["actual"] for r in rows])]
    if trend.get("has_target"):
        series.insert(0, (t["target"], [r["target"] for r in rows]))
    return _place(context, charts.bar_chart([fmt.month(r["month"]) for r in rows], series, fmt, title=t["target_vs_actual"], uid=uid,
                                            future=[bool(r.get("future")) for r in rows]))


@jinja2.pass_context
def _cumulative_line(context: jinja2.runtime.Context, trend: Mapping[str, Any], uid: str) -> Markup:
    fmt, t = _ft(context)
    rows = trend["rows"]
    series = [(t["cum_actual"], [r["cum_actual"] for r in rows])]
    if trend.get("has_target"):
        series.insert(0, (t["cum_target"], [r["cum_target"] for r in rows]))
    return _place(context, charts.line_chart([fmt.month(r["month"]) for r in rows], series, fmt, title=t["cumulative"], uid=uid))


@jinja2.pass_context
def _mix_pie(context: jinja2.runtime.Context, mix: Mapping[str, Any], uid: str, amounts: bool = False) -> Markup:
    fmt, t = _ft(context)
    return _place(context, charts.pie_chart([(r["line"], r["amount"]) for r in mix["rows"]], fmt, title=t["product_mix"],
                                            uid=uid, other=t["other"], amounts=amounts))


@jinja2.pass_context
def _kpi_radar(context: jinja2.runtime.Context, kpi: Mapping[str, Any], uid: str) -> Markup:
    fmt, t = _ft(context)
    rows = kpi["rows"]
    return _place(context, charts.radar_chart([r["name"] for r in rows],
                              [(t["score"], [r.get("score") for r in rows]), (t["on_target"], [1.0] * len(rows))],
                              fmt, title=t["kpi_scorecard"], uid=uid))


@jinja2.pass_context
def _reps_bar(context: jinja2.runtime.Context, reps: list[Mapping[str, Any]], uid: str, limit: int = 16) -> Markup:
    fmt, t = _ft(context)
    shown = reps[:limit]
    return _place(context, charts.bar_chart([r["name"] for r in shown], [(t["achievement"], [r["achievement"] for r in shown])], fmt,
                            title=t["reps_compared"], uid=uid, label=lambda v: fmt.percent(v, 0), reference=1.0,
                            width=680, height=220))


@jinja2.pass_context
def _regions_bar(context: jinja2.runtime.Context, regions: list[Mapping[str, Any]], uid: str) -> Markup:
    fmt, t = _ft(context)
    return _place(context, charts.bar_chart([r["name"] for r in regions],
                            [(t["target"], [r["target"] for r in regions]), (t["actual"], [r["actual"] for r in regions])],
                            fmt, title=t["regions_compared"], uid=uid, width=680, height=220))


@jinja2.pass_context
def _leads_bar(context: jinja2.runtime.Context, leads: Mapping[str, Any], uid: str) -> Markup:
    fmt, t = _ft(context)
    rows = leads["rows"]
    series = [(t["count"], [r["count"] for r in rows])]
    if leads.get("overdue") is not None:
        series.append((t["overdue"], [r["overdue"] for r in rows]))
    return _place(context, charts.bar_chart([r["grade"] for r in rows], series, fmt, title=t["leads"], uid=uid, width=300, height=180,
                            label=lambda v: fmt.number(v)))


@jinja2.pass_context
def _payout_curves(context: jinja2.runtime.Context, curves: list[Mapping[str, Any]], uid: str) -> Markup:
    """Each scenario's payout curve (the year's commissions if every rep reached x% in every period), overlaid."""
    fmt, t = _ft(context)
    return _place(context, charts.xy_chart([(c["name"], c["points"]) for c in curves], fmt, title=t["payout_curves"],
                                           uid=uid, x_label=lambda v: fmt.percent(v, 0),
                                           x_ticks=[k / 4 for k in range(9)], reference=1.0))


@jinja2.pass_context
def _cost_ranges(context: jinja2.runtime.Context, ranges: list[Mapping[str, Any]], uid: str) -> Markup:
    """Each scenario's simulated cost: P10 to P90, median, expectation, and the replayed cost."""
    fmt, t = _ft(context)
    words = {"range": t["p10_p90"], "median": t["p50"], "expected": t["expected"], "replayed": t["replayed"]}
    return _place(context, charts.range_chart(list(ranges), fmt, title=t["cost_distribution"], uid=uid, labels=words))
