"""Job: score, grade, route and schedule leads into Out_LeadScores and Out_LeadModel."""

from __future__ import annotations

import pandas as pd

from salesbook.book.validate import LoadedBook
from salesbook.engines.leads import score_leads
from salesbook.jobs import Job


def run(book: LoadedBook) -> dict[str, pd.DataFrame]:
    t, s = book.tables, book.settings
    groups = t.get("ScoreGroups")
    caps = dict(zip(groups["group"], groups["cap"], strict=True)) if groups is not None and len(groups) else None
    as_of = s.get("as_of_date") or pd.Timestamp.today().normalize()
    r = score_leads(t["Leads"], t["ScoringRules"], t["GradeBands"], events=t.get("LeadEvents"), reps=t.get("Reps"),
                    caps=caps, as_of=pd.Timestamp(as_of), decay=str(s.get("lead_decay", "half_life")),
                    half_life_days=float(s.get("lead_half_life_days", 30)),
                    monthly_rate=float(s.get("lead_linear_decay", 0.25)), lang=str(s["language"]))
    scores, leads = r.scores, t["Leads"]
    if "status" in leads and "status" not in scores:  # beside the grade, for win rates by grade (lead IDs are unique)
        status = scores["lead_id"].map(dict(zip(leads["lead_id"], leads["status"], strict=True)))
        scores.insert(int(scores.columns.get_loc("grid")) + 1, "status", status)
    return {"Out_LeadScores": scores, "Out_LeadModel": r.model}


JOB = Job(name="leads", title_en="Lead scoring", title_zh="线索评分",
          needs=("Leads", "ScoringRules", "GradeBands"),
          uses=("Leads", "LeadEvents", "ScoringRules", "GradeBands", "ScoreGroups", "Reps"),
          writes=("Out_LeadScores", "Out_LeadModel"), run=run, order=20, aside=True)
