"""Job: plan modeling into Out_Scenarios and Out_ScenarioReps (``salesbook model``).

Each scenario's overrides are applied to the validated base tables and the unchanged engines run on the
result: targets again when a target table changed (each rep's quota then moves with their target),
commissions again when a plan table or a target changed, KPI scorecards again when a KPI table changed.
Then every scenario is priced on the same seeded simulated years.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from salesbook.book.validate import LoadedBook
from salesbook.engines.commissions import credit_lines
from salesbook.engines.kpi import build_scorecards, role_weights
from salesbook.engines.scenarios import (
    BASE,
    Outcome,
    Override,
    Replay,
    all_deal_sizes,
    apply_overrides,
    base_name,
    bootstrap,
    bootstrap_units,
    plan_set,
    price,
    rep_table,
    replay_year,
    scenario_table,
    slots,
    touched,
)
from salesbook.errors import InputError, problem
from salesbook.jobs import Job
from salesbook.jobs import commissions as commission_job
from salesbook.jobs import targets as target_job
from salesbook.messages import Words
from salesbook.schemas import REGISTRY
from salesbook.schemas.scenarios import COMMISSION_TABLES, KPI_TABLES, OVERRIDABLE, TARGET_TABLES, measure_names

KPI_NEEDS = ("KPIs", "KPIWeights", "Actuals", "RatingBands")


@dataclass
class Scenario:
    id: str
    name: str
    overrides: list[Override]
    row: int   # its first row in the Scenarios sheet


def scenarios(frame: pd.DataFrame) -> list[Scenario]:
    """The checked Scenarios rows grouped by scenario, in the order they first appear."""
    out: dict[str, Scenario] = {}
    for row, r in frame.iterrows():
        sid = str(r["scenario_id"])
        sc = out.setdefault(sid, Scenario(sid, "", [], int(row)))
        if not sc.name and isinstance(r["name"], str) and r["name"].strip():
            sc.name = r["name"].strip()
        sc.overrides.append(Override(scenario=sid, table=str(r["table"]), action=str(r["action"] or "set"),
                                     column=None if pd.isna(r["column"]) else str(r["column"]), value=r["parsed"],
                                     rows=tuple(r["rows"] or ()), key=tuple(r["key_values"] or ()),
                                     group=int(r["group"]), source=int(row)))
    return [replace(s, name=s.name or s.id) for s in out.values()]


def fiscal_periods(settings: Mapping[str, object]) -> list[str]:
    """The fiscal year's periods as the commission engine labels them (months, calendar quarters or years)."""
    fy, start = int(settings["fiscal_year"]), int(settings.get("fiscal_year_start_month") or 1)
    first = pd.Timestamp(fy if start == 1 else fy - 1, start, 1)
    months = [first + pd.DateOffset(months=i) for i in range(12)]
    grain = str(settings.get("commission_period") or "month")
    labels = [m.strftime("%Y-%m") if grain == "month" else f"{m.year}Q{(m.month - 1) // 3 + 1}" if grain == "quarter"
              else str(m.year) for m in months]
    return list(dict.fromkeys(labels))


class _Runner:
    """The engines on one scenario's tables, with what the base already computed reused."""

    def __init__(self, book: LoadedBook):
        self.book, self.settings = book, book.settings
        self.inputs = {k: v for k, v in book.tables.items() if not k.startswith("Out_")}
        self.periods = fiscal_periods(self.settings)
        t = self.inputs
        self.kpi_in_use = all(t.get(n) is not None and len(t[n]) for n in KPI_NEEDS)
        self.targets_in_use = t.get("CompanyTarget") is not None and len(t["CompanyTarget"]) > 0

    def _loaded(self, tables: dict[str, pd.DataFrame]) -> LoadedBook:
        return LoadedBook(tables=tables, settings=self.settings, locator=self.book.locator, warnings=[])

    def statements(self, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
        return commission_job.statements(self._loaded(tables))

    def rep_targets(self, tables: dict[str, pd.DataFrame]) -> pd.Series:
        by_month = target_job.run(self._loaded(dict(tables)), review=False)["Out_TargetsByMonth"]
        rows = by_month[by_month["rep_id"].notna()]
        return pd.to_numeric(rows["total"], errors="coerce").groupby(rows["rep_id"].astype(object)).sum()

    def bonus(self, tables: dict[str, pd.DataFrame]) -> pd.Series:
        s, lang = self.settings, str(self.settings["language"])
        weights = role_weights(tables["KPIs"], tables["KPIWeights"], tables.get("WeightMethods"),
                               tables.get("AHPJudgements"), tables["Actuals"], tables["Reps"], lang=lang)
        cards = build_scorecards(tables["Actuals"], tables["KPIs"], weights, tables["Reps"], tables["RatingBands"],
                                 grain=str(s.get("scorecard_period") or "month"), steps=tables.get("KPISteps"),
                                 lang=lang, start_month=int(s.get("fiscal_year_start_month") or 1))
        return _bonus_by_rep(cards)


def _bonus_by_rep(cards: pd.DataFrame) -> pd.Series:
    """A scorecard repeats the rep's bonus on every KPI row: one per rep and period, summed per rep."""
    one = cards.drop_duplicates(["rep_id", "period"])
    return pd.to_numeric(one["bonus"], errors="coerce").fillna(0.0).groupby(one["rep_id"].astype(object)).sum()


def _scaled_quotas(tables: dict[str, pd.DataFrame], base_targets: pd.Series, targets: pd.Series) -> None:
    """Each rep's quota moves with their target: a target 10% higher under the scenario, a quota 10% higher."""
    a = tables["PlanAssignments"].copy()
    before = a["rep_id"].astype(object).map(base_targets).astype(float)
    after = a["rep_id"].astype(object).map(targets).astype(float)
    ratio = np.where((before > 0) & np.isfinite(after), after / before, 1.0)
    a["quota"] = np.round(pd.to_numeric(a["quota"], errors="coerce") * ratio, 2)
    if "quota_quantity" in a:   # a unit quota moves with the target too
        a["quota_quantity"] = np.round(pd.to_numeric(a["quota_quantity"], errors="coerce") * ratio, 6)
    tables["PlanAssignments"] = a


def _refused(sc: Scenario, exc: InputError) -> InputError:
    """An engine's refusal of a scenario's tables, said at the scenario's row."""
    def reasons(lang: str) -> str:   # each as the user would read it on its own, without its full stop
        return ("；" if lang == "zh" else "; ").join(p.render(lang).rstrip(".。") for p in exc.problems[:3])

    return InputError(problem("scenario {s} cannot be computed with its overrides: {why}.",
                              "情景 {s} 按其调整无法计算：{why}。", table="Scenarios", row=sc.row,
                              column="scenario_id", s=sc.id, why=Words(reasons("en"), reasons("zh"))))


def run(book: LoadedBook) -> dict[str, pd.DataFrame]:
    s = book.settings
    lang = str(s["language"])
    runner = _Runner(book)
    specs = scenarios(book.tables["Scenarios"])
    t = runner.inputs
    reuse = book.tables
    base_st = reuse["Out_Statements"] if "Out_Statements" in reuse else runner.statements(t)
    base_bonus = None
    if runner.kpi_in_use:
        base_bonus = _bonus_by_rep(reuse["Out_Scorecards"]) if "Out_Scorecards" in reuse else runner.bonus(t)
    need_targets = runner.targets_in_use and any(touched(sc.overrides) & TARGET_TABLES for sc in specs)
    base_targets = runner.rep_targets(t) if need_targets else None
    replays = [(Scenario(BASE, base_name(lang), [], 0), t,
                Replay(base_st, runner.periods, base_bonus, _unit_plans(t["Plans"])))]
    for sc in specs:
        tables = apply_overrides(t, sc.overrides, {name: REGISTRY[name].key for name in OVERRIDABLE})
        changed = touched(sc.overrides)
        try:
            if changed & TARGET_TABLES and base_targets is not None:
                _scaled_quotas(tables, base_targets, runner.rep_targets(tables))
            statements = runner.statements(tables) if changed & (COMMISSION_TABLES | TARGET_TABLES) else base_st
            bonus = runner.bonus(tables) if changed & KPI_TABLES and runner.kpi_in_use else base_bonus
        except InputError as exc:
            raise _refused(sc, exc.located(book.locator)) from None
        replays.append((sc, tables, Replay(statements, runner.periods, bonus, _unit_plans(tables["Plans"]))))
    return _priced(book, replays)


def _priced(book: LoadedBook, replays: list[tuple[Scenario, dict[str, pd.DataFrame], Replay]]) -> dict[str, pd.DataFrame]:
    s = book.settings
    lang, boundary = str(s["language"]), str(s.get("tier_boundary") or "upper")
    draws, seed = int(s.get("scenario_draws") or 1000), int(s.get("scenario_seed") or 0)
    t = replays[0][1]
    reps = [str(r) for r in t["Reps"]["rep_id"]]
    names = {str(r): str(n) for r, n in zip(t["Reps"]["rep_id"], t["Reps"]["name"], strict=True)}
    index = pd.Index(reps)
    managers = index.get_indexer(t["Reps"]["manager_id"].astype(object).to_numpy()) if "manager_id" in t["Reps"] \
        else np.full(len(reps), -1)
    lines = _deal_lines(t)
    base_plans = plan_set(t["Plans"], t["PlanTiers"])
    base_year = replay_year(replays[0][2].statements, reps, replays[0][2].periods, base_plans)
    credited = bootstrap(base_year, draws, seed)
    units = bootstrap_units(base_year, draws, seed) if any(_plans_on_units(tables) for _, tables, _ in replays) else None
    sizes = all_deal_sizes(lines, reps)   # the same for every scenario
    outcomes = []
    for sc, tables, rp in replays:
        plans = base_plans if tables is t else plan_set(tables["Plans"], tables["PlanTiers"])
        year = replay_year(rp.statements, reps, rp.periods, plans)
        priced = price(credited, slots(year, base_year, plans, lines, managers, boundary, sizes), plans, boundary,
                       units)
        outcomes.append(Outcome(sc.id, sc.name, rp, priced, _plan_at_end(rp)))
    out = {"Out_Scenarios": scenario_table(outcomes, draws=draws, seed=seed, lang=lang, names=measure_names(lang)),
           "Out_ScenarioReps": rep_table(outcomes, reps, names, lang=lang)}
    return {name: frame.reindex(columns=REGISTRY[name].column_names) for name, frame in out.items()}


def _deal_lines(t: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Credited deal lines of booked deals (rep, amount and units credited), whose sizes price per-deal tier plans
    and line caps (units for plans paying per unit)."""
    deals = t["Deals"]
    lines = credit_lines(deals, t.get("Credits"))
    booked = lines["status"].fillna("booked").astype(str).eq("booked") if "status" in lines else True
    share = lines["credit_share"].astype(float)
    amount = pd.to_numeric(lines["amount"], errors="coerce").fillna(0.0)
    qty = pd.to_numeric(lines["quantity"], errors="coerce").fillna(0.0) if "quantity" in lines else 0.0 * amount
    units = qty.abs().where(amount >= 0, -qty.abs()) * share   # a credit note's units count negative
    return pd.DataFrame({"rep_id": lines["rep_id"].astype(object), "base": amount * share, "units": units})[booked]


def _unit_plans(plans: pd.DataFrame) -> frozenset:
    """The plans paying per unit (their statements hold units to the unit quota)."""
    if "commission_base" not in plans:
        return frozenset()
    return frozenset(plans.loc[plans["commission_base"].astype(object).eq("quantity").to_numpy(dtype=bool), "plan_id"])


def _plans_on_units(tables: Mapping[str, pd.DataFrame]) -> bool:
    return bool(_unit_plans(tables["Plans"]))


def _plan_at_end(rp: Replay) -> dict[str, str]:
    st = rp.statements[rp.statements["period"].astype(str).isin(list(rp.periods))]
    last = st.sort_values(["rep_id", "period"]).groupby("rep_id").tail(1)
    return {str(r): str(p) for r, p in zip(last["rep_id"], last["plan_id"], strict=True) if pd.notna(p)}


JOB = Job(name="scenarios", title_en="Plan modeling", title_zh="方案模拟",
          needs=("Scenarios", "Deals", "Plans", "PlanTiers", "PlanAssignments", "Reps"),
          uses=("Scenarios", "Deals", "Credits", "Payments", "Plans", "PlanTiers", "PlanAssignments", "Spiffs", "Reps",
                "CompanyTarget", "Seasonality", "Products", "Regions", "History", "TargetLevels", "TargetAdjustments",
                "RampProfile", "Commitments", "KPIs", "KPIWeights", "WeightMethods", "AHPJudgements", "KPISteps",
                "Actuals", "RatingBands"),
          writes=("Out_Scenarios", "Out_ScenarioReps"), run=run, order=90, on_request=True)
