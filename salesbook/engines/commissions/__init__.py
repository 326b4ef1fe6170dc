"""Commissions: credited lines, tiers, caps, gates, SPIFFs, overrides, clawbacks, draws, pay on cash and
statements that add up exactly.

``compute`` walks the deals through a plan's rules, on credited money or, for a plan whose commission base is
quantity, on credited units; ``prep`` turns tables into arrays (plans, assignments, periods); ``tiers`` is the
tier arithmetic shared with the worksheet functions; ``pay`` assembles lines, statements and accruals;
``explain`` writes each line's explanation and ``units`` the arithmetic of a per-unit line, in the words of
``text``; ``result`` is what the engine returns.
"""

from salesbook.engines.commissions.compute import compute_commissions, credit_lines
from salesbook.engines.commissions.result import CommissionResult
from salesbook.engines.commissions.tiers import (
    BOUNDARY_RULES,
    METHODS,
    TierError,
    check_tiers,
    rate_at,
    tiered_payout,
)

__all__ = ["BOUNDARY_RULES", "METHODS", "CommissionResult", "TierError", "check_tiers", "compute_commissions",
           "credit_lines", "rate_at", "tiered_payout"]
