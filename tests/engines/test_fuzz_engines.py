"""Each engine fed whole books generated from the schemas: a valid result or the project's InputError.

Where tests/test_fuzz_engines.py edits the demo book, these properties build every table from scratch out of
the schema registry: random sizes (empty included), ids drawn from a small world with duplicates and unknown
references, numbers at the edges (zero, negative, huge, NaN), weird text (CJK, formula-like, HTML), dates at
the ends of the supported range and settings at their extremes. Each book goes the way `salesbook run --only
ENGINE` goes -- job planning, validation of an in-memory book, the job -- and must end in an InputError (from
validation or the engine) or in outputs that keep their promises: targets add up exactly, statements
reconcile to the payable, weights are non-negative and total 100%, grades and ratings come from their bands,
no NaN in money columns. Anything else -- KeyError, ZeroDivisionError, IndexError, a numpy RuntimeWarning
(overflow, invalid value) -- is a bug.

The suite runs a fixed, derandomised set of examples; SALESBOOK_FUZZ_EXAMPLES=N searches afresh with N.
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
from bookkit import MemoryBook
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from salesbook.book.base import RawTable
from salesbook.book.validate import load_book
from salesbook.engines.leads import OPERATORS
from salesbook.errors import InputError
from salesbook.pipeline import compute, plan_jobs
from salesbook.schemas import REGISTRY, SETTINGS, Kind

_DEEP = os.environ.get("SALESBOOK_FUZZ_EXAMPLES")
FUZZ = settings(max_examples=int(_DEEP or 40), derandomize=_DEEP is None, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])


# -- cell values --------------------------------------------------------------------------------------------

WEIRD_TEXT = ["", " ", "Hardware", "硬件", "软件 / Software", "=SUM(A1:A9)", "=1/0", "+1", "-1", "@cmd", "\t",
              "<script>alert(1)</script>", "<b>x</b>&amp;", "a, b", "a，b；c", " padded ", "x" * 300, "Ω≈ç√∫",
              "\u200b", "NaN", "None", "null", "1e5", "0", "(unassigned)", "销售经理", "rep", "2026-02-30"]
HOSTILE = st.one_of(
    st.none(), st.booleans(), st.integers(-10**18, 10**18), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6), st.sampled_from([*WEIRD_TEXT, "#N/A", "#DIV/0!", "12%", "150%", "1,234.5", "1e308",
                                          "2026年3月1日", "31/12/2026", "是", "否", "yes"]),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31)),
)
MONEY_EDGES = [0, 0.0, -0.0, 0.005, 0.01, 1, 99.99, 1234.5, 1e6, 123456789.125, 1e9, 1e12, 1e15, 1e18]
DATE_EDGES = [dt.date(1900, 1, 1), dt.date(1900, 3, 1), dt.date(1970, 1, 1), dt.date(2024, 2, 29),
              dt.date(2025, 12, 31), dt.date(2026, 1, 1), dt.date(2026, 6, 15), dt.date(2026, 12, 31),
              dt.date(2261, 12, 31)]


def near_plan_dates() -> st.SearchStrategy:
    """Mostly dates around the plan year, sometimes the ends of the supported range."""
    return st.one_of(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31)),
                     st.sampled_from(DATE_EDGES),
                     st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2026, 12, 31)))


def numbers(lo: float | None = None, hi: float | None = None, *, edges=MONEY_EDGES) -> st.SearchStrategy:
    vals = [v for v in [*edges, *(-e for e in edges if e)] if (lo is None or v >= lo) and (hi is None or v <= hi)]
    lo_f = -1e12 if lo is None else lo
    hi_f = 1e12 if hi is None else hi
    return st.one_of(st.sampled_from(vals or [lo_f]),
                     st.floats(min_value=lo_f, max_value=hi_f, allow_nan=False, allow_infinity=False))


def percents(lo: float | None = None, hi: float | None = None) -> st.SearchStrategy:
    edges = [0, 0.001, 0.05, 0.25, 0.3, 0.5, 0.7, 1, 1.2, 1.5, 2, 10, -0.1, -1, -2]
    text = [f"{int(e * 100)}%" for e in edges if (lo is None or e >= lo) and (hi is None or e <= hi)]
    return st.one_of(numbers(lo, hi, edges=edges), st.sampled_from(text or ["0%"]))


def in_range(table: str, column: str) -> st.SearchStrategy:
    """A percentage within what the schema declares possible for the column (outside it is refused)."""
    col = REGISTRY[table].column(column)
    return percents(col.min_value, col.max_value)


def ints(lo: int | None = None, hi: int | None = None) -> st.SearchStrategy:
    edges = [0, 1, 2, 3, 5, 12, 13, 30, 365, 2026, 3650, 10**6, 2**53, -1, -30]
    vals = [v for v in edges if (lo is None or v >= lo) and (hi is None or v <= hi)]
    return st.one_of(st.sampled_from(vals or [lo or 0]),
                     st.integers(-1000 if lo is None else int(lo), 10**4 if hi is None else int(hi)))


def choices(col) -> st.SearchStrategy:
    labels = [c.value for c in col.choices] * 3 + [c.zh for c in col.choices] + [a for c in col.choices
                                                                                for a in c.aliases]
    return st.sampled_from(labels)


def kind_values(col) -> st.SearchStrategy:
    """A legal value for the column's kind (still odd: zero, huge, edge dates, formula-like text)."""
    k = col.kind
    if k is Kind.MONEY or k is Kind.NUMBER:
        return numbers(col.min_value, col.max_value)
    if k is Kind.PERCENT:
        return percents(col.min_value, col.max_value)
    if k is Kind.INT:
        return ints(col.min_value, col.max_value)
    if k is Kind.DATE:
        return near_plan_dates()
    if k is Kind.BOOL:
        return st.sampled_from([True, False, "是", "否", "yes", "no", 1, 0])
    if k is Kind.CHOICE:
        return choices(col)
    return st.sampled_from(WEIRD_TEXT)


# -- the world: the ids every table draws from --------------------------------------------------------------

@dataclass
class World:
    ids: dict[str, list[str]]     # "Table.column" of a key -> its ids
    lines: list[str]
    mode: int                     # 0 typed values only, 1 a few hostile cells, 2 many
    fiscal_year: int

    def ref(self, key: str) -> list[str]:
        return self.ids.get(key, [])


ID_POOLS = {
    "Products.product_id": ["P1", "P2", "P3", "产品4", "=P5", "<P6>", "1001", "p1"],
    "Regions.region_id": ["EAST", "WEST", "华北", "=R", "<i>N</i>", "0"],
    "Reps.rep_id": ["R1", "R2", "R3", "R4", "R5", "张三", "=R7", "r1", "1002"],
    "Deals.deal_id": [f"D{i}" for i in range(12)] + ["订单1", "=D"],
    "Plans.plan_id": ["STD", "SNR", "MGR", "方案", "=P"],
    "KPIs.kpi_id": ["SALES", "GP", "CYCLE", "满意度", "=K", "<K>"],
    "Leads.lead_id": [f"L{i}" for i in range(10)] + ["线索", "=L"],
}
LINE_POOL = ["Hardware", "Software", "服务", "=HW", "<b>SW</b>", "a, b", "(unassigned)"]


MODES = (0, 0, 0, 1, 2)   # three typed books for each book with hostile cells


@st.composite
def worlds(draw, modes: tuple[int, ...] = MODES) -> World:
    mode = draw(st.sampled_from(modes))
    ids = {}
    for key, pool in ID_POOLS.items():
        n = draw(st.integers(0 if mode else 1, min(len(pool), 6)))
        ids[key] = draw(st.permutations(pool))[:n] if n else []
    if draw(st.integers(0, 3)) == 0:  # enough closed leads (40, ten of each) to train the win probability
        ids["Leads.lead_id"] = [f"L{i:03d}" for i in range(draw(st.integers(40, 70)))]
    lines = draw(st.lists(st.sampled_from(LINE_POOL), min_size=1, max_size=3, unique=True))
    fy = draw(st.sampled_from([2026] * 6 + [2025, 1900, 1901, 2261, 2262, 9999]))
    return World(ids=ids, lines=lines, mode=mode, fiscal_year=fy)


def cell(draw, world: World, strategy: st.SearchStrategy) -> object:
    """A value from ``strategy``, now and then replaced by a hostile one (never in typed mode)."""
    if world.mode and draw(st.integers(0, 30 if world.mode == 1 else 4)) == 0:
        return draw(HOSTILE)
    value = draw(strategy)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime) and draw(st.booleans()):
        value = dt.datetime.combine(value, dt.time())   # the spreadsheet adapter hands dates over as datetimes
    return value


def ref_values(world: World, key: str) -> st.SearchStrategy:
    """Ids of the referenced table; unknown ids only in hostile books."""
    known = world.ref(key)
    unknown = ["ZZZ", "未知", "=X"]
    if world.mode == 0:
        return st.sampled_from(known) if known else st.just(None)
    return st.sampled_from(known * 8 + unknown[:1]) if known else st.sampled_from([*unknown, None])


# Column-specific value strategies, so a fair share of books get past validation to the engines.
def _special(world: World) -> dict[tuple[str, str], st.SearchStrategy]:
    lines = st.sampled_from([*world.lines, *world.lines, "Other", None])
    fields = st.sampled_from([c.name for c in REGISTRY["Leads"].columns] + ["size", "unknown", "预算", ""])
    rule_values = st.sampled_from(["Manufacturing", "Energy, Chemicals", "100000", "100000, 499999", "10k", "5万",
                                   "1e3", "2026-01-01", "2026-01-01, 2026-06-30", "abc", "", "=1+1", "<b>", None,
                                   "1e400", "-0", "nan", "inf", "0, 0", "1 - 2", "1 and 2", "1~2"])
    return {
        ("Products", "product_line"): st.sampled_from([*world.lines, *world.lines, "Other"]),
        ("Reps", "product_lines"): st.sampled_from([None, ", ".join(world.lines), world.lines[0], "Other", ""]),
        ("Reps", "industries"): st.sampled_from([None, "Energy", "Manufacturing, Energy", "能源", ""]),
        ("Reps", "leave_date"): st.one_of(st.none(), st.none(), near_plan_dates()),
        ("Reps", "manager_id"): st.one_of(st.none(), ref_values(world, "Reps.rep_id")),
        ("Regions", "manager_id"): st.one_of(st.none(), ref_values(world, "Reps.rep_id")),
        ("CompanyTarget", "fiscal_year"): st.sampled_from([world.fiscal_year] * (1 if world.mode else 20) + [2025]),
        ("CompanyTarget", "target"): numbers(0, 1e12) if world.mode == 0 else st.one_of(st.none(), numbers(0)),
        ("CompanyTarget", "growth"): st.one_of(st.none(), st.none(), in_range("CompanyTarget", "growth")),
        ("TargetLevels", "weight_column"): st.sampled_from([None, None, "capacity", "headcount", "target_bonus"]
                                                           + ([] if world.mode == 0 else
                                                              ["unit_price", "max_open_leads", "name", "email",
                                                               "region_id", "nope"])),
        ("TargetLevels", "blend"): st.sampled_from([None, "prior_year:70%, even:30%", "even:100%", "weight:0.5, "
                                                    "trailing_12m:0.5", "prior_year：60%，even：40%"]
                                                   + ([] if world.mode == 0 else
                                                      ["even:50%", "blend:100%", "x", "even:1e400%"])),
        ("TargetAdjustments", "product_line"): st.none() if world.mode == 0 else lines,
        ("TargetAdjustments", "region_id"): st.one_of(st.none(), ref_values(world, "Regions.region_id"))
        if world.mode else st.none(),
        ("TargetAdjustments", "rep_id"): st.one_of(st.none(), ref_values(world, "Reps.rep_id")),
        ("TargetAdjustments", "month"): st.one_of(st.none(), st.none(), st.integers(1, 12)) if world.mode else st.none(),
        ("TargetAdjustments", "growth"): st.one_of(st.none(), in_range("TargetAdjustments", "growth")),
        ("TargetAdjustments", "locked"): st.one_of(st.none(), st.none(), numbers(0)),
        ("TargetAdjustments", "min_amount"): st.one_of(st.none(), st.none(), numbers(0)),
        ("TargetAdjustments", "max_amount"): st.one_of(st.none(), st.none(), numbers(0)),
        ("Commitments", "product_line"): lines,
        ("History", "period"): near_plan_dates(),
        ("History", "rep_id"): st.one_of(st.none(), ref_values(world, "Reps.rep_id")),
        ("Deals", "status_date"): st.one_of(st.none(), st.none(), near_plan_dates()),
        ("Deals", "status"): st.sampled_from(["booked", "booked", "booked", "cancelled", "returned", None, "退货"]),
        ("Credits", "share"): st.sampled_from([1, 1.0, 0.5, 0.3, 0.7, "50%", 0, 0.333, 0.333333333, 1 / 3]),
        ("Leads", "product_line"): lines,
        ("Leads", "industry"): st.sampled_from([None, "Energy", "Manufacturing", "能源", "=E", ""]),
        ("Leads", "status"): st.sampled_from(["open", "open", "won", "lost", None, "新建"] if len(world.ref(
            "Leads.lead_id")) < 40 else ["won", "lost", "won", "lost", "open", "成交"]),
        ("Leads", "owner_rep_id"): st.one_of(st.none(), st.none(), ref_values(world, "Reps.rep_id")),
        ("Leads", "last_contact_date"): st.one_of(st.none(), near_plan_dates()),
        ("LeadEvents", "event_type"): st.sampled_from(["email_open", "web_visit", "demo_request", "打开邮件", "", "x"]),
        ("ScoringRules", "field"): fields,
        ("ScoringRules", "operator"): st.sampled_from([*OPERATORS, *OPERATORS, "==", "like", "IN", " >= ", ""]),
        ("ScoringRules", "value"): rule_values,
        ("ScoringRules", "points"): numbers(edges=[0, 1, 5, 10, 20, 1e6, 1e300, 1.7e308]),
        ("GradeBands", "grade"): st.sampled_from(["A", "B", "C", "D", "甲", "=A", "<b>A</b>"]),
        ("GradeBands", "min_score"): numbers(edges=[0, 15, 30, 45, -1000, 1e300, 1.7e308]),
        ("ScoreGroups", "cap"): st.one_of(st.none(), numbers(edges=[0, 10, 40, 60, 1e300])),
        ("Plans", "gate"): st.one_of(st.none(), st.none(), in_range("Plans", "gate")),
        ("Plans", "cap_line"): st.one_of(st.none(), st.none(), numbers(0)),
        ("Plans", "cap_period"): st.one_of(st.none(), st.none(), numbers(0)),
        ("Plans", "override_rate"): st.one_of(st.none(), st.none(), in_range("Plans", "override_rate")),
        ("Plans", "draw_amount"): st.one_of(st.none(), st.none(), numbers(0)),
        ("Plans", "draw_type"): st.one_of(st.none(), choices(REGISTRY["Plans"].column("draw_type"))),
        ("PlanTiers", "lower_bound"): numbers(0, edges=[0, 0.5, 0.8, 1, 1.2, 10000, 1e6, 1e15]),
        ("PlanTiers", "rate"): in_range("PlanTiers", "rate"),
        ("PlanAssignments", "end_date"): st.one_of(st.none(), st.none(), near_plan_dates()),
        ("PlanAssignments", "quota"): st.one_of(st.none(), numbers(0)),
        ("Spiffs", "end_date"): st.one_of(st.none(), near_plan_dates()),
        ("KPIs", "threshold"): st.one_of(st.none(), in_range("KPIs", "threshold")),
        ("KPIs", "stretch"): st.one_of(st.none(), in_range("KPIs", "stretch")),
        ("KPIs", "floor"): st.one_of(st.none(), in_range("KPIs", "floor")),
        ("KPIs", "cap"): st.one_of(st.none(), in_range("KPIs", "cap")),
        ("KPIWeights", "role"): st.sampled_from(["rep", "rep", "senior", "manager", "director", "销售经理"]),
        ("KPIWeights", "weight"): st.one_of(st.none(), st.sampled_from([1, 0.5, 0.25, 0, "100%", 0.333333333])),
        ("WeightMethods", "role"): st.sampled_from(["rep", "senior", "manager", "director"]),
        ("WeightMethods", "subjective"): st.one_of(st.none(), choices(REGISTRY["WeightMethods"].column("subjective"))),
        ("WeightMethods", "objective"): st.one_of(st.none(), choices(REGISTRY["WeightMethods"].column("objective"))),
        ("WeightMethods", "subjective_share"): st.one_of(st.none(), in_range("WeightMethods", "subjective_share")),
        ("AHPJudgements", "role"): st.sampled_from(["rep", "senior", "manager", "director"]),
        ("AHPJudgements", "value"): st.sampled_from([1, 2, 3, 5, 9, 1 / 3, 0.5, 1 / 9, 0.33, 1e-300, 1e300, 0]),
        ("Actuals", "period"): near_plan_dates(),
        ("Actuals", "actual"): numbers(edges=[0, 1, 0.5, 100, 4.5, 1e6, 1e300, -5]),
        ("Actuals", "target"): numbers(edges=[0, 1, 0.5, 100, 4.5, 1e6, 1e300, -5]),
        ("RatingBands", "rating"): st.sampled_from(["S", "A", "B", "C", "D", "优", "=S"]),
        ("RatingBands", "min_score"): numbers(edges=[0, 70, 85, 100, 110, -1e300, 1e300]),
        ("RatingBands", "multiplier"): numbers(0, edges=[0, 0.6, 1, 1.2, 1.5, 1e300]),
        ("Reps", "target_bonus"): st.one_of(st.none(), numbers(0)),
        # salary x % beside a target bonus must agree: typed books give the target one way only
        ("Reps", "salary"): st.one_of(st.none(), st.none(), numbers(0)) if world.mode else st.none(),
        ("Reps", "target_bonus_pct"): st.one_of(st.none(), in_range("Reps", "target_bonus_pct")) if world.mode
        else st.none(),
        ("PerformanceFactors", "scope"): choices(REGISTRY["PerformanceFactors"].column("scope")) if world.mode
        else st.just("company"),
        ("PerformanceFactors", "unit"): st.sampled_from([None, None, "EAST", world.lines[0], ""]) if world.mode
        else st.none(),
        ("PerformanceFactors", "period"): st.sampled_from(
            ["2026", "2026Q1", "2026Q3", "2026-03", "2025-12", str(world.fiscal_year)]
            + (["2026年第2季度", "2026 q2", "Q1", "2026-13", "=2026"] if world.mode else [])),
        ("PerformanceFactors", "factor"): in_range("PerformanceFactors", "factor"),
        ("PerformanceFactors", "cap"): st.one_of(st.none(), in_range("PerformanceFactors", "cap")),
        ("Plans", "min_line"): st.one_of(st.none(), st.none(), st.sampled_from([0, 10, 50, 1e6])),
        ("Plans", "recovery_from_period"): st.one_of(st.none(), st.sampled_from([1, 2, 3, 13])),
        ("Reps", "capacity"): st.one_of(st.none(), numbers(0, edges=[0, 0.5, 1, 2, 1e-300, 1e300])),
    }


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() != ""


def column_values(world: World, special: dict, table: str, col) -> st.SearchStrategy:
    if (table, col.name) in special:
        values = special[(table, col.name)]
        return values.filter(_filled) if col.required and world.mode == 0 else values
    if col.ref:
        values = ref_values(world, col.ref)
        return values if col.required else st.one_of(st.none(), values)
    values = kind_values(col)
    if col.required and col.kind in (Kind.TEXT, Kind.ID):
        return st.sampled_from([t for t in WEIRD_TEXT if t.strip()])
    return values if col.required else st.one_of(st.none(), values)


KEYED = {"Products": "Products.product_id", "Regions": "Regions.region_id", "Reps": "Reps.rep_id",
         "Deals": "Deals.deal_id", "Plans": "Plans.plan_id", "KPIs": "KPIs.kpi_id", "Leads": "Leads.lead_id"}


@st.composite
def table_rows(draw, world: World, name: str, special: dict, max_rows: int = 8) -> RawTable:
    """A table of the schema: every key-table id once (now and then twice), other tables 0..max_rows rows."""
    table = REGISTRY[name]
    cols = [c for c in table.columns if c.required or world.mode == 0 or draw(st.integers(0, 9))]
    if name in KEYED:
        ids = list(world.ref(KEYED[name]))
        if world.mode and ids and draw(st.integers(0, 5)) == 0:
            ids.append(draw(st.sampled_from(ids)))  # a duplicate id
    elif name == "CompanyTarget" and world.mode == 0:
        ids = [None]
    else:
        ids = [None] * draw(st.integers(0 if world.mode else 1, max_rows))
    key_col = KEYED.get(name, ".").split(".")[1]
    rows = []
    for key in ids:
        row = []
        for c in cols:
            if c.name == key_col:
                row.append(key if world.mode == 0 or draw(st.integers(0, 30)) else draw(HOSTILE))
            else:
                row.append(cell(draw, world, column_values(world, special, name, c)))
        rows.append(row)
    if world.mode == 0 and table.key and all(k in [c.name for c in cols] for k in table.key):
        at = [next(i for i, c in enumerate(cols) if c.name == k) for k in table.key]
        seen, unique = set(), []
        for row in rows:  # typed books keep their keys unique
            key = tuple(str(row[i]).strip() for i in at)
            if key not in seen:
                seen.add(key)
                unique.append(row)
        rows = unique
    headers = [c.label_en if draw(st.integers(0, 5)) else c.zh for c in cols]
    return RawTable(name=name, sheet=table.zh, headers=headers, rows=rows)


SETTING_VALUES = {
    "language": st.sampled_from(["en", "zh", "中文", "english"]),
    "fiscal_year_start_month": st.sampled_from([1, 1, 4, 7, 12]),
    "as_of_date": st.one_of(st.none(), st.sampled_from(DATE_EDGES)),
    "rounding_unit": st.sampled_from([0.01, 0.01, 1, 100, 0.05, 0.0001, 1000000, 0.3, 7]),
    "lead_half_life_days": st.sampled_from([30, 0.1, 3650, 1e-1]),
    "lead_linear_decay": st.sampled_from([0.25, 0, 1, "100%"]),
    "clawback_window_days": st.sampled_from([90, 0, 3650]),
    "clawback_reduces_attainment": st.booleans(),
    "target_hierarchy": st.sampled_from(["product_line > region_id > rep_id", "region_id > rep_id", "rep",
                                         "产品线 > 区域 > 代表", "product_line", "region > product line", "x > y",
                                         "rep > region", ""]),
    "company_name": st.sampled_from(WEIRD_TEXT),
    "bonus_score_threshold": st.sampled_from([None, 0.8, "80%", 0]),
    "bonus_score_floor": st.sampled_from([None, 0.5, "50%"]),
    "bonus_score_cap": st.sampled_from([None, 1.5, "150%", 1]),
    "bonus_cap": st.sampled_from([None, 2, "200%", 0]),
    "currency": st.sampled_from(["CNY", "USD", "<b>", "=X"]),
}


TYPED_HIERARCHIES = ["product_line > region_id > rep_id", "region_id > rep_id", "rep", "产品线 > 区域 > 代表"]


@st.composite
def settings_table(draw, world: World) -> RawTable:
    rows = [["fiscal_year", world.fiscal_year, None]]
    for key in draw(st.lists(st.sampled_from(sorted(SETTINGS)), max_size=8, unique=True)):
        s = SETTINGS[key]
        if key == "fiscal_year":
            continue
        if key == "target_hierarchy" and world.mode == 0:
            value = draw(st.sampled_from(TYPED_HIERARCHIES))
        elif key in SETTING_VALUES:
            value = draw(SETTING_VALUES[key])
        elif s.choices:
            value = draw(st.sampled_from([c.value for c in s.choices] + [c.zh for c in s.choices]))
        else:
            value = draw(st.none())
        rows.append([key, cell(draw, world, st.just(value)), None])
    if world.mode and draw(st.integers(0, 10)) == 0:
        rows.append([draw(st.sampled_from(["unknown_key", "", None, "语言"])), draw(HOSTILE), None])
    return RawTable(name="Settings", sheet="设置", headers=["key", "value", "note"], rows=rows)


# Whole tables whose rows belong together (a profile of 12 months, a ramp of consecutive months, a hierarchy).
@st.composite
def seasonality_table(draw, world: World) -> RawTable:
    profiles = draw(st.sampled_from([[None], [None], [None, world.lines[0]]]
                                    + ([world.lines, [None, "Other"], []] if world.mode else [])))
    rows = []
    for line in profiles:
        shape = draw(st.sampled_from(["even", "one_month", "random", "random", "percent_text"]
                                     + (["short"] if world.mode else [])))
        if shape == "even":
            shares = [1 / 12] * 12
        elif shape == "one_month":
            shares = [0.0] * 12
            shares[draw(st.integers(0, 11))] = 1.0
        elif shape == "random":
            w = draw(st.lists(st.integers(0, 20), min_size=12, max_size=12))
            shares = [x / sum(w) for x in w] if sum(w) else [1 / 12] * 12
        elif shape == "percent_text":
            shares = ["8.33%"] * 11 + ["8.37%"]
        else:
            shares = [0.1] * 10
        for m, s in enumerate(shares, start=1):
            rows.append([line, cell(draw, world, st.just(m)), cell(draw, world, st.just(s))])
    return RawTable(name="Seasonality", sheet="季节性", headers=["Product line", "Month", "Share"], rows=rows)


@st.composite
def target_levels_table(draw, world: World, special: dict) -> RawTable:
    order = draw(st.sampled_from([["product_line", "region_id", "rep_id"], ["region_id", "product_line", "rep_id"],
                                  ["region_id", "rep_id"], ["product_line", "rep_id"], ["rep_id"]]
                                 + ([["region_id"], ["product_line", "region_id"], ["rep_id", "region_id"], []]
                                    if world.mode else [])))
    rows = []
    for i, dim in enumerate(order, start=1):
        method = draw(st.sampled_from(["even", "prior_year", "trailing_12m", "weight", "blend", "平均"]))
        rows.append([cell(draw, world, st.just(i)), dim, method,
                     cell(draw, world, special[("TargetLevels", "weight_column")]),
                     cell(draw, world, special[("TargetLevels", "blend")]),
                     cell(draw, world, st.sampled_from([None, 0, 0.05, 1, "5%"]))])
    return RawTable(name="TargetLevels", sheet="分解层级",
                    headers=["Level", "Dimension", "Method", "Weight column", "Blend", "Padding"], rows=rows)


@st.composite
def ramp_table(draw, world: World) -> RawTable:
    shares = draw(st.lists(st.sampled_from([0, 0.25, 0.5, 0.75, 1]), max_size=4))
    rows = [[cell(draw, world, st.just(i)), cell(draw, world, st.just(s))] for i, s in enumerate(shares, start=1)]
    return RawTable(name="RampProfile", sheet="新人爬坡", headers=["Tenure month", "Share of full target"], rows=rows)


def _raw(world: World, name: str, columns: list[str], rows: list[list]) -> RawTable:
    table = REGISTRY[name]
    return RawTable(name=name, sheet=table.zh, headers=[table.column(c).label_en for c in columns], rows=rows)


@st.composite
def credits_table(draw, world: World) -> RawTable:
    """Some deals split between reps (shares of 100%), some with overlay credit on top."""
    rows = []
    reps = world.ref("Reps.rep_id")
    for deal in world.ref("Deals.deal_id"):
        if not reps or draw(st.booleans()):
            continue
        splits = [[1], [0.5, 0.5], [0.3, 0.7], [1 / 3] * 3, ["60%", "40%"]]
        split = draw(st.sampled_from([[0.5], [0.5, 0.6], *splits] if world.mode else
                                     [x for x in splits if len(x) <= len(reps)]))
        who = draw(st.permutations(reps))
        for rep, share in zip(who, split, strict=False):
            rows.append([deal, rep, cell(draw, world, st.just(share)), None])
        if len(who) > len(split) and draw(st.booleans()):
            rows.append([deal, who[len(split)], cell(draw, world, st.sampled_from([0.1, 1, 0])), True])
    return _raw(world, "Credits", ["deal_id", "rep_id", "share", "overlay"], rows)


@st.composite
def assignments_table(draw, world: World) -> RawTable:
    """Each rep's effective-dated plans, one after the other (now and then overlapping or reversed)."""
    rows = []
    plans = world.ref("Plans.plan_id")
    for rep in world.ref("Reps.rep_id"):
        if not plans or (world.mode and draw(st.integers(0, 4)) == 0):
            continue
        starts = sorted(draw(st.lists(near_plan_dates().map(lambda d: d if isinstance(d, dt.datetime)
                                                              else dt.datetime.combine(d, dt.time())),
                                      min_size=1, max_size=3, unique=True)))
        for i, start in enumerate(starts):
            end = starts[i + 1] - dt.timedelta(days=1) if i + 1 < len(starts) else None
            if world.mode and draw(st.integers(0, 6)) == 0:
                end = start - dt.timedelta(days=draw(st.integers(-40, 40)))
            quota = draw(st.one_of(numbers(0.01), st.sampled_from([1000, 20000, 1e9, 0.01]))
                         if world.mode == 0 or draw(st.integers(0, 3)) else st.none())
            rows.append([rep, cell(draw, world, st.sampled_from(plans)), start, end, cell(draw, world, st.just(quota))])
    return _raw(world, "PlanAssignments", ["rep_id", "plan_id", "start_date", "end_date", "quota"], rows)


@st.composite
def tiers_table(draw, world: World) -> RawTable:
    """Ascending tiers per plan: amounts or attainment fractions."""
    rows = []
    for plan in world.ref("Plans.plan_id"):
        if world.mode and draw(st.integers(0, 6)) == 0:
            continue  # a plan without tiers (typed books give every plan its tiers)
        scale = draw(st.sampled_from([1, 10000, 1e6] + ([1e15, 1e-9] if world.mode else [])))
        bounds = sorted(draw(st.lists(st.sampled_from([0, 0.5, 0.8, 1, 1.2, 2, 5]), min_size=1, max_size=4,
                                      unique=True)))
        for b in bounds:
            rate = draw(st.sampled_from([0, 0.01, 0.02, 0.05, 0.1, 0.5, 1, 2] + ([1e6] if world.mode else [])))
            rows.append([plan, cell(draw, world, st.just(b * scale)), cell(draw, world, st.just(rate))])
    return _raw(world, "PlanTiers", ["plan_id", "lower_bound", "rate"], rows)


# Lead columns by what a rule can compare them with.
RULE_FIELDS = {"industry": "text", "source": "text", "company": "text", "product_line": "text", "region_id": "text",
               "status": "text", "owner_rep_id": "text", "lead_id": "text", "employees": "number",
               "budget": "number", "created_date": "date", "last_contact_date": "date"}
RULE_VALUES = {
    "text": ["Manufacturing", "Energy, Chemicals", "能源", "=1+1", "<b>", "a，b", "x" * 100, "", None],
    "number": ["100000", "100000, 499999", "10k", "5万", "1e3", "0", "-5", "1e308", "1e400", "nan", "inf", "1 - 2",
               "1 and 2", "1~2", "0, 0"],
    "date": ["2026-01-01", "2026-01-01, 2026-06-30", "1900-01-01", "2261-12-31", "2262-04-12, 9999-12-31",
             "1677-09-21", "today", "2026-02-30"],
}


@st.composite
def scoring_tables(draw, world: World) -> dict[str, RawTable]:
    """Rules whose operator and value suit the field (now and then not), engagement rules by event type, caps."""
    rules = []
    for i in range(draw(st.integers(1 if world.mode == 0 else 0, 8))):
        group = draw(st.sampled_from(["fit", "fit", "custom", "engagement", "匹配度"]))
        if group == "engagement":
            field, op, value = draw(st.sampled_from(["email_open", "web_visit", "demo_request", "x"])), "=", None
        else:
            field = draw(st.sampled_from(sorted(RULE_FIELDS)))
            kind = RULE_FIELDS[field] if world.mode == 0 or draw(st.integers(0, 4)) else draw(
                st.sampled_from(sorted(RULE_VALUES)))
            ops = {"text": ["=", "!=", "in", "not in", "contains", "is blank", "is not blank"],
                   "number": ["=", "!=", ">", ">=", "<", "<=", "between", "is blank"],
                   "date": [">", ">=", "<", "<=", "between", "=", "is not blank"]}[kind]
            op = draw(st.sampled_from(ops))
            value = draw(st.sampled_from(RULE_VALUES[kind]))
            if world.mode == 0 and kind != "text" and op not in ("is blank", "is not blank"):
                value = draw(st.sampled_from(RULE_VALUES[kind][:5] if op == "between" else
                                             [v for v in RULE_VALUES[kind][:5] if "," not in v]))
        points = draw(st.sampled_from([0, 1, 5, 10, 20, -10, 1e6, 1e9, -1e9] * 4 + [1e300, 1.7e308]))
        rules.append([f"F{i}", group, cell(draw, world, st.just(field)), cell(draw, world, st.just(op)),
                      cell(draw, world, st.just(value)), cell(draw, world, st.just(points))])
    groups = [[g, cell(draw, world, st.sampled_from([None, 0, 10, 40, 1e300, -5]))]
              for g in draw(st.lists(st.sampled_from(["fit", "engagement", "custom"]), unique=True))]
    return {"ScoringRules": _raw(world, "ScoringRules", ["rule_id", "group", "field", "operator", "value", "points"],
                                 rules),
            "ScoreGroups": _raw(world, "ScoreGroups", ["group", "cap"], groups)}


@st.composite
def actuals_table(draw, world: World) -> RawTable:
    """Results of some reps x KPIs x months (each combination once in typed books)."""
    reps, kpis = world.ref("Reps.rep_id"), world.ref("KPIs.kpi_id")
    months = draw(st.lists(st.sampled_from([dt.datetime(2026, m, 1) for m in range(1, 13)]
                                           + [dt.datetime(1900, 1, 1), dt.datetime(2261, 12, 1)]),
                           min_size=1, max_size=3, unique=True))
    rows = []
    value = st.sampled_from([0, 1, 0.5, 100, 4.5, 1e6, 1e300, -5, 3.25, 27])
    target = value if world.mode else st.sampled_from([1, 0.5, 100, 4.5, 1e6, 3.25, 27])  # typed: attainment exists
    for rep in reps:
        for kpi in kpis:
            for m in months:
                if draw(st.integers(0, 3)):
                    rows.append([m, rep, kpi, cell(draw, world, value), cell(draw, world, target)])
    return _raw(world, "Actuals", ["period", "rep_id", "kpi_id", "actual", "target"], rows)


SAATY = [1, 2, 3, 5, 9, 1 / 3, 0.5, 1 / 9, 0.2]


@st.composite
def kpi_weight_tables(draw, world: World) -> dict[str, RawTable]:
    """KPIWeights per role (manual weights totalling 100%), WeightMethods and AHP judgements for every pair."""
    kpis = world.ref("KPIs.kpi_id")
    roles = draw(st.lists(st.sampled_from(["rep", "senior", "manager", "director"]), min_size=1, max_size=3,
                          unique=True))
    weights, methods, judgements = [], [], []
    for role in roles:
        mine = draw(st.permutations(kpis))[:draw(st.integers(1, max(len(kpis), 1)))] if kpis else []
        shape = draw(st.sampled_from(["even", "first", "random"] + (["blank"] if world.mode else [])))
        if not mine:
            w = []
        elif shape == "even":
            w = [1 / len(mine)] * len(mine)
        elif shape == "first":
            w = [1.0] + [0.0] * (len(mine) - 1)
        elif shape == "random":
            raw = draw(st.lists(st.integers(0, 9), min_size=len(mine), max_size=len(mine)))
            w = [x / sum(raw) for x in raw] if sum(raw) else [1 / max(len(mine), 1)] * len(mine)
        else:
            w = [None] * len(mine)
        weights += [[role, k, cell(draw, world, st.just(x))] for k, x in zip(mine, w, strict=True)]
        pairwise = ["ahp", "blend"] if world.mode or len(mine) > 1 else []  # typed: AHP needs two KPIs
        # entropy and critic weights need actuals from several reps, which a small typed book seldom has: there
        # they are drawn a quarter of the time, so that most typed books reach the scorecards
        objective = ["entropy", "critic"] if world.mode or draw(st.integers(0, 3)) == 0 else []
        method = draw(st.sampled_from(["manual", *objective, None, *pairwise]))
        if method:
            methods.append([role, method, cell(draw, world, st.sampled_from([None, "manual", "ahp"])),
                            cell(draw, world, st.sampled_from([None, "entropy", "critic"])),
                            cell(draw, world, st.sampled_from([None, 0, 0.5, 1, "60%"]))])
        if method in ("ahp", "blend") or draw(st.booleans()):
            for i, a in enumerate(mine):
                for b in mine[i + 1:]:
                    if world.mode == 0 or draw(st.integers(0, 9)):
                        judgements.append([role, a, b, cell(draw, world, st.sampled_from(SAATY))])
    return {"KPIWeights": _raw(world, "KPIWeights", ["role", "kpi_id", "weight"], weights),
            "WeightMethods": _raw(world, "WeightMethods", ["role", "method", "subjective", "objective",
                                                           "subjective_share"], methods),
            "AHPJudgements": _raw(world, "AHPJudgements", ["role", "kpi_a", "kpi_b", "value"], judgements)}


NODE_TABLES = {"TargetAdjustments", "Commitments"}
ENGINE_TABLES = {
    "targets": (["CompanyTarget", "Products", "Regions", "Reps"],
                ["History", "History", "TargetAdjustments", "Commitments", "Deals", "Credits"]),
    "leads": (["Leads", "ScoringRules", "GradeBands"], ["LeadEvents", "ScoreGroups", "Reps", "Regions"]),
    "commissions": (["Deals", "Plans", "PlanTiers", "PlanAssignments", "Reps"],
                    ["Credits", "Payments", "Spiffs", "Products", "Regions"]),
    "kpi": (["KPIs", "KPIWeights", "Actuals", "RatingBands", "Reps"],
            ["WeightMethods", "AHPJudgements", "KPISteps", "Regions"]),
}


@st.composite
def books(draw, engine: str, modes: tuple[int, ...] = MODES) -> dict[str, RawTable]:
    """Settings, the engine's tables (each now and then left out) and some of its optional ones."""
    world = draw(worlds(modes))
    special = _special(world)
    needed, optional = ENGINE_TABLES[engine]
    tables = {"Settings": draw(settings_table(world))}
    for name in needed:
        if world.mode and draw(st.integers(0, 15)) == 0:
            continue  # a needed table missing from the book
        tables[name] = draw(table_rows(world, name, special, max_rows=10))
    for name in dict.fromkeys(optional):
        if world.mode == 0 and name in NODE_TABLES:
            continue  # rows naming nodes of a hierarchy drawn elsewhere: typed books leave them out
        if draw(st.integers(0, optional.count(name))):
            tables[name] = draw(table_rows(world, name, special))
    if engine == "commissions":
        tables["PlanAssignments"] = draw(assignments_table(world))
        tables["PlanTiers"] = draw(tiers_table(world))
        if "Credits" in tables:
            tables["Credits"] = draw(credits_table(world))
    if engine == "leads":
        rule_tables = draw(scoring_tables(world))
        tables["ScoringRules"] = rule_tables["ScoringRules"]
        if "ScoreGroups" in tables:
            tables["ScoreGroups"] = rule_tables["ScoreGroups"]
    if engine == "kpi":
        tables["Actuals"] = draw(actuals_table(world))
        kpi_tables = draw(kpi_weight_tables(world))
        tables["KPIWeights"] = kpi_tables["KPIWeights"]
        for name in ("WeightMethods", "AHPJudgements"):
            if name in tables or world.mode == 0 or draw(st.booleans()):
                tables[name] = kpi_tables[name]
    if engine == "targets":
        tables["Seasonality"] = draw(seasonality_table(world))
        if draw(st.booleans()):
            tables["TargetLevels"] = draw(target_levels_table(world, special))
        if draw(st.booleans()):
            tables["RampProfile"] = draw(ramp_table(world))
    return tables


# -- running and checking ---------------------------------------------------------------------------------

def run_engine(tables: dict[str, RawTable], engine: str):
    """What `salesbook run --only ENGINE` does between reading the file and writing the computed book.

    Returns (outputs, loaded book), or None for an InputError (whose problems must render in both languages).
    """
    book = MemoryBook(tables)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)   # overflow / invalid value: NaN or inf on its way
            jobs, _ = plan_jobs(book, only=[engine])
            loaded = load_book(book, required=sorted({t for j in jobs for t in j.needs}))
            return compute(loaded, jobs), loaded
    except InputError as exc:
        for p in exc.problems:
            assert p.render("en") and p.render("zh")
        return None


def _finite(frame: pd.DataFrame, columns) -> None:
    for c in columns:
        values = pd.to_numeric(frame[c], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        assert np.isfinite(values).all(), (c, frame[c][~np.isfinite(values)].head())


def check_targets(out: dict[str, pd.DataFrame], loaded) -> None:
    unit = float(loaded.settings["rounding_unit"])
    targets, check = out["Out_Targets"], out["Out_TargetCheck"]
    _finite(targets, ["target"])
    _finite(check, ["target", "months_total"])
    assert (targets["target"] >= 0).all()
    units = (targets["target"] / unit).round()
    assert ((targets["target"] - units * unit).abs() <= abs(targets["target"]) * 1e-12 + unit * 1e-6).all()
    assert ((check["months_total"] - check["target"]).abs() <= unit * 1e-6 + check["target"].abs() * 1e-12).all()
    kids = check[check["children_total"].notna()]
    off = (kids["children_total"] - kids["target"]).abs() > unit * 1e-6 + kids["target"].abs() * 1e-12
    padded = kids["explanation"].str.contains("padding|加码")
    assert not (off & ~padded).any(), kids[off & ~padded]
    fy = targets[targets["period"] == "FY"]
    company = fy[fy["level"] == 0]["target"]
    assert len(company) == 1


def check_leads(out: dict[str, pd.DataFrame], loaded) -> None:
    scores, leads = out["Out_LeadScores"], loaded.tables["Leads"]
    assert len(scores) == len(leads)
    _finite(scores, ["fit_score", "engagement_score", "score"])
    grades = set(loaded.tables["GradeBands"]["grade"].dropna().astype(str))
    assert set(scores["grade"].dropna().astype(str)) <= grades
    p = scores["probability"].dropna()
    assert ((p >= 0) & (p <= 1)).all()
    reps = set(loaded.tables["Reps"]["rep_id"].dropna()) if "Reps" in loaded.tables else set()
    assigned = set(scores["assigned_rep"].dropna()) - set(leads["owner_rep_id"].dropna())
    assert assigned <= reps
    is_open = (leads["status"] == "open").to_numpy()
    nxt = pd.to_datetime(scores["next_contact"]).to_numpy()[is_open]
    base = pd.to_datetime(leads["last_contact_date"].fillna(leads["created_date"])).to_numpy()[is_open]
    assert (nxt >= base).all(), (nxt, base)   # follow-up days are never negative


def check_commissions(out: dict[str, pd.DataFrame], loaded) -> None:
    unit = float(loaded.settings["rounding_unit"])
    lines, statements = out["Out_Commissions"], out["Out_Statements"]
    money = ["earned", "spiffs", "overrides", "clawbacks", "draw_paid", "draw_recovered", "payable"]
    _finite(lines, ["amount"])
    _finite(statements, money)
    _finite(out["Out_Accruals"], ["accrued", "payable"])
    in_units = (lines.groupby(["rep_id", "period"])["amount"].sum() / unit).round().astype("int64")
    payable = (statements.groupby(["rep_id", "period"])["payable"].sum() / unit).round().astype("int64")
    assert in_units.reindex(payable.index).fillna(0).astype("int64").equals(payable)
    in_unit = lines["amount"] / unit
    assert ((in_unit - in_unit.round()).abs() <= 1e-6 + in_unit.abs() * 1e-12).all()
    parts = statements[["earned", "spiffs", "overrides", "clawbacks", "draw_paid", "draw_recovered"]].sum(axis=1)
    assert ((parts - statements["payable"]).abs() <= 0.005 * 6 + statements["payable"].abs() * 1e-12).all()


def check_kpi(out: dict[str, pd.DataFrame], loaded) -> None:
    weights, cards = out["Out_KPIWeights"], out["Out_Scorecards"]
    _finite(weights, ["weight"])
    assert (weights["weight"] >= 0).all()
    if len(weights):
        assert (weights.groupby("role")["weight"].sum() - 1).abs().max() < 1e-6
    ratings = set(loaded.tables["RatingBands"]["rating"].dropna().astype(str))
    assert set(cards["rating"].dropna().astype(str)) <= ratings
    _finite(cards, ["score", "weighted_score", "total", "multiplier", "bonus"])
    assert (cards["bonus"] >= 0).all()


CHECKS = {"targets": check_targets, "leads": check_leads, "commissions": check_commissions, "kpi": check_kpi}


def result_or_input_error(tables: dict[str, RawTable], engine: str) -> bool:
    """Run one engine on the book; a result must keep its promises. True when the engine produced a result."""
    result = run_engine(tables, engine)
    if result is None:
        return False
    CHECKS[engine](*result)
    return True


@pytest.mark.slow
@pytest.mark.parametrize("engine", sorted(CHECKS))
@FUZZ
@given(data=st.data())
def test_engine_gives_a_result_or_an_input_error(engine, data):
    result_or_input_error(data.draw(books(engine), label="book"), engine)




@pytest.mark.slow
@pytest.mark.parametrize("engine", sorted(CHECKS))
def test_generated_books_do_reach_the_engines(engine):
    """The properties above hold for results, not only for refusals: typed books (no hostile cells) get
    through validation and the engine often enough that their outputs are checked."""
    outcomes: list[bool] = []

    @settings(FUZZ, max_examples=20, database=None, phases=[Phase.generate])
    @given(books(engine, modes=(0,)))
    def run(tables):
        outcomes.append(result_or_input_error(tables, engine))

    run()
    assert sum(outcomes) >= 2, f"{sum(outcomes)} of {len(outcomes)} typed {engine} books reached the outputs"
