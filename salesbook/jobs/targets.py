"""Job: decompose the company target into Out_Targets and its companion sheets."""

from __future__ import annotations

import re

import pandas as pd

from salesbook.book.validate import LoadedBook, empty_frame
from salesbook.engines.money import TooManyUnits
from salesbook.engines.targets import Level, decompose_targets
from salesbook.errors import InputError, problem
from salesbook.jobs import Job
from salesbook.messages import setting_name
from salesbook.schemas import REGISTRY

DIMENSION_WORDS = {"product_line": "product_line", "产品线": "product_line", "product line": "product_line",
                   "region_id": "region_id", "region": "region_id", "区域": "region_id",
                   "rep_id": "rep_id", "rep": "rep_id", "代表": "rep_id", "销售代表": "rep_id"}


def parse_blend(text: str | None, row: int) -> tuple[tuple[str, float], ...]:
    """'prior_year:70%, even:30%' -> (("prior_year", 0.7), ("even", 0.3))."""
    parts = []
    for chunk in re.split(r"[,，;；]", text or ""):
        if not chunk.strip():
            continue
        m = re.fullmatch(r"\s*([a-z_0-9]+)\s*[:：=]\s*([0-9.]+)\s*(%?)\s*", chunk)
        if not m:
            raise InputError(problem("cannot read blend '{t}'; write e.g. prior_year:70%, even:30%.",
                                     "无法识别混合方式“{t}”；请写成 prior_year:70%, even:30%。", table="TargetLevels",
                                     row=row, column="blend", t=text))
        share = float(m[2]) / (100 if m[3] else 1)
        parts.append((m[1], share))
    if not parts:
        raise InputError(problem("method blend needs the blend, e.g. prior_year:70%, even:30%.",
                                 "分解方法为混合时须填写混合方式，如 prior_year:70%, even:30%。", table="TargetLevels",
                                 row=row, column="blend"))
    return tuple(parts)


def parse_hierarchy(text: str) -> tuple[Level, ...]:
    """'product_line > region_id > rep_id' (or 产品线 > 区域 > 代表) -> levels by prior-year share."""
    words = [w.strip().lower() for w in re.split(r"[>,，/、]", str(text or "")) if w.strip()]
    dims = [DIMENSION_WORDS.get(w) for w in words]
    if not dims or None in dims:
        raise InputError(problem("setting {k}: cannot read the hierarchy '{t}'; write e.g. product_line > region_id > "
                                 "rep_id.", "参数“{k}”：无法识别层级“{t}”；请写成 产品线 > 区域 > 代表。",
                                 table="Settings", column="value", k=setting_name("target_hierarchy"), t=text))
    return tuple(Level(d) for d in dims)


def levels_from(frame: pd.DataFrame | None, hierarchy: str) -> tuple[Level, ...]:
    if frame is None or frame.empty:
        return parse_hierarchy(hierarchy)
    rows = frame.sort_values("level")
    measure = rows["measure"] if "measure" in rows else pd.Series(None, index=rows.index, dtype=object)
    return tuple(Level(dimension=r.dimension, method=r.method,
                       weight_column=None if pd.isna(r.weight_column) else str(r.weight_column),
                       blend=parse_blend(None if pd.isna(r.blend) else str(r.blend), row) if r.method == "blend" else (),
                       padding=0.0 if pd.isna(r.padding) else float(r.padding),
                       measure="amount" if pd.isna(m) else str(m), row=row)
                 for row, r, m in zip(rows.index, rows.itertuples(), measure, strict=True))


def run(book: LoadedBook, review: bool = True) -> dict[str, pd.DataFrame]:
    """The targets and their companion sheets; ``review`` False leaves the actuals against them out (empty
    Out_TargetReview and Out_TargetVariance: plan modeling asks only for the targets)."""
    t = book.tables
    s = book.settings
    fy = int(s["fiscal_year"])
    ct = t["CompanyTarget"]
    row = ct[ct["fiscal_year"] == fy]
    if row.empty:
        raise InputError(problem("no company target for fiscal year {fy} (the {k} setting).",
                                 "没有财年 {fy}（参数“{k}”）的公司目标。", table="CompanyTarget",
                                 column="fiscal_year", fy=fy, k=setting_name("fiscal_year")))
    if len(row) > 1:
        raise InputError(problem("fiscal year {fy} has more than one company target.", "财年 {fy} 有多个公司目标。",
                                 table="CompanyTarget", row=row.index[1], column="fiscal_year", fy=fy))
    ramp = t.get("RampProfile")
    ramp_shares = ramp.sort_values("tenure_month")["share"].tolist() if ramp is not None and len(ramp) else []
    if ramp_shares and ramp.sort_values("tenure_month")["tenure_month"].tolist() != list(range(1, len(ramp) + 1)):
        raise InputError(problem("tenure months must run 1, 2, 3 ... without gaps.", "入职月序号须从 1 起连续。",
                                 table="RampProfile", column="tenure_month"))
    growth = row["growth"].iloc[0] if "growth" in row else None
    target = row["target"].iloc[0]
    try:
        result = _decompose(t, s, fy, target, growth, ramp_shares, review)
    except TooManyUnits:
        raise InputError(problem(
            "the targets are too large to split exactly in units of {u} (check the company target, growth and "
            "padding, or use a larger rounding unit).",
            "目标金额过大，无法按取整单位 {u} 精确拆分（请检查公司目标、增长率与加码比例，或使用更大的取整单位）。",
            table="CompanyTarget", row=row.index[0], column="target", u=s["rounding_unit"])) from None
    out = {"Out_Targets": result.targets, "Out_TargetsByMonth": result.by_month, "Out_TargetReview": result.review,
           "Out_TargetVariance": result.variance, "Out_TargetCheck": result.check}
    return {name: frame.reindex(columns=REGISTRY[name].column_names) for name, frame in out.items()}


def _decompose(t: dict[str, pd.DataFrame], s: dict[str, object], fy: int, target: object, growth: object,
               ramp_shares: list[float], review: bool = True):
    return decompose_targets(
        None if pd.isna(target) else float(target), growth=None if pd.isna(growth) else float(growth),
        products=t["Products"], regions=t["Regions"], reps=t["Reps"],
        history=t["History"] if "History" in t else empty_frame(REGISTRY["History"]),
        seasonality=t["Seasonality"], levels=levels_from(t.get("TargetLevels"), str(s.get("target_hierarchy"))),
        fiscal_year=fy, fiscal_start_month=int(s["fiscal_year_start_month"]), unit=float(s["rounding_unit"]),
        adjustments=t.get("TargetAdjustments"), ramp=ramp_shares, freed=str(s.get("target_freed", "redistribute")),
        proration=str(s.get("target_proration", "days")), deals=t.get("Deals"), credits=t.get("Credits"),
        commitments=t.get("Commitments"), quantity_unit=float(s.get("quantity_unit") or 1),
        as_of=_as_of(s.get("as_of_date")), lang=str(s["language"]), review=review)


def _as_of(value: object) -> pd.Timestamp:
    """The as_of_date setting (blank: today, as the setting says) ends the to-date columns."""
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return pd.Timestamp.today().normalize()
    return pd.Timestamp(value)


JOB = Job(
    name="targets", title_en="Target decomposition", title_zh="目标分解",
    needs=("CompanyTarget", "Seasonality", "Products", "Regions", "Reps"),
    uses=("CompanyTarget", "Seasonality", "Products", "Regions", "Reps", "History", "TargetLevels",
          "TargetAdjustments", "RampProfile", "Commitments", "Deals", "Credits"),
    writes=("Out_Targets", "Out_TargetsByMonth", "Out_TargetReview", "Out_TargetVariance", "Out_TargetCheck"),
    run=run, order=10,
)
