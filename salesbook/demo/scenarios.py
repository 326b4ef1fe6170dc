"""Demo scenarios for plan modeling: a steeper accelerator, a lower cap, an even target split at rep level
and a sales-heavy scorecard, each a few override rows of the base tables."""

from __future__ import annotations

import pandas as pd

from salesbook.demo import DemoContext

ORDER = 90

# scenario, en name, zh name, table, key (en, zh), column, value, action, en note, zh note
ROWS = [
    ("STEEP", "Steeper accelerator", "更陡的加速", "PlanTiers", ("STD / 100%", "STD / 100%"), "rate", "6%", "set",
     "pay more from quota on", "达成配额后多付"),
    ("STEEP", "", "", "PlanTiers", ("STD / 120%", "STD / 120%"), "rate", "10%", "set", "", ""),
    ("STEEP", "", "", "PlanTiers", ("STD / 150%", "STD / 150%"), "rate", "12%", "add", "a new top tier", "新增最高档"),
    ("CAP", "Lower caps", "降低封顶", "Plans", ("STD", "STD"), "cap_period", "40000", "set",
     "cap the standard plan lower", "标准方案封顶下调"),
    ("CAP", "", "", "Plans", ("SNR", "SNR"), "cap_period", "60000", "set", "seniors get a cap", "高级销售新增封顶"),
    ("SPLIT", "Even rep targets", "代表目标平均分解", "TargetLevels", ("3", "3"), "method", "even", "set",
     "every rep the same share of the region", "区域内每位代表目标相同"),
    ("KPI", "Sales-heavy scorecard", "侧重销售额的考核", "KPIWeights", ("rep / SALES", "销售代表 / SALES"), "weight",
     "50%", "set", "sales amount counts more", "提高销售额权重"),
    ("KPI", "", "", "KPIWeights", ("rep / NEWCUST", "销售代表 / NEWCUST"), "weight", "5%", "set",
     "so the weights still total 100%", "权重合计仍为 100%"),
]


def generate(ctx: DemoContext) -> dict[str, pd.DataFrame]:
    zh = ctx.lang == "zh"
    rows = [(sid, zh_name if zh else en_name, table, key[1] if zh else key[0], column, value, action,
             zh_note if zh else en_note)
            for sid, en_name, zh_name, table, key, column, value, action, en_note, zh_note in ROWS]
    frame = pd.DataFrame(rows, columns=["scenario_id", "name", "table", "key", "column", "value", "action", "note"])
    frame["name"] = frame["name"].replace("", None)
    frame["note"] = frame["note"].replace("", None)
    return {"Scenarios": frame}
