"""Tables of the commission engine."""

from __future__ import annotations

from salesbook.schemas._types import Choice, Column, Kind, Setting, Table

C = Column
K = Kind

SETTINGS = (
    Setting("commission_period", K.CHOICE, "month", "提成周期", "Commission period: month, quarter or year.",
            "提成计算周期：月度、季度或年度。",
            (Choice("month", "月度"), Choice("quarter", "季度"), Choice("year", "年度"))),
    Setting("clawback_window_days", K.INT, 90, "追回期限（天）",
            "Cancelled or returned deals within this many days of the deal date are clawed back.",
            "成交后该天数内取消或退货的订单，其提成将被追回。",
            min_value=0, max_value=3650),
    Setting("clawback_reduces_attainment", K.BOOL, True, "追回冲减业绩",
            "Whether a clawed-back deal also reduces the running total that drives the tiers, the gate and managers' "
            "overrides (the clawback itself always reverses what was paid, at the original rate).",
            "被追回的订单是否同时冲减用于计算阶梯、门槛和管理提成的累计业绩（追回本身总是按原费率冲回已付提成）。"),
    Setting("tier_boundary", K.CHOICE, "upper", "阶梯边界归属",
            "A value exactly on a tier's lower bound: upper = it is in the tier that starts there (\"from 100%\"); "
            "lower = it is still in the tier below (\"up to and including 100%\"). Changes whole-tier rates and tier "
            "numbers only; marginal payouts are the same either way.",
            "恰好等于档位下限的数值：upper = 属于从该值开始的档位（“100% 及以上”）；lower = 仍属于下一档"
            "（“不超过 100%”）。只影响全额累进的费率和档位编号，超额累进的金额不变。",
            (Choice("upper", "归入较高档"), Choice("lower", "归入较低档"))),
)

TABLES = (
    Table(
        "Plans", "提成方案",
        (
            C("plan_id", K.ID, "方案编号", "Plan ID", required=True, aliases=("plan",), doc_en="Plan code.", doc_zh="方案编号。"),
            C("name", K.TEXT, "方案名称", "Plan name", required=True, doc_en="Name.", doc_zh="名称。"),
            C("tier_method", K.CHOICE, "阶梯方式", "Tier method", default="marginal",
              choices=(Choice("marginal", "超额累进", ("分段",)), Choice("whole", "全额累进", ("整档",))),
              doc_en="marginal (each slice at its rate) or whole (whole base at the tier reached).",
              doc_zh="超额累进（每段按各自费率）或全额累进（全部按达到档位的费率）。"),
            C("commission_base", K.CHOICE, "提成基数", "Commission base", default="amount",
              choices=(Choice("amount", "金额", ("money", "按金额", "销售额")),
                       Choice("quantity", "数量", ("units", "unit", "qty", "per unit", "按数量", "销量", "件数"))),
              aliases=("base of commission", "pay on", "计提依据"),
              doc_en="What the plan pays on: amount (credited money, each tier's Rate a percentage of it) or quantity "
                     "(credited units, each tier's Per unit an amount of money for every unit). On a quantity plan the "
                     "running totals, the tier lower bounds (Tiers on = amount) and the quota (Unit quota in "
                     "PlanAssignments) are in units; line caps, minimums, period caps and draws stay money, and "
                     "managers' Override rate stays a percentage of their reports' credited money.",
              doc_zh="方案按什么计提：金额（计入的销售额，各档填提成比例）或数量（计入的销售数量，各档填每单位提成金额）。"
                     "按数量计提的方案，累计业绩、阶梯下限（阶梯依据 = 提成基数时）和配额（方案分配表的“数量配额”）"
                     "都以数量计；单笔封顶、单笔保底、期间封顶和预支仍为金额，管理提成仍按下属计入销售额的比例计提。"),
            C("measure", K.CHOICE, "阶梯依据", "Tiers on", default="amount",
              choices=(Choice("amount", "提成基数", ("金额", "base", "commission base", "计提基数")),
                       Choice("attainment", "配额达成率", ("quota attainment",))),
              doc_en="amount: tier bounds are the plan's commission base itself (money, or units on a quantity plan); "
                     "attainment: quota attainment (1 = 100%; accelerators above 1), of the money quota, or of the "
                     "unit quota on a quantity plan.",
              doc_zh="提成基数：阶梯下限就是方案的提成基数（金额；按数量计提的方案为数量）；配额达成率：按配额达成率分档"
                     "（1 = 100%；超过 1 为加速），按数量计提的方案用数量配额。"),
            C("tier_scope", K.CHOICE, "阶梯范围", "Tier scope", default="period",
              choices=(Choice("period", "期间累计", ("running total",)), Choice("deal", "单笔", ("per deal",))),
              doc_en="period: tiers on the period's running total; deal: tiers reset for every deal.",
              doc_zh="期间累计：按本期累计业绩计算阶梯；单笔：每笔订单单独计算。"),
            C("basis", K.CHOICE, "计提基础", "Basis", default="booking",
              choices=(Choice("booking", "按成交", ("bookings",)), Choice("cash", "按回款", ("payment",))),
              doc_en="Pay on booking or on cash collected (pro rata to Payments).", doc_zh="按成交或按回款（按回款比例）计提。"),
            C("gate", K.PERCENT, "门槛达成率", "Gate", min_value=0, max_value=5, plausible=(0, 1.5),
              doc_en="No commission in a period below this quota attainment.", doc_zh="本期达成率低于该值则不计提。"),
            C("cap_line", K.MONEY, "单笔封顶", "Line cap", min_value=0,
              doc_en="Most commission per credited deal line.", doc_zh="每笔业绩明细的提成上限。"),
            C("min_line", K.MONEY, "单笔保底", "Line minimum", min_value=0, aliases=("minimum per line", "每单保底"),
              doc_en="Least commission per credited deal line with a positive amount (each line of a split deal): "
                     "a line earning less, or nothing below the first tier, is raised to it. Not above the line cap. "
                     "Clawbacks reverse it with the line; credit notes get no minimum.",
              doc_zh="每笔金额为正的业绩明细的最低提成（拆分订单的每一行各自适用）：提成不足或低于第一档不计提的，"
                     "补足到该金额。不得高于单笔封顶。追回时随该行一并冲回；贷项通知单不适用保底。"),
            C("cap_period", K.MONEY, "期间封顶", "Period cap", min_value=0,
              doc_en="Most commission per period.", doc_zh="每期提成上限。"),
            C("override_rate", K.PERCENT, "管理提成比例", "Override rate", min_value=0, max_value=1,
              plausible=(0, 0.2),
              doc_en="For managers: rate on their direct reports' credited amounts (money, also when a report's plan "
                     "pays on quantity).",
              doc_zh="管理者：按直属下属计入销售额计提的比例（下属的方案按数量计提时也按金额）。"),
            C("draw_amount", K.MONEY, "预支金额", "Draw", min_value=0,
              doc_en="Guaranteed minimum per period (top-up), prorated for part periods.",
              doc_zh="每期保底预支（补足），不满一期按天折算。"),
            C("draw_type", K.CHOICE, "预支类型", "Draw type",
              choices=(Choice("recoverable", "可追回"), Choice("non_recoverable", "不可追回", ("non-recoverable",))),
              doc_en="recoverable (balance recovered from later earnings) or non_recoverable.",
              doc_zh="可追回（余额从以后提成中扣回）或不可追回。"),
            C("recovery_from_period", K.INT, "预支追回起始期", "Recover draws from period", min_value=1, max_value=120,
              plausible=(1, 24), aliases=("recovery start", "guarantee periods", "追回起始期"),
              doc_en="Recoverable draws: the commission period of the rep's employment from which draws are recovered "
                     "(1 = the period of the hire date; 4 with monthly periods = from the fourth month). The draws of "
                     "earlier periods are a guarantee, never recovered, and nothing is recovered in them. Blank = "
                     "from the first period.",
              doc_zh="可追回预支：从销售代表入职后的第几个提成周期起追回（1 = 入职当期；按月计时 4 表示从第 4 个月起）。"
                     "此前各期的预支为保底，不追回，这些期间也不扣回任何余额。留空 = 从第一期起。"),
        ),
        doc_en="Commission plans.", doc_zh="提成方案。", key=("plan_id",), domain="commissions",
    ),
    Table(
        "PlanTiers", "提成阶梯",
        (
            C("plan_id", K.ID, "方案编号", "Plan ID", required=True, ref="Plans.plan_id", aliases=("plan",),
              doc_en="Plan.", doc_zh="方案。"),
            C("lower_bound", K.NUMBER, "下限", "Lower bound", required=True, min_value=0, aliases=("from", "起点"),
              doc_en="Where the tier starts (an amount, units on a plan paying on quantity, or attainment as a fraction: "
                     "1 = 100%); whether a value exactly on the bound is in this tier or the one below is the Settings "
                     "key tier_boundary.",
              doc_zh="档位起点（金额，按数量计提的方案为数量，或达成率，1 = 100%）；恰好等于下限时归哪一档由参数 "
                     "tier_boundary 决定。"),
            C("rate", K.PERCENT, "提成比例", "Rate", min_value=0, max_value=1, plausible=(0, 0.5),
              aliases=("费率",),
              doc_en="Commission rate in this tier, on a plan paying on amounts (required there; blank on a plan "
                     "paying on quantity).",
              doc_zh="该档提成比例，用于按金额计提的方案（必填；按数量计提的方案留空）。"),
            C("per_unit", K.MONEY, "每单位提成", "Per unit", min_value=0, aliases=("per unit rate", "单位提成", "每件提成"),
              doc_en="Money per credited unit in this tier, on a plan paying on quantity (required there; blank on a "
                     "plan paying on amounts). Marginal: 50.00 from 0 and 75.00 from 100 pays units 1-100 at 50.00 "
                     "and every unit above at 75.00; whole: all the period's units at the rate of the tier reached.",
              doc_zh="该档每计入一个单位的提成金额，用于按数量计提的方案（必填；按金额计提的方案留空）。超额累进：下限 0 "
                     "填 50.00、下限 100 填 75.00，即第 1-100 个单位每个 50.00，超出部分每个 75.00；全额累进：本期全部"
                     "数量按达到档位的金额计提。"),
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
              doc_en="Quota per commission period, in money (prorated for hires and leavers).",
              doc_zh="每个提成周期的金额配额（入离职按天折算）。"),
            C("quota_quantity", K.NUMBER, "数量配额", "Unit quota", min_value=0,
              aliases=("quota units", "quota in units", "quantity quota", "quota quantity", "配额数量", "单位配额"),
              doc_en="Quota per commission period in units, for a plan paying on quantity (prorated like Quota); "
                     "needed when that plan tiers on quota attainment or has a gate.",
              doc_zh="每个提成周期的数量配额，用于按数量计提的方案（与配额一样按天折算）；该方案按配额达成率分档或设有"
                     "门槛时必填。"),
        ),
        doc_en="Which plan applies to which rep, effective-dated.", doc_zh="销售代表适用的方案（按生效日期）。",
        key=("rep_id", "start_date"), domain="commissions",
    ),
    Table(
        "Spiffs", "专项奖励",
        (
            C("spiff_id", K.ID, "奖励编号", "SPIFF ID", required=True, doc_en="Code.", doc_zh="编号。"),
            C("product_id", K.ID, "产品编号", "Product ID", required=True, ref="Products.product_id", doc_en="Product.",
              doc_zh="产品。"),
            C("start_date", K.DATE, "开始日期", "Start date", required=True, doc_en="First day.", doc_zh="开始日。"),
            C("end_date", K.DATE, "结束日期", "End date", doc_en="Last day.", doc_zh="结束日。"),
            C("per_unit", K.MONEY, "每单位奖励", "Per unit", min_value=0, doc_en="Bonus per unit sold.", doc_zh="每售出一单位的奖励。"),
            C("per_deal", K.MONEY, "每单奖励", "Per deal", min_value=0, doc_en="Bonus per deal.", doc_zh="每笔订单的奖励。"),
        ),
        doc_en="SPIFFs and product bonuses.", doc_zh="专项奖励与产品奖金。", key=("spiff_id", "product_id"),
        domain="commissions", optional=True,
    ),
    Table(
        "Out_Commissions", "提成明细",
        (
            C("rep_id", K.ID, "销售代表编号", "Rep ID"), C("period", K.TEXT, "期间", "Period"),
            C("date", K.DATE, "日期", "Date"), C("deal_id", K.ID, "订单编号", "Deal ID"),
            C("component", K.TEXT, "项目", "Component"), C("plan_id", K.ID, "方案编号", "Plan ID"),
            C("credit_share", K.PERCENT, "分配比例", "Credit share"), C("base", K.MONEY, "计提基数", "Base",
              doc_en="Credited amount (deal x share; for pay-on-cash lines the cash credited).",
              doc_zh="计提业绩（订单金额 × 分配比例；按回款计提时为回款业绩）。"),
            C("quantity", K.NUMBER, "数量", "Quantity",
              doc_en="Credited units of a line on a plan paying on quantity (deal quantity x share; negative for a "
                     "credit note or a clawback; for pay-on-cash lines the units the cash released). Blank on plans "
                     "paying on amounts.",
              doc_zh="按数量计提方案的计入数量（订单数量 × 分配比例；贷项通知单与追回为负数；按回款计提时为回款对应的"
                     "数量）。按金额计提的方案留空。"),
            C("running_from", K.MONEY, "累计起点", "Running total from",
              doc_en="The period's credited running total before this line (what places it on the tiers): money, or "
                     "units on a plan paying on quantity.",
              doc_zh="本行之前本期累计业绩（决定所在档位）：金额；按数量计提的方案为数量。"),
            C("running_to", K.MONEY, "累计终点", "Running total to",
              doc_en="The running total after this line (money, or units on a plan paying on quantity).",
              doc_zh="本行之后的本期累计业绩（金额；按数量计提的方案为数量）。"),
            C("tier", K.INT, "档位", "Tier", doc_en="Tier the line ends in (blank for non-tier lines).",
              doc_zh="本行所在（结束）档位（非阶梯项目留空）。"),
            C("rate", K.PERCENT, "费率", "Rate", doc_en="Effective rate: amount / base before rounding (blank on plans "
              "paying on quantity).",
              doc_zh="实际费率：取整前金额 / 计提基数（按数量计提的方案留空）。"),
            C("per_unit", K.MONEY, "每单位提成", "Per unit",
              doc_en="Effective money per unit on a plan paying on quantity: amount / quantity before rounding (blank "
                     "on plans paying on amounts).",
              doc_zh="按数量计提方案的实际每单位提成：取整前金额 / 数量（按金额计提的方案留空）。"),
            C("amount", K.MONEY, "金额", "Amount",
              doc_en="Rounded so the lines of a rep-period sum exactly to the statement's payable.",
              doc_zh="已取整，每人每期的明细合计恰好等于对账单应付。"),
            C("explanation", K.TEXT, "说明", "Explanation"),
        ),
        doc_en="One line per credited deal component (commission, clawback, cash, spiff, spiff_clawback, override, "
               "gate, cap, draw, draw_recovery); each rep-period's lines sum to its statement's payable.",
        doc_zh="每笔业绩分配的提成明细（提成、追回、回款提成、专项奖励、专项奖励冲回、管理提成、门槛调整、封顶调整、预支补足、"
               "预支冲回）；每人每期的明细合计等于对账单应付。", output=True, domain="commissions",
    ),
    Table(
        "Out_Statements", "提成对账单",
        (
            C("rep_id", K.ID, "销售代表编号", "Rep ID"), C("period", K.TEXT, "期间", "Period"),
            C("plan_id", K.ID, "方案编号", "Plan ID"), C("quota", K.MONEY, "配额", "Quota"),
            C("credited", K.MONEY, "业绩", "Credited"),
            C("quota_quantity", K.NUMBER, "数量配额", "Unit quota",
              doc_en="The period's quota in units (Unit quota of PlanAssignments, prorated).",
              doc_zh="本期数量配额（方案分配表的“数量配额”，已折算）。"),
            C("credited_quantity", K.NUMBER, "计入数量", "Credited units",
              doc_en="Units credited in the period (deal quantity x share, net of credit notes; blank when no "
                     "credited deal of the period has a quantity).",
              doc_zh="本期计入的销售数量（订单数量 × 分配比例，已扣减贷项通知单；本期业绩订单都未填数量时留空）。"),
            C("attainment", K.PERCENT, "达成率", "Attainment",
              doc_en="Credited / quota; on a plan paying on quantity, credited units / quota in units.",
              doc_zh="业绩 / 配额；按数量计提的方案为计入数量 / 数量配额。"),
            C("earned", K.MONEY, "提成", "Earned"), C("spiffs", K.MONEY, "专项奖励", "SPIFFs"),
            C("overrides", K.MONEY, "管理提成", "Overrides"), C("clawbacks", K.MONEY, "追回", "Clawbacks"),
            C("cap_adjustment", K.MONEY, "封顶调整", "Cap adjustment"), C("gate_adjustment", K.MONEY, "门槛调整", "Gate adjustment"),
            C("draw_paid", K.MONEY, "预支补足", "Draw paid"), C("draw_recovered", K.MONEY, "预支冲回", "Draw recovered"),
            C("balance_carried", K.MONEY, "预支余额", "Draw balance",
              doc_en="Recoverable draw still owed after this period.", doc_zh="本期后仍待扣回的可追回预支。"),
            C("awaiting_cash", K.MONEY, "待回款提成", "Awaiting cash",
              doc_en="Commission earned on booking by pay-on-cash plans, not yet released by payments.",
              doc_zh="按回款计提方案中已成交、尚未随回款发放的提成。"),
            C("rounding_carried", K.NUMBER, "取整结转", "Rounding carried",
              doc_en="Sub-unit remainder of rounding carried into the next period (never lost).",
              doc_zh="取整后不足一个单位的余数，结转到下期（不会丢失）。"),
            C("payable", K.MONEY, "应付", "Payable",
              doc_en="earned + SPIFFs + overrides + clawbacks + draw paid + draw recovered, rounded on the running "
                     "total (gate and cap adjustments are already inside earned).",
              doc_zh="提成 + 专项奖励 + 管理提成 + 追回 + 预支补足 + 预支冲回，按累计取整（门槛与封顶调整已含在提成中）。"),
            C("explanation", K.TEXT, "说明", "Explanation"),
        ),
        doc_en="Commission statements per rep and period.", doc_zh="每人每期提成对账单。", output=True, domain="commissions",
    ),
    Table(
        "Out_Accruals", "提成计提汇总",
        (
            C("period", K.TEXT, "期间", "Period"),
            C("accrued", K.MONEY, "计提", "Accrued", doc_en="Commission earned on the period's bookings (pay-on-cash "
              "plans included), SPIFFs, overrides and clawbacks: the expense to accrue.",
              doc_zh="本期成交产生的提成（含按回款计提方案）、专项奖励、管理提成与追回：应计费用。"),
            C("earned", K.MONEY, "提成", "Earned"), C("spiffs", K.MONEY, "专项奖励", "SPIFFs"),
            C("overrides", K.MONEY, "管理提成", "Overrides"), C("clawbacks", K.MONEY, "追回", "Clawbacks"),
            C("draws", K.MONEY, "预支补足", "Draws paid"), C("recovered", K.MONEY, "预支冲回", "Draws recovered"),
            C("payable", K.MONEY, "应付", "Payable"), C("carried", K.MONEY, "预支余额", "Draw balance carried"),
            C("awaiting_cash", K.MONEY, "待回款提成", "Awaiting cash"),
            C("rounding_carried", K.NUMBER, "取整结转", "Rounding carried"),
            C("explanation", K.TEXT, "说明", "Explanation"),
        ),
        doc_en="Accrual summary for finance by period.", doc_zh="按期间的提成计提汇总（财务用）。", output=True,
        domain="commissions",
    ),
)
