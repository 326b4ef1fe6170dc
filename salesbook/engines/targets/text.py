"""Explanation sentences of the target engine, in English and Chinese."""

from __future__ import annotations

from salesbook.messages import Words, column_label, path

TEXT = {
    "en": {
        "sep": "; ", "company": "company target", "company_growth": "prior-year actuals {base} {g:+.1%} growth",
        "even": "(even split)", "prior_year": "of prior-year actuals", "trailing_12m": "of trailing-12-month actuals",
        "weight": "by {col}", "blend": "blend {parts}", "share": "{dim} share {pct}",
        "product_line": "product line", "region_id": "region", "rep_id": "rep",
        "growth": "{g:+.0%} growth", "locked": "locked at {amt}", "min": "raised to minimum {amt}",
        "max": "capped at maximum {amt}", "padding": "padding {p:.0%} at this level",
        "no_history": "no history under this parent: even split",
        "sibling_avg": "no history (new): sibling average",
        "no_reps": "nobody to carry it here: unassigned", "unassigned": "not assigned: hires, leavers and ramp",
        "all_fixed": "left over after locks and maximums: unassigned",
        "carries": "carries {a:.0%} of a full year (hire date, leave date, ramp)", "freed": "{amt} freed",
        "season": "season {pct}", "ramp": "ramp {r:.0%} (month {m})", "active": "active {d}/{n} days",
        "off": "not employed this month", "absent_lock": "locked but not employed all year: spread by season",
        "sum": "sum of children", "quarter": "sum of the quarter's months",
        "exact": "children add up exactly", "months_ok": "months add up to the year", "nobody": "unassigned", "padded": "children total {r:.2%} of the parent: padding {p:.0%}",
        "leftover": "children short of the parent by {amt}",
        "actual": "booked deals credited by Credits shares", "actual_overlay": "booked deals credited by Credits "
        "shares, overlays included", "commit": "commitment {c} vs target {t} ({k} of {n} reps committed)",
        "units": "units of booked deals credited by Credits shares",
        "units_overlay": "units of booked deals credited by Credits shares, overlays included",
        "to_date": "to date {a} to {b}", "to_date_none": "to date: no month has begun",
        "converted": "{amt} / average price {p} ({basis}) = {q} units",
        "price_history": "{when} sales {amt} / {q} units",
        "price_list": "list price of its products", "when_prior_year": "prior-year",
        "when_trailing_12m": "trailing-12-month", "in_units": "counted in units",
    },
    "zh": {
        "sep": "；", "company": "公司目标", "company_growth": "上年实际 {base}，增长 {g:+.1%}",
        "even": "（平均分配）", "prior_year": "按上年实际", "trailing_12m": "按近12个月实际",
        "weight": "按{col}", "blend": "混合 {parts}", "share": "{dim}占比 {pct}",
        "product_line": "产品线", "region_id": "区域", "rep_id": "代表",
        "growth": "增长调整 {g:+.0%}", "locked": "锁定为 {amt}", "min": "提高到下限 {amt}",
        "max": "封顶到上限 {amt}", "padding": "本层加码 {p:.0%}",
        "no_history": "上级下无历史数据：平均分配", "sibling_avg": "无历史（新人）：取同级平均",
        "no_reps": "此处无人承担：未分配", "unassigned": "未分配：新人、离职与爬坡空出的目标",
        "all_fixed": "锁定与上限之后的剩余：未分配",
        "carries": "承担全年的 {a:.0%}（入职、离职、爬坡）", "freed": "空出 {amt}",
        "season": "季节占比 {pct}", "ramp": "爬坡 {r:.0%}（入职第 {m} 个月）", "active": "在岗 {d}/{n} 天",
        "off": "本月不在岗", "absent_lock": "已锁定但全年不在岗：按季节分摊",
        "sum": "下级合计", "quarter": "本季各月合计",
        "exact": "下级合计与上级精确相等", "months_ok": "各月合计等于全年", "nobody": "未分配", "padded": "下级合计为上级的 {r:.2%}：加码 {p:.0%}",
        "leftover": "下级合计比上级少 {amt}",
        "actual": "已成交订单按业绩分配比例计入", "actual_overlay": "已成交订单按业绩分配比例计入（含叠加业绩）",
        "commit": "承诺 {c}，目标 {t}（{n} 名代表中 {k} 名已承诺）",
        "units": "已成交订单数量按业绩分配比例计入", "units_overlay": "已成交订单数量按业绩分配比例计入（含叠加业绩）",
        "to_date": "累计 {a} 至 {b}", "to_date_none": "累计：尚无已开始的月份",
        "converted": "{amt} ÷ 平均单价 {p}（{basis}）= 数量 {q}",
        "price_history": "{when}销售额 {amt} ÷ 数量 {q}",
        "price_list": "所含产品的标价", "when_prior_year": "上年", "when_trailing_12m": "近12个月", "in_units": "按数量计",
    },
}


def say(lang: str, key: str, **kw: object) -> str:
    """One explanation fragment in the book's language."""
    return TEXT["zh" if lang == "zh" else "en"][key].format(**kw)


def dim_name(dim: str) -> Words:
    """A level of the hierarchy (product_line, region_id, rep_id) as a word in both languages."""
    return Words(TEXT["en"].get(dim, dim), TEXT["zh"].get(dim, dim))


def dims_path(dims: list[str]) -> Words | str:
    """The hierarchy as the reader says it: product line > region > rep."""
    return path(dim_name(d) for d in dims) if dims else "-"


def weight_label(col: str, table: str, lang: str) -> str:
    """A weight column named by its header in the book's language ("headcount" is a word of its own)."""
    if col == "headcount":
        return "人数" if lang == "zh" else "headcount"
    label = column_label(table, col, lang)
    return label if label != col else column_label("Reps", col, lang)


def money(x: float) -> str:
    """1,234 for whole amounts, 1,234.50 otherwise (cents always shown in pairs)."""
    text = f"{x:,.2f}"
    return text[:-3] if text.endswith(".00") else text
