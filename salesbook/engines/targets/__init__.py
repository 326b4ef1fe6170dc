"""Target decomposition: the company target split by product line, region and rep, then over months.

``decompose`` drives the levels; ``plan`` prepares each level's weights (history, capacity, ratios, locks),
``seasons`` the month profiles and rep availability, ``review`` the target-vs-actual review, ``output``
the long and wide tables, ``text`` the explanations in zh and en.
"""

from salesbook.engines.targets.decompose import (
    DEFAULT_LEVELS,
    UNASSIGNED,
    Level,
    TargetResult,
    decompose_targets,
    prior_year_total,
)
from salesbook.engines.targets.seasons import rep_availability, seasonality_profiles

__all__ = ["DEFAULT_LEVELS", "UNASSIGNED", "Level", "TargetResult", "decompose_targets", "prior_year_total",
           "rep_availability", "seasonality_profiles"]
