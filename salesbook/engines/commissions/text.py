"""Explanation sentences of the commission engine, in English and Chinese.

Lines that share a reason (same plan, tiers, credit share, component) share one sentence, formatted
once and looked up by code; the line's own numbers are in its columns.
"""

from __future__ import annotations

import numpy as np

TEXT = {
    "en": {
        "sep": "; ", "marginal": "marginal", "whole": "whole-tier",
        "line": "{how}: tier {tier} ({band}) at {rate}",
        "band_amount": "{lo} to {hi}", "band_amount_top": "{lo} and above",
        "band_att": "{lo} to {hi} of quota", "band_att_top": "{lo} of quota and above",
        "below": "below the first tier, nothing paid",
        "per_deal": "tiers reset for every deal",
        "share": "{s} credit share", "overlay": "overlay credit",
        "cross_marginal": ("marginal: crosses from tier {t0} into tier {t1} at {at}; each slice at its own rate "
                           "({slices})"),
        "slice": "{amt} {rate}", "tier_word": "tier {t}",
        "cross_whole": ("whole-tier: the period total reaches tier {t1}, so everything credited this period moves to "
                        "{rate}; this line includes the uplift on earlier deals"),
        "cap_line": "; capped at {cap} per line", "min_line": "; raised to the {m} minimum per line",
        "credit_line": "credit note: {how}, reversed in tier {tier} ({band}) at {rate}",
        "credit_cross_marginal": ("credit note: takes the running total back across {at} from "
                                  "tier {t0} into {into}; each slice reversed at its own rate ({slices})"),
        "credit_cross_whole": ("credit note: whole-tier: the period total falls back to {into}, so "
                               "everything credited this period moves to {rate}; this line includes the reduction on "
                               "earlier deals"),
        "credit_below": "credit note: below the first tier, nothing to reverse",
        "below_first": "below the first tier",
        "claw": "clawback: deal {status} within {days} days; reverses the commission paid in {period} at its original rate",
        "claw_factor": "; as paid after the period's gate or cap ({f})",
        "cancelled": "cancelled", "returned": "returned",
        "cash": ("paid on cash: {rate} of the cash credited (commission earned on booking in {period}, tier {tier}), "
                 "released pro rata to payments"),
        "cash_factor": "; after the booking period's gate or cap ({f})",
        "spiff": "SPIFF {id}: {how}", "spiff_unit": "{pu} per unit x {q}", "spiff_deal": "{pd} per deal",
        "spiff_claw": "SPIFF {id} reversed: deal {status} within {days} days",
        "spiff_credit": "SPIFF {id} taken back by a credit note: {pu} per unit x {q} units credited",
        "override": "override {rate} on {rep}'s credited amount {base}",
        "gate": "gate: attainment {a} is below {g}, nothing earned this period",
        "cap": "period cap {cap}: commission {c} reduced to the cap",
        "draw": "draw: earnings {g} topped up to the {d} guarantee ({kind})",
        "recoverable": "recoverable, owed back from later earnings", "non_recoverable": "non-recoverable",
        "guarantee": ("guarantee: period {k} since hire, draws are recovered from period {n} on, so this one is "
                      "not recovered"),
        "recover": "draw recovery: {r} of the {b} draw balance taken from earnings above the {d} guarantee",
        "st_earned": "earned", "st_spiffs": "SPIFFs", "st_overrides": "overrides", "st_clawbacks": "clawbacks",
        "st_draw": "draw paid", "st_recovered": "draw recovered", "st_payable": "payable",
        "carry": "; rounding remainder {x} carried to the next period",
        "accrual": ("accrued {a} (earned {e}, SPIFFs {s}, overrides {o}, clawbacks {c}); payable {p}; "
                    "draw balance {b}; awaiting cash {w}"),
        "u_line": "{how}: tier {tier} ({band}) at {rate}",
        "u_credit_line": "credit note: {how}, reversed in tier {tier} ({band}) at {rate}",
        "u_cross_marginal": "marginal: crosses from tier {t0} into tier {t1} at {at}, each slice at its own tier's rate",
        "u_credit_cross_marginal": ("credit note: takes the running total back across {at} from tier {t0} into {into}, "
                                    "each slice reversed at its own tier's rate"),
        "band_units": "{lo} to {hi} units", "band_units_top": "{lo} units and above",
        "u_rate": "{pu} per unit", "u_one": "{n} unit", "u_many": "{n} units", "u_term": "{q} × {pu}",
        "u_calc": "{expr} = {amt}",
        "u_claw": "that is {calc}", "u_claw_paid": "that is the {amt} paid on {q}",
        "u_cash": ("paid on cash: {q} paid for, at {pu} per unit (commission earned on booking in {period}, tier "
                   "{tier}), released pro rata to payments"),
        "st_units": "credited {q}; ", "st_units_quota": "credited {q} of a quota of {quota} ({att}); ",
    },
    "zh": {
        "sep": "；", "marginal": "超额累进", "whole": "全额累进",
        "line": "{how}：第 {tier} 档（{band}），费率 {rate}",
        "band_amount": "{lo} 至 {hi}", "band_amount_top": "{lo} 及以上",
        "band_att": "配额的 {lo} 至 {hi}", "band_att_top": "配额的 {lo} 及以上",
        "below": "低于第一档，不计提",
        "per_deal": "每单单独计算阶梯",
        "share": "业绩分配 {s}", "overlay": "叠加业绩",
        "cross_marginal": "超额累进：在 {at} 处由第 {t0} 档跨入第 {t1} 档，各段按各自费率计算（{slices}）",
        "slice": "{amt} {rate}", "tier_word": "第 {t} 档",
        "cross_whole": "全额累进：本期累计达到第 {t1} 档，本期全部业绩改按 {rate} 计提；本行含此前订单的补差",
        "cap_line": "；单笔封顶 {cap}", "min_line": "；不足单笔保底，补足至 {m}",
        "credit_line": "贷项通知单（红字）：{how}，按第 {tier} 档（{band}）费率 {rate} 冲减",
        "credit_cross_marginal": "贷项通知单（红字）：累计业绩在 {at} 处由第 {t0} 档回落至{into}，各段按各自费率冲减（{slices}）",
        "credit_cross_whole": "贷项通知单（红字）：全额累进，本期累计回落至{into}，本期全部业绩改按 {rate} 计提；本行含此前订单的冲减",
        "credit_below": "贷项通知单（红字）：低于第一档，无可冲减",
        "below_first": "第一档以下",
        "claw": "追回：订单在 {days} 天内{status}；按原费率冲回 {period} 已计提的提成",
        "claw_factor": "；按该期门槛或封顶后的实付比例（{f}）",
        "cancelled": "取消", "returned": "退货",
        "cash": "按回款计提：回款业绩 × {rate}（{period} 成交时计提，第 {tier} 档），按回款比例发放",
        "cash_factor": "；已按成交期的门槛或封顶调整（{f}）",
        "spiff": "专项奖励 {id}：{how}", "spiff_unit": "每单位 {pu} × {q}", "spiff_deal": "每单 {pd}",
        "spiff_claw": "专项奖励 {id} 冲回：订单在 {days} 天内{status}",
        "spiff_credit": "专项奖励 {id} 随贷项通知单冲回：每单位 {pu} × 冲减数量 {q}",
        "override": "管理提成 {rate} × {rep} 的业绩 {base}",
        "gate": "门槛：达成率 {a} 低于 {g}，本期不计提",
        "cap": "期间封顶 {cap}：提成 {c} 调减至封顶额",
        "draw": "预支：本期收入 {g} 补足至保底 {d}（{kind}）",
        "recoverable": "可追回，从以后提成中扣回", "non_recoverable": "不可追回",
        "guarantee": "保底期：入职第 {k} 期，预支自第 {n} 期起才追回，本期预支不追回",
        "recover": "冲回预支：从超过保底 {d} 的收入中扣回 {r}（预支余额 {b}）",
        "st_earned": "提成", "st_spiffs": "专项奖励", "st_overrides": "管理提成", "st_clawbacks": "追回",
        "st_draw": "预支补足", "st_recovered": "预支冲回", "st_payable": "应付",
        "carry": "；取整余数 {x} 结转下期",
        "accrual": "计提 {a}（提成 {e}、专项奖励 {s}、管理提成 {o}、追回 {c}）；应付 {p}；预支余额 {b}；待回款 {w}",
        "u_line": "{how}：第 {tier} 档（{band}），{rate}",
        "u_credit_line": "贷项通知单（红字）：{how}，按第 {tier} 档（{band}）{rate} 冲减",
        "u_cross_marginal": "超额累进：在 {at}处由第 {t0} 档跨入第 {t1} 档，各段按各自档位计算",
        "u_credit_cross_marginal": "贷项通知单（红字）：累计数量在 {at}处由第 {t0} 档回落至{into}，各段按各自档位冲减",
        "band_units": "{lo} 至 {hi} 单位", "band_units_top": "{lo} 单位及以上",
        "u_rate": "每单位 {pu}", "u_one": "{n} 单位", "u_many": "{n} 单位", "u_term": "{q} × {pu}",
        "u_calc": "{expr} = {amt}",
        "u_claw": "即 {calc}", "u_claw_paid": "即 {q} 已付的 {amt}",
        "u_cash": "按回款计提：已回款 {q}，每单位 {pu}（{period} 成交时计提，第 {tier} 档），按回款比例发放",
        "st_units": "计入 {q}；", "st_units_quota": "计入 {q}，数量配额 {quota}（达成 {att}）；",
    },
}


def texts(lang: str) -> dict[str, str]:
    return TEXT["zh" if lang == "zh" else "en"]


def money(x: float) -> str:
    return f"{x:,.2f}"


def pct(x: float) -> str:
    return f"{x:.2%}".replace(".00%", "%")


def band(lowers: np.ndarray, tier: int, attainment: bool, T: dict, units: bool = False) -> str:
    """Text of tier ``tier`` (1-based): its bounds as amounts, as units or as shares of quota."""
    fmt = pct if attainment else number if units else money
    kind = "band_att" if attainment else "band_units" if units else "band_amount"
    lo = fmt(lowers[tier - 1])
    if tier == len(lowers):
        return T[f"{kind}_top"].format(lo=lo)
    return T[kind].format(lo=lo, hi=fmt(lowers[tier]))


def number(x: float) -> str:
    """A count of units as typed: thousands separators, no trailing zeros (120, 0.5, 1,250.25)."""
    text = f"{x:,.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def unit_count(x: float, T: dict) -> str:
    """``x`` units in words: "1 unit", "120 units" ("120 单位")."""
    return T["u_one" if abs(x) == 1 else "u_many"].format(n=number(x))


def unit_money(x: float) -> str:
    """Money per unit: cents, or as many decimals (up to 6) as the figure has, so the arithmetic shown is exact."""
    text = f"{x:,.6f}".rstrip("0")
    return text + "0" * max(0, 2 - len(text.split(".")[1]))


def by_category(keys: np.ndarray, make) -> np.ndarray:
    """One sentence per distinct integer key, spread back to every line with that key."""
    if len(keys) == 0:
        return np.array([], dtype=object)
    uniq, inverse = np.unique(keys, return_inverse=True)
    sentences = np.array([make(int(k)) for k in uniq], dtype=object)
    return sentences[inverse]
