"""Plan modeling: what a commission plan or a target split will cost before it is signed.

``overrides`` applies a scenario's checked override rows to the validated base tables (the engines then run
unchanged on the result); ``payout`` is the plan arithmetic over whole arrays of credited amounts (many
simulated years at once, or an attainment grid); ``simulate`` the seeded bootstrap of each rep's attainment
and the statistics of the draws; ``measures`` the Out_Scenarios and Out_ScenarioReps tables; ``text`` their
words in both languages.
"""

from salesbook.engines.scenarios.measures import (
    REP_COLUMNS,
    SCENARIO_COLUMNS,
    Outcome,
    Replay,
    base_name,
    rep_table,
    scenario_table,
)
from salesbook.engines.scenarios.overrides import Override, apply_overrides, touched
from salesbook.engines.scenarios.payout import PlanSet, Slots, YearPay, plan_set, tier_value, year_pay
from salesbook.engines.scenarios.simulate import (
    GRID,
    MIN_HISTORY,
    PROBABILITIES,
    Priced,
    Year,
    all_deal_sizes,
    bootstrap,
    bootstrap_units,
    deal_sizes,
    price,
    replay_year,
    slots,
)
from salesbook.engines.scenarios.text import BASE, KINDS

__all__ = ["BASE", "GRID", "KINDS", "MIN_HISTORY", "PROBABILITIES", "REP_COLUMNS", "SCENARIO_COLUMNS", "Outcome",
           "Override", "PlanSet", "Priced", "Replay", "Slots", "Year", "YearPay", "all_deal_sizes", "apply_overrides",
           "base_name", "bootstrap", "bootstrap_units", "deal_sizes", "plan_set", "price", "rep_table", "replay_year",
           "scenario_table", "slots", "tier_value", "touched", "year_pay"]
