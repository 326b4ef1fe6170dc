"""Words of the scenario outputs in both languages: measure names, outcomes and explanations."""

from __future__ import annotations

import math

BASE = "BASE"

# each measure of Out_Scenarios and the column its value goes in (its names in both languages are part of the
# workbook contract: salesbook/schemas/scenarios.py)
KINDS = {"replay_payable": "amount", "replay_bonus": "amount", "replay_total": "amount", "replay_sales": "amount",
         "replay_cost_of_sales": "share", "replay_above_quota": "share", "sim_expected": "amount",
         "sim_p10": "amount", "sim_p50": "amount", "sim_p90": "amount", "sim_cost_of_sales": "share",
         "sim_above_quota": "share", "distribution": "amount", "curve": "amount"}

TEXT = {
    "en": {
        "base_name": "Base (the book as it is)",
        "vs_base": "; {d} against the base ({p})",
        "same": "; as the base",
        "points": "{d} pp",
        "replay_payable": "payable of {n} statements replayed on the deals",
        "replay_bonus": "KPI bonuses of the scorecards",
        "replay_total": "commissions + KPI bonuses",
        "replay_sales": "credited sales on the statements",
        "replay_cost_of_sales": "commissions / credited sales",
        "replay_above_quota": "{k} of {m} reps with a quota reached it over the year",
        "sim_expected": "mean of {n} simulated years: each rep's periods drawn from their own replayed attainment "
                        "(seed {s}); SPIFFs as replayed, returns through the credited amounts",
        "sim_q": "{p} of the simulated years pay at most this",
        "sim_cost_of_sales": "expected commissions / expected credited sales",
        "sim_above_quota": "expected share of reps with a quota whose simulated year reaches it",
        "distribution": "{p} of the simulated years pay at most this",
        "curve": "every rep at {a} of quota (or of their mean period) in every period",
        "gains": "gains", "loses": "loses", "unchanged": "unchanged",
        "rep": "commission {b} -> {s}",
        "rep_bonus": "; KPI bonus {b} -> {s}",
        "rep_expected": "; simulated expectation {b} -> {s}",
        "rep_statements": "; {n} statements: {parts} = {p}",
        "earned": "earned {x}", "spiffs": "SPIFFs {x}", "overrides": "overrides {x}", "clawbacks": "clawbacks {x}",
        "draws": "draws {x}",
        "sep": "; ",
    },
    "zh": {
        "base_name": "基准（工作簿现状）",
        "vs_base": "；较基准 {d}（{p}）",
        "same": "；与基准相同",
        "points": "{d} 个百分点",
        "replay_payable": "按实际成交回放的 {n} 张对账单应付合计",
        "replay_bonus": "绩效考核奖金合计",
        "replay_total": "提成 + 考核奖金",
        "replay_sales": "对账单计入业绩合计",
        "replay_cost_of_sales": "提成 / 计入业绩",
        "replay_above_quota": "{m} 名有配额的代表中 {k} 名全年达成配额",
        "sim_expected": "{n} 个模拟年份的平均值：每位代表各期按其回放达成率有放回抽样（随机种子 {s}）；专项奖励按回放金额计，退货与取消体现在计入业绩中",
        "sim_q": "模拟年份中 {p} 的提成不超过此值",
        "sim_cost_of_sales": "期望提成 / 期望计入业绩",
        "sim_above_quota": "模拟年份中有配额且全年达成配额的代表的期望比例",
        "distribution": "模拟年份中 {p} 的提成不超过此值",
        "curve": "每位代表每期均达到配额（无配额者为其平均月份）的 {a}",
        "gains": "受益", "loses": "受损", "unchanged": "不变",
        "rep": "提成 {b} → {s}",
        "rep_bonus": "；考核奖金 {b} → {s}",
        "rep_expected": "；模拟期望 {b} → {s}",
        "rep_statements": "；{n} 张对账单：{parts} = {p}",
        "earned": "提成 {x}", "spiffs": "专项奖励 {x}", "overrides": "管理提成 {x}", "clawbacks": "追回 {x}",
        "draws": "预支 {x}",
        "sep": "；",
    },
}


def texts(lang: str) -> dict[str, str]:
    return TEXT["zh" if lang == "zh" else "en"]


def money(x: float) -> str:
    return "-" if x is None or not math.isfinite(x) else f"{x:,.2f}"


def signed(x: float) -> str:
    return "-" if x is None or not math.isfinite(x) else f"{x:+,.2f}"


def pct(x: float, digits: int = 1) -> str:
    return "-" if x is None or not math.isfinite(x) else f"{x:.{digits}%}"
