"""Job: KPI weights per role and scorecards into Out_KPIWeights and Out_Scorecards."""

from __future__ import annotations

import pandas as pd

from salesbook.book.validate import LoadedBook
from salesbook.engines.kpi import build_scorecards, role_weights
from salesbook.jobs import Job


def run(book: LoadedBook) -> dict[str, pd.DataFrame]:
    t, s = book.tables, book.settings
    lang = str(s["language"])
    weights = role_weights(t["KPIs"], t["KPIWeights"], t.get("WeightMethods"), t.get("AHPJudgements"), t["Actuals"],
                           t["Reps"], lang=lang)
    cards = build_scorecards(t["Actuals"], t["KPIs"], weights, t["Reps"], t["RatingBands"],
                             grain=str(s.get("scorecard_period", "month")), steps=t.get("KPISteps"), lang=lang)
    return {"Out_KPIWeights": weights, "Out_Scorecards": cards}


JOB = Job(name="kpi", title_en="KPI scorecards", title_zh="绩效考核",
          needs=("KPIs", "KPIWeights", "Actuals", "RatingBands", "Reps"),
          uses=("KPIs", "KPIWeights", "WeightMethods", "AHPJudgements", "KPISteps", "Actuals", "RatingBands", "Reps"),
          writes=("Out_KPIWeights", "Out_Scorecards"), run=run, order=40)
