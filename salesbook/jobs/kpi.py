"""Job: KPI weights per role and scorecards into Out_KPIWeights, Out_Scorecards and Out_PeriodScorecards."""

from __future__ import annotations

import pandas as pd

from salesbook.book.validate import LoadedBook
from salesbook.engines.kpi import CR_LIMIT, BonusRules, build_scorecards, period_scorecards, role_weights
from salesbook.errors import Problem, problem, row_number
from salesbook.jobs import Job
from salesbook.messages import choice_name


def run(book: LoadedBook) -> dict[str, pd.DataFrame]:
    t, s = book.tables, book.settings
    lang = str(s["language"])
    weights = role_weights(t["KPIs"], t["KPIWeights"], t.get("WeightMethods"), t.get("AHPJudgements"), t["Actuals"],
                           t["Reps"], lang=lang)
    grain = str(s.get("scorecard_period") or "month")
    start = int(s.get("fiscal_year_start_month") or 1)
    rules = bonus_rules(s)
    factors = t.get("PerformanceFactors")
    cards = build_scorecards(t["Actuals"], t["KPIs"], weights, t["Reps"], t["RatingBands"],
                             grain=grain, steps=t.get("KPISteps"), lang=lang, start_month=start, factors=factors,
                             rules=rules, warnings=book.warnings)
    as_of = pd.Timestamp(s.get("as_of_date") or pd.Timestamp.today().normalize())
    periods = period_scorecards(t["Actuals"], t["KPIs"], weights, t["Reps"], t["RatingBands"], steps=t.get("KPISteps"),
                                lang=lang, start_month=start, as_of=as_of, pay_grain=grain, factors=factors,
                                rules=rules)
    book.warnings.extend(_inconsistent_ahp(weights))
    book.warnings.extend(_kpis_without_actuals(t["KPIWeights"], t["Actuals"]))
    return {"Out_KPIWeights": weights, "Out_Scorecards": cards, "Out_PeriodScorecards": periods}


def bonus_rules(settings: dict) -> BonusRules:
    """The Settings keys that shape the bonus (blank ones are None: no threshold, floor or cap)."""
    def opt(key: str) -> float | None:
        v = settings.get(key)
        return None if v is None or v == "" else float(v)

    return BonusRules(kpi_factor=str(settings.get("bonus_kpi_factor") or "rating"),
                      score_threshold=opt("bonus_score_threshold"), score_floor=opt("bonus_score_floor"),
                      score_cap=opt("bonus_score_cap"), bonus_cap=opt("bonus_cap"))


def _inconsistent_ahp(weights: pd.DataFrame) -> list[Problem]:
    """AHP weights with CR >= 0.10 are used, but never without a word naming the judgement to revisit."""
    cr = pd.to_numeric(weights["cr"], errors="coerce")
    out = []
    for role, rows in weights[cr >= CR_LIMIT].groupby("role", sort=True):
        first = rows.iloc[0]
        out.append(problem("AHP judgements for role {role}: {note}. The weights were used anyway; revisit that "
                           "judgement and run again.",
                           "岗位级别 {role} 的 AHP 判断：{note}。权重仍已使用；请重新考虑该比较后再运行。",
                           table="AHPJudgements", role=choice_name("Reps", "role", role), note=first["note"]))
    return out


def _kpis_without_actuals(weights: pd.DataFrame, actuals: pd.DataFrame) -> list[Problem]:
    """A weighted KPI nobody has a result for scores nothing: name it."""
    have = set(actuals["kpi_id"].dropna())
    out = []
    for kpi, rows in weights[~weights["kpi_id"].isin(have)].groupby("kpi_id", sort=True):
        out.append(problem("KPI {kpi} has weights but no row in Actuals, so it adds nothing to any scorecard.",
                           "指标 {kpi} 有权重，但指标实际表中没有它的数据，因此不计入任何考核。",
                           table="KPIWeights", row=row_number(rows.index[0]), column="kpi_id", kpi=kpi))
    return out


JOB = Job(name="kpi", title_en="KPI scorecards", title_zh="绩效考核",
          needs=("KPIs", "KPIWeights", "Actuals", "RatingBands", "Reps"),
          uses=("KPIs", "KPIWeights", "WeightMethods", "AHPJudgements", "KPISteps", "Actuals", "RatingBands", "Reps",
                "PerformanceFactors"),
          writes=("Out_KPIWeights", "Out_Scorecards", "Out_PeriodScorecards"), run=run, order=40, aside=True)
