"""Job: KPI weights per role and scorecards into Out_KPIWeights, Out_Scorecards and Out_PeriodScorecards."""

from __future__ import annotations

import pandas as pd

from salesbook.book.validate import LoadedBook
from salesbook.engines.kpi import build_scorecards, role_weights
from salesbook.engines.kpi_periods import period_scorecards
from salesbook.jobs import Job


def run(book: LoadedBook) -> dict[str, pd.DataFrame]:
    t, s = book.tables, book.settings
    lang = str(s["language"])
    weights = role_weights(t["KPIs"], t["KPIWeights"], t.get("WeightMethods"), t.get("AHPJudgements"), t["Actuals"],
                           t["Reps"], lang=lang)
    grain = str(s.get("scorecard_period") or "month")
    start = int(s.get("fiscal_year_start_month") or 1)
    cards = build_scorecards(t["Actuals"], t["KPIs"], weights, t["Reps"], t["RatingBands"],
                             grain=grain, steps=t.get("KPISteps"), lang=lang, start_month=start)
    as_of = pd.Timestamp(s.get("as_of_date") or pd.Timestamp.today().normalize())
    periods = period_scorecards(t["Actuals"], t["KPIs"], weights, t["Reps"], t["RatingBands"], steps=t.get("KPISteps"),
                                lang=lang, start_month=start, as_of=as_of, pay_grain=grain)
    return {"Out_KPIWeights": weights, "Out_Scorecards": cards, "Out_PeriodScorecards": periods}


JOB = Job(name="kpi", title_en="KPI scorecards", title_zh="绩效考核",
          needs=("KPIs", "KPIWeights", "Actuals", "RatingBands", "Reps"),
          uses=("KPIs", "KPIWeights", "WeightMethods", "AHPJudgements", "KPISteps", "Actuals", "RatingBands", "Reps"),
          writes=("Out_KPIWeights", "Out_Scorecards", "Out_PeriodScorecards"), run=run, order=40)
