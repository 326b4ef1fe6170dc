"""Lead scoring: rule points, engagement decay, grades, a predictive score, routing and follow-up dates."""

from salesbook.engines.leads.scoring import (
    OPERATORS,
    auc,
    engagement,
    grade,
    route,
    rule_mask,
    score_leads,
    score_rules,
)

__all__ = ["OPERATORS", "auc", "engagement", "grade", "route", "rule_mask", "score_leads", "score_rules"]
