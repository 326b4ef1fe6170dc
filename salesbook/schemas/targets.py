"""Tables of the target decomposition engine."""

from __future__ import annotations

from salesbook.schemas._types import Choice, Column, Kind, Setting, Table

C = Column
K = Kind

DIMENSION_CHOICES = (
    Choice("product_line", "产品线", ("product line", "line")),
    Choice("region_id", "区域", ("region",)),
    Choice("rep_id", "销售代表", ("rep", "代表")),
)
METHOD_CHOICES = (
    Choice("even", "平均分配", ("平均",)),
    Choice("prior_year", "上年实际占比", ("prior year", "上年占比", "历史占比")),
    Choice("trailing_12m", "近12个月占比", ("trailing 12 months", "ttm", "滚动12个月")),
    Choice("weight", "按权重列", ("custom weight", "权重")),
    Choice("blend", "混合", ("weighted blend",)),
)

MEASURE_CHOICES = (
    Choice("amount", "金额", ("money", "sales", "销售额"), "amount"),
    Choice("quantity", "数量", ("units", "qty", "销量", "件数"), "quantity"),
)

FREED_CHOICES = (Choice("redistribute", "重新分配", ("再分配",)), Choice("unassigned", "列为未分配", ("未分配",)))
PRORATION_CHOICES = (
    Choice("days", "按在岗天数", ("按天",)),
    Choice("half_month", "满半月计整月", ("半月",)),
    Choice("any_day", "在岗即计整月", ("整月",)),
)

SETTINGS = (
    Setting("target_freed", K.CHOICE, "redistribute", "空缺目标处理",
            "Target a rep cannot carry (not yet hired, ramping, left): redistribute to colleagues under the same "
            "parent, or report it as an (unassigned) node.",
            "代表无法承担的目标（未入职、爬坡中、已离职）：重新分给同一上级下的同事，或列为“未分配”节点。",
            FREED_CHOICES),
    Setting("target_proration", K.CHOICE, "days", "入离职折算",
            "Months of a mid-month hire or leaver: days (share of calendar days employed), half_month (whole month "
            "if employed at least half of it, else nothing) or any_day (whole month if employed any day).",
            "月中入职或离职当月的折算：days 按在岗天数比例；half_month 在岗满半月计整月，否则不计；any_day 在岗一天即计整月。",
            PRORATION_CHOICES),
    Setting("quantity_unit", K.NUMBER, 1, "数量取整单位",
            "Rounding unit of targets in units (levels whose measure is quantity): 1 for whole units, 0.5, 10 ...",
            "按数量分解的目标（计量为数量的层级）的取整单位：1 为整数件，也可为 0.5、10 等。",
            min_value=0.0001, max_value=1000000),
    Setting("target_hierarchy", K.TEXT, "product_line > region_id > rep_id", "分解层级顺序",
            "Order of the levels when the TargetLevels table is empty, e.g. region_id > rep_id (each by prior-year "
            "share). Also accepts 产品线 > 区域 > 代表.",
            "未填写分解层级表时使用的层级顺序，如 region_id > rep_id（均按上年占比）；也可写 产品线 > 区域 > 代表。"),
)

# The figures Out_TargetReview (per rep) and Out_TargetVariance (every node) both show, in this order.
_REVIEW_FIGURES = (
    C("target", K.MONEY, "目标", "Target"),
    C("actual", K.MONEY, "实际", "Actual"),
    C("achievement", K.PERCENT, "达成率", "Achievement", doc_en="actual / target.", doc_zh="实际 / 目标。"),
    C("variance", K.MONEY, "差异", "Variance", doc_en="actual - target (negative: behind target).",
      doc_zh="实际 - 目标（负数表示未达目标）。"),
    C("target_to_date", K.MONEY, "累计目标", "Target to date",
      doc_en="Fiscal year to date: a month or quarter to its own end; the FY row through the months begun "
             "by the as_of_date setting.",
      doc_zh="财年累计：月、季度行累计到该期末；全年行累计到参数“截止日期”所在月份。"),
    C("actual_to_date", K.MONEY, "累计实际", "Actual to date"),
    C("achievement_to_date", K.PERCENT, "累计达成率", "Achievement to date"),
    C("variance_to_date", K.MONEY, "累计差异", "Variance to date",
      doc_en="actual to date - target to date.", doc_zh="累计实际 - 累计目标。"),
    C("commitment", K.MONEY, "承诺", "Commitment"),
    C("gap", K.MONEY, "承诺差额", "Commitment gap"),
)

TABLES = (
    Table(
        "CompanyTarget", "公司目标",
        (
            C("fiscal_year", K.INT, "财年", "Fiscal year", required=True, aliases=("year", "年度"),
              doc_en="Year the target is for.", doc_zh="目标所属年度。"),
            C("target", K.MONEY, "目标金额", "Target", min_value=0, aliases=("amount", "目标"),
              doc_en="Company sales target for the year (leave blank to use growth).",
              doc_zh="公司年度销售目标（留空则按增长率计算）。"),
            C("growth", K.PERCENT, "增长率", "Growth over prior year", aliases=("growth", "增长"), min_value=-1, max_value=5,
              plausible=(-0.5, 1),
              doc_en="Used when the target is blank: prior-year actuals (History) x (1 + growth).",
              doc_zh="目标留空时使用：上年实际（历史业绩）×（1 + 增长率）。"),
        ),
        doc_en="The company's annual target, the root of the decomposition: an amount, or growth over the prior "
               "year.", doc_zh="公司年度目标，分解的起点：填写金额，或填写相对上年的增长率。",
        key=("fiscal_year",), domain="targets",
    ),
    Table(
        "Seasonality", "季节性",
        (
            C("product_line", K.TEXT, "产品线", "Product line", aliases=("line",),
              doc_en="Blank = the default profile; a product line = that line's own profile.",
              doc_zh="留空 = 默认分布；填写产品线 = 该产品线自己的分布。"),
            C("month", K.INT, "月份", "Month", required=True, min_value=1, max_value=12, aliases=("月",),
              doc_en="Fiscal month number 1-12.", doc_zh="财年月份序号 1-12。"),
            C("share", K.PERCENT, "占比", "Share", required=True, min_value=0, max_value=1, aliases=("比例", "weight"),
              plausible=(0, 0.5),
              doc_en="Share of the year's target in this month (all months total 100%).",
              doc_zh="该月占全年目标的比例（各月合计 100%）。"),
        ),
        doc_en="Monthly seasonality profile(s); each profile's 12 months must total exactly 100%.",
        doc_zh="月度季节性分布；每组 12 个月合计须恰好为 100%。", key=("product_line", "month"), domain="targets",
    ),
    Table(
        "TargetLevels", "分解层级",
        (
            C("level", K.INT, "层级", "Level", required=True, min_value=1, max_value=3,
              doc_en="1 = first split below the company, 3 = reps.", doc_zh="1 = 公司下第一层，3 = 代表。"),
            C("dimension", K.CHOICE, "维度", "Dimension", required=True, choices=DIMENSION_CHOICES,
              doc_en="product_line, region_id or rep_id; one to three levels in any order, reps last.",
              doc_zh="产品线、区域或销售代表；一到三层，顺序任意，代表须在最后一层。"),
            C("method", K.CHOICE, "分解方法", "Method", required=True, choices=METHOD_CHOICES,
              doc_en="even; prior_year or trailing_12m (share of History actuals; all-zero history under a parent "
                     "-> even; a rep without history gets the siblings' average); weight (a column); blend.",
              doc_zh="平均；上年占比或近12个月占比（按历史业绩；某上级下全无历史则平均；无历史的新人取同级平均）；"
                     "按权重列；混合。"),
            C("weight_column", K.TEXT, "权重列", "Weight column", aliases=("weight",),
              doc_en="For method weight: a column of this level's table (Regions, Products, Reps), else the sum of "
                     "a Reps column over the node's reps (e.g. capacity), or headcount. Blank cells count as 0; "
                     "negative values are an error.",
              doc_zh="按权重方法时使用的列：本层表（区域、产品、销售代表）中的列，否则为节点下代表该列之和"
                     "（如 capacity），或 headcount（人数）。空白按 0 计；负数报错。"),
            C("blend", K.TEXT, "混合方式", "Blend",
              doc_en="For method blend: e.g. prior_year:70%, even:30%.", doc_zh="混合方法时填写，如 prior_year:70%, even:30%。"),
            C("padding", K.PERCENT, "加码比例", "Padding", min_value=0, max_value=1,
              doc_en="Over-assignment at this level: children total the parent x (1 + padding).",
              doc_zh="本层加码：下级合计 = 上级 ×（1 + 加码比例）。"),
            C("measure", K.CHOICE, "计量", "Measure", choices=MEASURE_CHOICES, default="amount",
              aliases=("target measure", "目标计量"),
              doc_en="amount (blank) or quantity. From the first quantity level down, targets are also set in "
                     "units: each node of the level above turns its amount into units at its average price "
                     "(History amount / quantity over the prior year, else the trailing 12 months, else the "
                     "mean unit price of its products), rounded to the quantity_unit setting, then split like "
                     "amounts with history shares counted in units. Locks, minimums and maximums stay amounts. "
                     "Levels below a quantity level must be quantity too.",
              doc_zh="金额（留空）或数量。从第一个按数量的层级起，目标另以数量下达：上一层每个节点按平均单价"
                     "（历史业绩上年销售额 ÷ 数量，没有则取近12个月，再没有则取其产品单价的平均）把金额换算为数量，"
                     "按参数“数量取整单位”取整，再像金额一样向下分解（历史占比按数量计）。锁定金额、下限、上限仍只作用于金额。"
                     "按数量的层级之下各层也须按数量。"),
        ),
        doc_en="The decomposition hierarchy and the method at each level (default: product line, region, rep "
               "by prior-year share).",
        doc_zh="分解层级与每层方法（默认：产品线、区域、代表，均按上年占比）。", key=("level",), domain="targets",
        optional=True,
    ),
    Table(
        "TargetAdjustments", "目标调整",
        (
            C("product_line", K.TEXT, "产品线", "Product line", doc_en="Node path: product line.", doc_zh="节点：产品线。"),
            C("region_id", K.ID, "区域编号", "Region ID", ref="Regions.region_id", doc_en="Node path: region.",
              doc_zh="节点：区域。"),
            C("rep_id", K.ID, "销售代表编号", "Rep ID", ref="Reps.rep_id", doc_en="Node path: rep.", doc_zh="节点：代表。"),
            C("month", K.INT, "月份", "Month", min_value=1, max_value=12,
              doc_en="Optional fiscal month 1-12 with a locked amount: fixes that month of a last-level node; its "
                     "other months share the rest of its year.",
              doc_zh="可选，财年月份 1-12，与锁定金额一起填写：固定末层节点该月目标，其余月份分配全年剩余部分。"),
            C("growth", K.PERCENT, "增长调整", "Growth uplift", min_value=-1, max_value=5, plausible=(-0.5, 1),
              doc_en="Raises (or lowers) this node's weight among its siblings, e.g. 8%.",
              doc_zh="提高（或降低）该节点在同级中的权重，如 8%。"),
            C("locked", K.MONEY, "锁定金额", "Locked amount", min_value=0,
              doc_en="Fixed target for this node; its siblings share the rest.", doc_zh="该节点的固定目标；同级分配剩余部分。"),
            C("min_amount", K.MONEY, "下限", "Minimum", min_value=0, doc_en="Lowest target for the node.",
              doc_zh="该节点目标下限。"),
            C("max_amount", K.MONEY, "上限", "Maximum", min_value=0, doc_en="Highest target for the node.",
              doc_zh="该节点目标上限。"),
            C("note", K.TEXT, "备注", "Note", doc_en="Why.", doc_zh="原因。"),
        ),
        doc_en="Manual adjustments at any node: fill the hierarchy columns down to the node; a blank column above "
               "it matches every parent (e.g. only rep_id = that rep under every product line). Locks and minimums "
               "above the parent are an error; siblings share what is left.",
        doc_zh="任意节点的手工调整：按层级填写到该节点；上层留空表示匹配所有上级（如只填代表 = 该代表在每条产品线下）。"
               "锁定与下限合计超过上级目标时报错；同级其余节点分配剩余部分。", domain="targets", optional=True,
    ),
    Table(
        "RampProfile", "新人爬坡",
        (
            C("tenure_month", K.INT, "入职第几月", "Tenure month", required=True, min_value=1,
              doc_en="1 = the hire month.", doc_zh="1 = 入职当月。"),
            C("share", K.PERCENT, "目标比例", "Share of full target", required=True, min_value=0, max_value=1,
              doc_en="Share of a full month's target; months after the last row are 100%.",
              doc_zh="占满额月目标的比例；最后一行之后为 100%。"),
        ),
        doc_en="New-hire ramp.", doc_zh="新人目标爬坡。", key=("tenure_month",), domain="targets", optional=True,
    ),
    Table(
        "Commitments", "代表承诺",
        (
            C("rep_id", K.ID, "销售代表编号", "Rep ID", required=True, ref="Reps.rep_id", doc_en="Rep.", doc_zh="代表。"),
            C("product_line", K.TEXT, "产品线", "Product line", aliases=("line",),
              doc_en="Optional: the commitment for one product line; blank = spread like the rep's targets.",
              doc_zh="可选：针对某产品线的承诺；留空则按该代表各产品线目标比例分摊。"),
            C("amount", K.MONEY, "承诺金额", "Commitment", required=True, min_value=0,
              doc_en="The rep's own bottom-up commitment for the year.", doc_zh="代表自下而上承诺的年度金额。"),
        ),
        doc_en="Bottom-up commitments compared with the top-down targets.", doc_zh="自下而上承诺，与自上而下目标对比。",
        key=("rep_id", "product_line"), domain="targets", optional=True,
    ),
    Table(
        "Out_Targets", "目标分解",
        (
            C("level", K.INT, "层级", "Level"),
            C("measure", K.CHOICE, "计量", "Measure", choices=MEASURE_CHOICES,
              doc_en="amount (money) or quantity (units).", doc_zh="金额或数量。"),
            C("product_line", K.TEXT, "产品线", "Product line"),
            C("region_id", K.ID, "区域编号", "Region ID"),
            C("rep_id", K.ID, "销售代表编号", "Rep ID"),
            C("period", K.TEXT, "期间", "Period"),
            C("target", K.MONEY, "目标", "Target"),
            C("share", K.PERCENT, "占上级比例", "Share of parent",
              doc_en="FY rows: this node's target / its parent's.", doc_zh="全年行：本节点目标 / 上级目标。"),
            C("method", K.TEXT, "方法", "Method"),
            C("explanation", K.TEXT, "说明", "Explanation"),
        ),
        doc_en="Targets by node (level 0 = company) and period (FY, months, quarters), in money and, from the first "
               "quantity level, in units; each node's children sum to it exactly, except padding, which the "
               "explanation and Out_TargetCheck report. The months are rounded as one grid: each node's months "
               "total its year, each parent's month is the sum of its children's, and every month is within one "
               "rounding unit of its exact value (a node's exact month is its year x its seasonality, or, when "
               "the nodes below it follow different profiles or hire dates, the sum of their exact months).",
        doc_zh="按节点（0 层 = 公司）与期间（全年、月、季度）的目标，金额，以及从第一个按数量的层级起的数量；"
               "下级之和精确等于上级，加码除外（在说明与目标核对表中列明）。各月作为一张表统一取整：每个节点各月合计"
               "等于全年，上级每月等于下级当月之和，且每月与精确值相差不超过一个取整单位（节点的精确月值为全年 × "
               "季节占比；其下节点季节分布或入职时间不同时，为其下各节点精确月值之和）。",
        output=True, domain="targets",
    ),
    Table(
        "Out_TargetsByMonth", "代表月度目标",
        (
            C("rep_id", K.ID, "销售代表编号", "Rep ID"),
            C("name", K.TEXT, "姓名", "Name"),
            C("region_id", K.ID, "区域编号", "Region ID"),
            *(C(f"m{i:02d}", K.MONEY, f"{i}月", f"M{i:02d}") for i in range(1, 13)),
            C("total", K.MONEY, "全年", "Year"),
            C("explanation", K.TEXT, "说明", "Explanation",
              doc_en="What the row adds up, e.g. HW 300,000 + SW 100,000.", doc_zh="本行由哪些目标相加而成。"),
        ),
        doc_en="Rep x month targets, for printing (M01 = first fiscal month); unassigned rows per region.", doc_zh="代表 × 月份目标表，可打印。", output=True, domain="targets",
    ),
    Table(
        "Out_TargetReview", "目标达成",
        (
            C("rep_id", K.ID, "销售代表编号", "Rep ID"),
            C("measure", K.CHOICE, "计量", "Measure", choices=MEASURE_CHOICES,
              doc_en="amount: all product lines together; quantity: one row per product line.",
              doc_zh="金额：各产品线合计；数量：每条产品线一行。"),
            C("product_line", K.TEXT, "产品线", "Product line"),
            C("period", K.TEXT, "期间", "Period"),
            *_REVIEW_FIGURES,
            C("explanation", K.TEXT, "说明", "Explanation"),
        ),
        doc_en="Per rep: target vs credited actuals by month (overlay credit included), achievement, variance "
               "(actual - target) and the same to date, and the bottom-up commitment gap; in money, and in units "
               "where the rep level is targeted in units.",
        doc_zh="按代表：按月目标与实际（按业绩分配，含叠加业绩）对比、达成率、差异（实际 - 目标）及累计数，"
               "以及自下而上承诺差额；金额，以及代表层按数量分解时的数量。", output=True, domain="targets",
    ),
    Table(
        "Out_TargetVariance", "目标差异",
        (
            C("level", K.INT, "层级", "Level"),
            C("measure", K.CHOICE, "计量", "Measure", choices=MEASURE_CHOICES),
            C("product_line", K.TEXT, "产品线", "Product line"),
            C("region_id", K.ID, "区域编号", "Region ID"),
            C("rep_id", K.ID, "销售代表编号", "Rep ID"),
            C("period", K.TEXT, "期间", "Period"),
            *_REVIEW_FIGURES,
            C("explanation", K.TEXT, "说明", "Explanation"),
        ),
        doc_en="Every node and period: target vs credited actuals (overlays count at rep level only), variance "
               "(actual - target) and the same to date, and, on FY rows, bottom-up commitments minus the top-down "
               "target; in money and in units.",
        doc_zh="每个节点与期间：目标与实际（叠加业绩只计入代表层）对比、差异（实际 - 目标）及累计数；全年行另列自下而上承诺"
               "减去自上而下目标的差额；金额与数量。",
        output=True, domain="targets",
    ),
    Table(
        "Out_TargetCheck", "目标核对",
        (
            C("level", K.INT, "层级", "Level"),
            C("measure", K.CHOICE, "计量", "Measure", choices=MEASURE_CHOICES),
            C("product_line", K.TEXT, "产品线", "Product line"),
            C("region_id", K.ID, "区域编号", "Region ID"),
            C("rep_id", K.ID, "销售代表编号", "Rep ID"),
            C("target", K.MONEY, "目标", "Target"),
            C("children_total", K.MONEY, "下级合计", "Children total"),
            C("months_total", K.MONEY, "各月合计", "Months total"),
            C("difference", K.MONEY, "差额", "Difference"),
            C("explanation", K.TEXT, "说明", "Explanation"),
        ),
        doc_en="Reconciliation: each node's target against its children's total (difference only from padding) "
               "and its months' total.",
        doc_zh="核对：每个节点目标与下级合计（差额仅来自加码）及各月合计。", output=True, domain="targets",
    ),
)
