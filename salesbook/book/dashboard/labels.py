"""Every text the dashboard shows, in both languages (walked by tests/test_messages.py)."""

from __future__ import annotations

from salesbook.schemas.currency import code_of, name_zh

TEXT = {
    "en": {
        "title": "Sales dashboard",
        "subtitle": "{company} · fiscal year {fy} · data as of {as_of}",
        "how": ("The charts read the tables from row {row} down, which add up the Out_ sheets with formulas: "
                "edit a figure there and recalculate, and the charts follow. This sheet is replaced on every run."),
        "data": "Data behind the charts",
        "monthly": "Target vs actual by month",
        "month": "Month", "target": "Target", "actual": "Actual", "cum_target": "Cumulative target",
        "cum_actual": "Cumulative actual", "achievement": "Achievement",
        "future": "Months after {as_of} have no actuals yet: #N/A, left out of the charts.",
        "amount": "Amount ({unit})", "cumulative": "Cumulative ({unit})",
        "regions": "Attainment by region, full year",
        "region_id": "Region ID", "region": "Region", "attainment": "Attainment", "sort_key": "Sort key",
        "ranked": "Regions by attainment", "rank": "Rank",
        "commission": "Commission cost by month",
        "cost": "Commission cost", "sales": "Sales", "cost_pct": "Cost % of sales",
        "leads": "Leads by grade and win rate",
        "grade": "Grade", "lead_count": "Leads", "won": "Won", "lost": "Lost", "win_rate": "Win rate",
        "win_rate_note": "Win rate = won ÷ (won + lost) among the leads of the grade.",
        "ratings": "KPI ratings, fiscal year {fy}",
        "rating": "Rating", "min_score": "Min score", "reps": "Reps", "share": "Share",
        "ratings_note": ("Reps counted by their yearly scorecard: a scorecard's KPI weights add up to 100%, so the "
                         "weights of the rows with one rating add up to the reps who got it."),
        "figures": "Key figures",
        "fig_target": "Full-year target", "fig_actual": "Actual to date", "fig_achievement": "Achievement",
        "fig_cost": "Commission cost", "fig_cost_pct": "Commission % of sales", "fig_leads": "Leads",
        "fig_win_rate": "Win rate", "fig_rated": "Reps rated",
        "unit_millions": "{code} millions", "unit_thousands": "{code} thousands", "unit_ones": "{code}",
        "unit_hundred_millions": "{code} hundred millions", "unit_ten_thousands": "{code} ten thousands",
    },
    "zh": {
        "title": "销售看板",
        "subtitle": "{company} · {fy} 财年 · 数据截至 {as_of}",
        "how": "图表读取第 {row} 行起的各表，这些表用公式汇总 Out_ 工作表：修改其中数字并重新计算，图表随之更新。本工作表每次运行都会替换。",
        "data": "图表数据",
        "monthly": "各月目标与实际",
        "month": "月份", "target": "目标", "actual": "实际", "cum_target": "累计目标", "cum_actual": "累计实际",
        "achievement": "达成率",
        "future": "{as_of} 之后的月份尚无实际数据：显示为 #N/A，图表中不绘制。",
        "amount": "金额（{unit}）", "cumulative": "累计（{unit}）",
        "regions": "各区域全年目标达成率",
        "region_id": "区域编号", "region": "区域", "attainment": "达成率", "sort_key": "排序键",
        "ranked": "按达成率排序的区域", "rank": "排名",
        "commission": "各月提成费用",
        "cost": "提成费用", "sales": "销售额", "cost_pct": "提成占销售额",
        "leads": "线索等级分布与赢单率",
        "grade": "等级", "lead_count": "线索数", "won": "赢单", "lost": "输单", "win_rate": "赢单率",
        "win_rate_note": "赢单率 = 赢单 ÷（赢单 + 输单），按该等级的线索计算。",
        "ratings": "{fy} 财年考核评级分布",
        "rating": "评级", "min_score": "最低分", "reps": "人数", "share": "占比",
        "ratings_note": "按年度考核计人数：每份考核的指标权重合计 100%，同一评级各行的权重之和即该评级的人数。",
        "figures": "关键指标",
        "fig_target": "全年目标", "fig_actual": "累计实际", "fig_achievement": "达成率",
        "fig_cost": "提成费用", "fig_cost_pct": "提成占销售额", "fig_leads": "线索数",
        "fig_win_rate": "赢单率", "fig_rated": "参与考核人数",
        "unit_millions": "百万{code}", "unit_thousands": "千{code}", "unit_ones": "{code}",
        "unit_hundred_millions": "亿{code}", "unit_ten_thousands": "万{code}",
    },
}


def say(lang: str, key: str, **params: object) -> str:
    text = TEXT["zh" if lang == "zh" else "en"][key]
    return text.format(**params) if params else text


def currency_word(lang: str, currency: object) -> str:
    """How the unit is named after a scale word: 'CNY' in English, '元' in Chinese."""
    return name_zh(currency) if lang == "zh" else (code_of(currency) or "")
