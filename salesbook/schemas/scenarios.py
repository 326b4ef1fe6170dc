"""Tables of plan modeling: scenarios as override rows, and what each scenario costs.

A scenario is a set of overrides of the base tables, never a copy of them: each row names a table, the
row(s) of it by their key, a column and the new value. Which tables and columns may be overridden is
declared here once (``OVERRIDABLE``); the drop-downs, the validation and the instructions sheet all read it.
"""

from __future__ import annotations

from salesbook.schemas import commissions, kpi, targets
from salesbook.schemas._types import Choice, Column, Kind, Setting, Table

C = Column
K = Kind

# table -> the columns a scenario may change (a plan's tiers, rate, cap, accelerator or gate; the target
# growth, padding or split method; KPI weighting and rating multipliers)
OVERRIDABLE: dict[str, tuple[str, ...]] = {
    "Plans": ("tier_method", "gate", "cap_line", "cap_period", "override_rate", "draw_amount"),
    "PlanTiers": ("lower_bound", "rate", "per_unit"),
    "PlanAssignments": ("plan_id", "quota", "quota_quantity"),
    "CompanyTarget": ("target", "growth"),
    "TargetLevels": ("method", "weight_column", "blend", "padding"),
    "KPIWeights": ("weight",),
    "WeightMethods": ("method", "subjective_share"),
    "RatingBands": ("min_score", "multiplier"),
}
# the tables of each engine a scenario's overrides can reach (which engines a scenario runs again)
COMMISSION_TABLES = frozenset({"Plans", "PlanTiers", "PlanAssignments"})
TARGET_TABLES = frozenset({"CompanyTarget", "TargetLevels"})
KPI_TABLES = frozenset({"KPIWeights", "WeightMethods", "RatingBands"})

_SOURCES = {t.name: t for t in (*commissions.TABLES, *targets.TABLES, *kpi.TABLES)}


def _table_choices() -> tuple[Choice, ...]:
    return tuple(Choice(name, _SOURCES[name].zh, (_SOURCES[name].zh,), name) for name in OVERRIDABLE)


def _column_choices() -> tuple[Choice, ...]:
    """One choice per column name; a name shared by tables (method) takes every table's header as a word."""
    found: dict[str, list[Column]] = {}
    for table, columns in OVERRIDABLE.items():
        for name in columns:
            found.setdefault(name, []).append(_SOURCES[table].column(name))
    labels = {w.casefold() for name, cols in found.items() for c in cols for w in (name, c.zh, c.label_en)}
    seen: dict[str, int] = {}
    for cols in found.values():
        for a in {a.casefold() for c in cols for a in c.aliases}:
            seen[a] = seen.get(a, 0) + 1
    out = []
    for name, cols in found.items():
        own = {w.casefold() for c in cols for w in (name, c.zh, c.label_en)}
        words = [w for c in cols for w in (c.zh, c.label_en)]
        # an alias that is another column's word, or that two columns share (目标), names neither
        words += [a for c in cols for a in c.aliases if a.casefold() not in labels - own and seen[a.casefold()] == 1]
        zh = min((c.zh for c in cols), key=len)  # a name several tables share: their common word (方法)
        out.append(Choice(name, zh, tuple(dict.fromkeys(words)), cols[0].label_en))
    return tuple(out)


# the measures of Out_Scenarios: code, Chinese and English names (the engine fills them, the review reads them)
MEASURES = (
    Choice("replay_payable", "提成（回放）", (), "commissions (replayed)"),
    Choice("replay_bonus", "考核奖金（回放）", (), "KPI bonuses (replayed)"),
    Choice("replay_total", "薪酬合计（回放）", (), "pay (replayed)"),
    Choice("replay_sales", "计入业绩（回放）", (), "credited sales (replayed)"),
    Choice("replay_cost_of_sales", "提成占销售比（回放）", (), "cost of sales (replayed)"),
    Choice("replay_above_quota", "达成配额代表比例（回放）", (), "reps at quota (replayed)"),
    Choice("sim_expected", "期望提成（模拟）", (), "expected commissions (simulated)"),
    Choice("sim_p10", "提成 P10（模拟）", (), "P10 commissions (simulated)"),
    Choice("sim_p50", "提成 P50（模拟）", (), "P50 commissions (simulated)"),
    Choice("sim_p90", "提成 P90（模拟）", (), "P90 commissions (simulated)"),
    Choice("sim_cost_of_sales", "提成占销售比（模拟）", (), "cost of sales (simulated)"),
    Choice("sim_above_quota", "达成配额代表比例（模拟）", (), "reps at quota (simulated)"),
    Choice("distribution", "提成分布（模拟）", (), "commissions by probability (simulated)"),
    Choice("curve", "提成曲线", (), "payout curve"),
)


def measure_names(lang: str) -> dict[str, str]:
    return {c.value: c.label(lang) for c in MEASURES}


def measure_code(text: object) -> str | None:
    """A measure named in either language (as a book of either language shows it) -> its code."""
    for c in MEASURES:
        if text in (c.value, c.zh, c.label_en):
            return c.value
    return None


ACTIONS = (
    Choice("set", "修改", ("change", "更改"), "set"),
    Choice("add", "新增", ("add row", "增加"), "add"),
    Choice("remove", "删除", ("delete", "remove row"), "remove"),
)

SETTINGS = (
    Setting("scenario_draws", K.INT, 1000, "模拟次数",
            "Plan modeling: how many years the simulation draws (a bootstrap of each rep's monthly attainment).",
            "方案模拟：模拟抽样的年份数（按每位代表历史月度达成率有放回抽样）。", min_value=100, max_value=100000),
    Setting("scenario_seed", K.INT, 20260101, "模拟随机种子",
            "Plan modeling: the seed of the simulation, so the same book gives the same figures.",
            "方案模拟：模拟的随机种子，同一工作簿得到相同结果。", min_value=0, max_value=2**31 - 1),
)

TABLES = (
    Table(
        "Scenarios", "方案模拟",
        (
            C("scenario_id", K.ID, "情景编号", "Scenario ID", required=True, aliases=("scenario", "情景"),
              doc_en="Scenario code; every row with this code is one override of the same scenario.",
              doc_zh="情景编号；同一编号的各行是同一情景的各项调整。"),
            C("name", K.TEXT, "情景名称", "Scenario name", aliases=("scenario name",),
              doc_en="Name shown in the comparison (the first non-blank one of the scenario's rows).",
              doc_zh="对比报告中显示的名称（取该情景第一行非空的名称）。"),
            C("table", K.CHOICE, "调整表", "Table", required=True, choices=_table_choices(), aliases=("sheet", "表"),
              doc_en="The base table the row changes.", doc_zh="本行调整的基础表。"),
            C("key", K.TEXT, "行", "Row key", aliases=("row", "键", "行键"),
              doc_en="Which row(s): the table's key values joined by ' / ', e.g. STD (a plan), STD / 120% (a tier), "
                     "R0012 / 2026-01-01 (an assignment), 3 (a target level), rep / SALES (a KPI weight). Fewer "
                     "parts match every row that starts with them (STD = every tier of plan STD); blank = every "
                     "row. Adding a row needs the full key.",
              doc_zh="调整哪一行：该表的键值，以“ / ”分隔，如 STD（方案）、STD / 120%（阶梯）、R0012 / 2026-01-01（方案分配）、"
                     "3（分解层级）、销售代表 / SALES（指标权重）。只填前几部分时匹配所有以此开头的行（STD = 方案 STD 的每一档）；"
                     "留空 = 全部行。新增行须填写完整的键。"),
            C("column", K.CHOICE, "调整列", "Column", required=True, choices=_column_choices(), aliases=("field", "列"),
              doc_en="The column to change (it must be one of the table's columns listed under Allowed values).",
              doc_zh="要调整的列（须是该表可调整的列，见可选值）。"),
            C("value", K.TEXT, "新值", "New value", aliases=("值",),
              doc_en="The new value, typed as in the table itself (5% for a rate, 60000 for a cap, a drop-down "
                     "word for a method); checked like a cell of that column. Blank clears an optional cell "
                     "(no cap, no gate).",
              doc_zh="新值，按原表该列的写法填写（费率 5%、封顶 60000、方法填下拉选项）；按该列的规则校验。"
                     "留空表示清除可选单元格（不封顶、无门槛）。"),
            C("action", K.CHOICE, "操作", "Action", default="set", choices=ACTIONS,
              doc_en="set (change the cell of the matched rows; default), add (a new row with this key; one line "
                     "per column to fill) or remove (drop the matched rows).",
              doc_zh="修改（修改所匹配行的该列，默认）、新增（以该键新增一行；每个要填写的列一行）或删除（删除所匹配的行）。"),
            C("note", K.TEXT, "备注", "Note", doc_en="Why.", doc_zh="原因。"),
        ),
        doc_en="Plan modeling: each scenario is a set of overrides of the base tables (a steeper accelerator, a "
               "cap, another target split ...). `salesbook model` replays every scenario on the deals and "
               "simulates its cost; the base is the book as it is.",
        doc_zh="方案模拟：每个情景是对基础表的一组调整（更陡的加速、封顶、不同的目标分解等）。"
               "`salesbook model` 用实际成交回放每个情景并模拟其成本；基准为工作簿现状。",
        domain="scenarios", optional=True,
    ),
    Table(
        "Out_Scenarios", "情景对比",
        (
            C("scenario_id", K.ID, "情景编号", "Scenario ID"),
            C("name", K.TEXT, "情景名称", "Scenario name"),
            C("measure", K.TEXT, "指标", "Measure"),
            C("attainment", K.PERCENT, "达成率", "Attainment",
              doc_en="Payout-curve rows: the attainment every rep reaches in every period.",
              doc_zh="提成曲线行：每位代表每期均达到的达成率。"),
            C("probability", K.PERCENT, "概率", "Probability",
              doc_en="Distribution rows: the share of simulated years whose payout is at most the amount.",
              doc_zh="分布行：模拟年份中提成不超过该金额的比例。"),
            C("amount", K.MONEY, "金额", "Amount"),
            C("share", K.PERCENT, "比例", "Share"),
            C("base_amount", K.MONEY, "基准金额", "Base amount"),
            C("base_share", K.PERCENT, "基准比例", "Base share"),
            C("explanation", K.TEXT, "说明", "Explanation"),
        ),
        doc_en="One row per scenario and measure: payout replayed on the deals (exact), the simulated cost "
               "(expected, P10/P50/P90, cost of sales, share of reps above quota), the cost distribution and the "
               "payout curve, each beside the base.",
        doc_zh="每个情景每项指标一行：按实际成交回放的提成（精确）、模拟成本（期望、P10/P50/P90、提成占销售比、"
               "达成配额的代表比例）、成本分布与提成曲线，并与基准并列。", output=True, domain="scenarios",
    ),
    Table(
        "Out_ScenarioReps", "情景代表对比",
        (
            C("scenario_id", K.ID, "情景编号", "Scenario ID"),
            C("rep_id", K.ID, "销售代表编号", "Rep ID"),
            C("name", K.TEXT, "姓名", "Name"),
            C("plan_id", K.ID, "方案编号", "Plan ID"),
            C("base_payable", K.MONEY, "基准提成", "Base commission"),
            C("payable", K.MONEY, "情景提成", "Commission"),
            C("base_bonus", K.MONEY, "基准奖金", "Base bonus"),
            C("bonus", K.MONEY, "情景奖金", "Bonus"),
            C("change", K.MONEY, "变化", "Change",
              doc_en="Commission and bonus under the scenario minus under the base (replayed).",
              doc_zh="情景下提成与奖金合计减去基准（回放）。"),
            C("change_share", K.PERCENT, "变化比例", "Change %"),
            C("base_expected", K.MONEY, "基准模拟期望", "Base expected"),
            C("expected", K.MONEY, "情景模拟期望", "Expected"),
            C("outcome", K.TEXT, "结果", "Outcome"),
            C("explanation", K.TEXT, "说明", "Explanation"),
        ),
        doc_en="Winners and losers: every rep's replayed commission (and KPI bonus) and simulated expected "
               "commission under each scenario against the base.",
        doc_zh="受益与受损：每位代表在各情景下的回放提成（及考核奖金）与模拟期望提成，与基准对比。",
        output=True, domain="scenarios",
    ),
)
