"""Demo leads with engagement events, a rule set with negative points, grade bands, and won/lost history
whose outcomes really depend on industry, size, budget and source (so the model has something to learn)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesbook.demo import DemoContext
from salesbook.demo.core import CUSTOMER_STEMS, INDUSTRIES

ORDER = 20
SOURCES = {"en": ["Website", "Trade show", "Referral", "Cold call", "Partner"],
           "zh": ["官网", "展会", "客户推荐", "电话开发", "渠道伙伴"]}
EVENTS = {"en": ["email_open", "web_visit", "demo_request", "price_inquiry", "email_bounce"],
          "zh": ["打开邮件", "访问官网", "申请演示", "询价", "邮件退回"]}


def generate(ctx: DemoContext) -> dict[str, pd.DataFrame]:
    rng = ctx.rng("leads")
    lang = ctx.lang
    fy = ctx.fiscal_year
    t = ctx.tables
    n = ctx.scaled(2_400, minimum=60)
    industries, sources, events = INDUSTRIES[lang], SOURCES[lang], EVENTS[lang]
    lines = sorted(t["Products"]["product_line"].unique())
    regions = t["Regions"]["region_id"].to_numpy()
    created = pd.Timestamp(fy - 1, 7, 1) + pd.to_timedelta(rng.integers(0, 540, n), unit="D")
    created = pd.Series(created).where(pd.Series(created) <= pd.Timestamp(fy, 12, 20), pd.Timestamp(fy, 12, 20))
    ind = rng.choice(len(industries), n, p=[0.3, 0.15, 0.15, 0.15, 0.15, 0.1])
    src = rng.choice(len(sources), n, p=[0.35, 0.2, 0.15, 0.15, 0.15])
    employees = np.round(rng.lognormal(5, 1.2, n)).astype(int)
    budget = np.round(rng.lognormal(12.5, 1.0, n), -3)
    # true win propensity: manufacturing, referrals, bigger budgets and companies win more often
    logit = -1.2 + 0.9 * (ind == 0) + 0.8 * (src == 2) - 0.6 * (src == 3) + 0.5 * (budget > 5e5) + 0.4 * (employees > 200)
    p_win = 1 / (1 + np.exp(-logit))
    closed = created < pd.Timestamp(fy, 6, 30)
    status = np.where(closed, np.where(rng.random(n) < p_win, "won", "lost"), "open")
    stems = CUSTOMER_STEMS[lang]
    leads = pd.DataFrame({
        "lead_id": [f"L{i + 1:06d}" for i in range(n)], "created_date": created.dt.normalize(),
        "company": [f"{stems[i % len(stems)]}{'公司' if lang == 'zh' else ' Co.'} {i + 1}" for i in range(n)],
        "industry": np.array(industries)[ind], "region_id": rng.choice(regions, n),
        "product_line": rng.choice(lines, n), "employees": employees, "budget": budget,
        "source": np.array(sources)[src], "status": status, "owner_rep_id": None, "last_contact_date": pd.NaT})
    reps = t["Reps"]
    sellers = reps[reps["role"].isin(["rep", "senior"])]
    closed_idx = np.flatnonzero(status != "open")
    leads.loc[closed_idx, "owner_rep_id"] = rng.choice(sellers["rep_id"], len(closed_idx))
    open_idx = np.flatnonzero(status == "open")
    pre = open_idx[rng.random(len(open_idx)) < 0.3]  # some open leads are already owned (current load)
    leads.loc[pre, "owner_rep_id"] = rng.choice(sellers["rep_id"], len(pre))
    leads.loc[pre, "last_contact_date"] = leads.loc[pre, "created_date"] + pd.to_timedelta(rng.integers(0, 20, len(pre)), unit="D")
    m = ctx.scaled(9_000, minimum=200)
    who = rng.integers(0, n, m)
    ev_type = rng.choice(len(events), m, p=[0.4, 0.3, 0.1, 0.12, 0.08])
    ev_date = leads["created_date"].to_numpy()[who] + pd.to_timedelta(rng.integers(0, 120, m), unit="D").to_numpy()
    lead_events = pd.DataFrame({"lead_id": leads["lead_id"].to_numpy()[who], "date": pd.to_datetime(ev_date),
                                "event_type": np.array(events)[ev_type]}).sort_values(["lead_id", "date"]).reset_index(drop=True)
    rules = pd.DataFrame([
        ("F1", "fit", "industry", "=", industries[0], 20.0), ("F2", "fit", "industry", "in", f"{industries[1]}, {industries[2]}", 10.0),
        ("F3", "fit", "budget", ">=", "500000", 15.0), ("F4", "fit", "budget", "between", "100000, 499999", 8.0),
        ("F5", "fit", "employees", ">", "200", 10.0), ("F6", "fit", "source", "=", sources[2], 12.0),
        ("F7", "fit", "source", "=", sources[3], -5.0), ("F8", "fit", "region_id", "is blank", None, -10.0),
        ("C1", "custom", "company", "contains", "test", -30.0),
        ("E1", "engagement", events[0], "=", None, 2.0), ("E2", "engagement", events[1], "=", None, 3.0),
        ("E3", "engagement", events[2], "=", None, 15.0), ("E4", "engagement", events[3], "=", None, 10.0),
        ("E5", "engagement", events[4], "=", None, -5.0),
    ], columns=["rule_id", "group", "field", "operator", "value", "points"])
    bands = pd.DataFrame({"grade": ["A", "B", "C", "D"], "min_score": [45.0, 30.0, 15.0, -1000.0],
                          "follow_up_days": [1, 3, 7, 14]})
    groups = pd.DataFrame({"group": ["fit", "engagement", "custom"], "cap": [60.0, 40.0, None]})
    return {"Leads": leads, "LeadEvents": lead_events, "ScoringRules": rules, "GradeBands": bands, "ScoreGroups": groups}
