"""Tables of the commission engine."""

from __future__ import annotations

from salesbook.schemas._types import Choice, Column, Kind, Table

C = Column
K = Kind

TABLES = (
    Table(
        "Plans", "提成方案",
        (
            C("plan_id", K.ID, "方案编号", "Plan ID", required=True, aliases=("plan",),
              doc_en="Plan code.", doc_zh="方案编号。"),
            C("name", K.TEXT, "方案名称", "Plan name", required=True, doc_en="Name.", doc_zh="名称。"),
            C("tier_method", K.CHOICE, "阶梯方式", "Tier method", default="marginal",
              choices=(Choice("marginal", "超额累进", ("分段",)), Choice("whole", "全额累进", ("整档",))),
              doc_en="marginal (each slice at its rate) or whole (whole base at the tier reached).",
              doc_zh="超额累进（每段按各自费率）或全额累进（全部按达到档位的费率）。"),
            C("basis", K.CHOICE, "计提基础", "Basis", default="booking",
              choices=(Choice("booking", "按成交", ("bookings",)), Choice("cash", "按回款", ("payment",))),
              doc_en="Pay on booking or on cash collected.", doc_zh="按成交或按回款计提。"),
        ),
        doc_en="Commission plans.", doc_zh="提成方案。", key=("plan_id",), domain="commissions",
    ),
    Table(
        "PlanTiers", "提成阶梯",
        (
            C("plan_id", K.ID, "方案编号", "Plan ID", required=True, ref="Plans.plan_id", aliases=("plan",),
              doc_en="Plan.", doc_zh="方案。"),
            C("lower_bound", K.NUMBER, "下限", "Lower bound", required=True, min_value=0, aliases=("from", "起点"),
              doc_en="Where the tier starts (amount, or attainment as a fraction).", doc_zh="档位起点（金额或达成率）。"),
            C("rate", K.PERCENT, "提成比例", "Rate", required=True, min_value=0, aliases=("费率",),
              doc_en="Commission rate in this tier.", doc_zh="该档提成比例。"),
        ),
        doc_en="Tier tables of each plan, ascending.", doc_zh="各方案的阶梯，按下限升序。",
        key=("plan_id", "lower_bound"), domain="commissions",
    ),
    Table(
        "PlanAssignments", "方案分配",
        (
            C("rep_id", K.ID, "销售代表编号", "Rep ID", required=True, ref="Reps.rep_id", aliases=("rep",),
              doc_en="Rep.", doc_zh="销售代表。"),
            C("plan_id", K.ID, "方案编号", "Plan ID", required=True, ref="Plans.plan_id", aliases=("plan",),
              doc_en="Plan.", doc_zh="方案。"),
            C("start_date", K.DATE, "生效日期", "Start date", required=True, aliases=("from",),
              doc_en="First day the plan applies.", doc_zh="方案生效日。"),
            C("end_date", K.DATE, "失效日期", "End date", aliases=("to",),
              doc_en="Last day (blank = open).", doc_zh="方案最后适用日（留空为长期）。"),
            C("quota", K.MONEY, "配额", "Quota", min_value=0, aliases=("目标",),
              doc_en="Period quota for attainment-based tiers.", doc_zh="按达成率计提时的期间配额。"),
        ),
        doc_en="Which plan applies to which rep, effective-dated.", doc_zh="销售代表适用的方案（按生效日期）。",
        key=("rep_id", "start_date"), domain="commissions",
    ),
    Table(
        "Out_Commissions", "提成明细",
        (
            C("deal_id", K.ID, "订单编号", "Deal ID"),
            C("rep_id", K.ID, "销售代表编号", "Rep ID"),
            C("amount", K.MONEY, "提成", "Commission"),
            C("explanation", K.TEXT, "说明", "Explanation"),
        ),
        doc_en="Commission lines.", doc_zh="提成明细。", output=True, domain="commissions",
    ),
    Table(
        "Out_Statements", "提成对账单",
        (
            C("rep_id", K.ID, "销售代表编号", "Rep ID"),
            C("period", K.TEXT, "期间", "Period"),
            C("payable", K.MONEY, "应付", "Payable"),
        ),
        doc_en="Commission statements.", doc_zh="提成对账单。", output=True, domain="commissions",
    ),
)
