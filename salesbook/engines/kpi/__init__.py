"""KPI weights (manual, AHP, entropy, CRITIC) per role, scores, weighted scorecards, ratings and bonuses.

``scorecards`` holds the weighting methods and the scorecard; ``bonus`` the bonus formula with its company
and business-unit factors; ``fiscal`` the fiscal period labels; ``periods`` the monthly, quarterly and
yearly scorecards behind the period reviews.
"""

from salesbook.engines.kpi.bonus import BonusRules, parse_period
from salesbook.engines.kpi.periods import period_scorecards
from salesbook.engines.kpi.scorecards import (
    CR_LIMIT,
    MatrixError,
    ahp,
    build_scorecards,
    critic_weights,
    entropy_weights,
    kpi_score,
    role_weights,
)

__all__ = ["CR_LIMIT", "BonusRules", "MatrixError", "ahp", "build_scorecards", "critic_weights", "entropy_weights", "kpi_score",
           "parse_period", "period_scorecards", "role_weights"]
