"""Job: decompose the company target into Out_Targets, Out_TargetsByMonth and Out_TargetReview."""

from __future__ import annotations

import re

import pandas as pd

from salesbook.book.validate import LoadedBook
from salesbook.engines.targets import Level, decompose_targets
from salesbook.errors import InputError, problem
from salesbook.jobs import Job

DEFAULT_LEVELS = (Level("product_line"), Level("region_id"), Level("rep_id"))


def parse_blend(text: str, row: int) -> tuple[tuple[str, float], ...]:
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
    return tuple(parts)


def levels_from(frame: pd.DataFrame) -> tuple[Level, ...]:
    if frame is None or frame.empty:
        return DEFAULT_LEVELS
    rows = frame.sort_values("level")
    return tuple(Level(dimension=r.dimension, method=r.method,
                       weight_column=None if pd.isna(r.weight_column) else str(r.weight_column),
                       blend=parse_blend(r.blend, row) if r.method == "blend" else (),
                       padding=0.0 if pd.isna(r.padding) else float(r.padding))
                 for row, r in zip(rows.index, rows.itertuples(), strict=True))


def run(book: LoadedBook) -> dict[str, pd.DataFrame]:
    t = book.tables
    s = book.settings
    fy = int(s["fiscal_year"])
    ct = t["CompanyTarget"]
    row = ct[ct["fiscal_year"] == fy]
    if row.empty:
        raise InputError(problem("no company target for fiscal year {fy} (the Settings fiscal_year).",
                                 "公司目标表中没有财年 {fy}（设置中的财年）的目标。", table="CompanyTarget",
                                 column="fiscal_year", fy=fy))
    ramp = t.get("RampProfile")
    ramp_shares = ramp.sort_values("tenure_month")["share"].tolist() if ramp is not None and len(ramp) else []
    result = decompose_targets(
        float(row["target"].iloc[0]), products=t["Products"], regions=t["Regions"], reps=t["Reps"],
        history=t["History"], seasonality=t["Seasonality"], levels=levels_from(t.get("TargetLevels")),
        fiscal_year=fy, fiscal_start_month=int(s["fiscal_year_start_month"]), unit=float(s["rounding_unit"]),
        adjustments=t.get("TargetAdjustments"), ramp=ramp_shares, freed=str(s.get("target_freed", "redistribute")),
        deals=t.get("Deals"), credits=t.get("Credits"), commitments=t.get("Commitments"),
        lang=str(s["language"]))
    return {"Out_Targets": result.targets, "Out_TargetsByMonth": result.by_month,
            "Out_TargetReview": result.review}


JOB = Job(
    name="targets", title_en="Target decomposition", title_zh="目标分解",
    needs=("CompanyTarget", "Seasonality", "Products", "Regions", "Reps"),
    uses=("CompanyTarget", "Seasonality", "Products", "Regions", "Reps", "History", "TargetLevels",
          "TargetAdjustments", "RampProfile", "Commitments", "Deals", "Credits"),
    writes=("Out_Targets", "Out_TargetsByMonth", "Out_TargetReview"), run=run, order=10,
)
