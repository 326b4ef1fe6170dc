"""salesbook: Excel-native sales management — targets, lead scoring, commissions, KPI scorecards, reports."""

from __future__ import annotations

from salesbook.engines.allocation import allocate
from salesbook.engines.commissions import compute_commissions, tiered_payout
from salesbook.engines.kpi import ahp, build_scorecards, critic_weights, entropy_weights, kpi_score
from salesbook.engines.leads import score_leads
from salesbook.engines.targets import decompose_targets
from salesbook.errors import InputError, Problem, SalesbookError
from salesbook.version import __version__

__all__ = ["InputError", "Problem", "SalesbookError", "__version__", "ahp", "allocate", "build_scorecards",
           "compute_commissions", "critic_weights", "decompose_targets", "entropy_weights", "kpi_score",
           "score_leads", "tiered_payout"]
