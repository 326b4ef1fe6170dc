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

SETTINGS = (
    Setting("target_freed", K.CHOICE, "redistribute", "空缺目标处理",
            "Target a rep cannot carry (not yet hired, ramping, left): redistribute to colleagues, or report as "
            "unassigned.", "代表无法承担的目标（未入职、爬坡中、已离职）：重新分给同事，或列为未分配。",
            (Choice("redistribute", "重新分配", ("再分配",)), Choice("unassigned", "列为未分配", ("未分配",)))),
)

TABLES = (
    Table(
        "CompanyTarget", "公司目标",
        (
            C("fiscal_year", K.INT, "财年", "Fiscal year", required=True, aliases=("year", "年度"),
              doc_en="Year the target is for.", doc_zh="目标所属年度。"),
            C("target", K.MONEY, "目标金额", "Target", required=True, min_value=0, aliases=("amount", "目标"),
              doc_en="Company sales target for the year.", doc_zh="公司年度销售目标。"),
        ),
        doc_en="The company's annual target, the root of the decomposition.", doc_zh="公司年度目标，分解的起点。",
        key=("fiscal_year",), domain="targets",
    ),
    Table(
        "Seasonality", "季节性",
        (
            C("month", K.INT, "月份", "Month", required=True, min_value=1, max_value=12, aliases=("月",),
              doc_en="Fiscal month number 1-12.", doc_zh="财年月份序号 1-12。"),
            C("share", K.PERCENT, "占比", "Share", required=True, min_value=0, aliases=("比例", "weight"),
              doc_en="Share of the year's target in this month (all months total 100%).",
              doc_zh="该月占全年目标的比例（各月合计 100%）。"),
        ),
        doc_en="Monthly seasonality profile.", doc_zh="月度季节性分布。", key=("month",), domain="targets",
    ),
    Table(
        "TargetLevels", "分解层级",
        (
            C("level", K.INT, "层级", "Level", required=True, min_value=1, max_value=3,
              doc_en="1 = first split below the company, 3 = reps.", doc_zh="1 = 公司下第一层，3 = 代表。"),
            C("dimension", K.CHOICE, "维度", "Dimension", required=True, choices=DIMENSION_CHOICES,
              doc_en="product_line, region_id or rep_id (reps must be the last level).",
              doc_zh="产品线、区域或销售代表（代表须在最后一层）。"),
            C("method", K.CHOICE, "分解方法", "Method", required=True, choices=METHOD_CHOICES,
              doc_en="even, prior_year, trailing_12m, weight (a Reps column) or blend.",
              doc_zh="平均、上年占比、近12个月占比、按权重列（销售代表表中的列）或混合。"),
            C("weight_column", K.TEXT, "权重列", "Weight column", aliases=("weight",),
              doc_en="For method weight: the Reps column to use (e.g. capacity).",
              doc_zh="按权重方法时使用的销售代表表列（如 产能系数 capacity）。"),
            C("blend", K.TEXT, "混合方式", "Blend",
              doc_en="For method blend: e.g. prior_year:70%, even:30%.", doc_zh="混合方法时填写，如 prior_year:70%, even:30%。"),
            C("padding", K.PERCENT, "加码比例", "Padding", min_value=0,
              doc_en="Over-assignment at this level: children total the parent x (1 + padding).",
              doc_zh="本层加码：下级合计 = 上级 ×（1 + 加码比例）。"),
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
            C("growth", K.PERCENT, "增长调整", "Growth uplift",
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
        doc_en="Manual adjustments at any node: fill the path columns down to the node's level.",
        doc_zh="任意节点的手工调整：按层级填写路径列至该节点。", domain="targets", optional=True,
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
            C("amount", K.MONEY, "承诺金额", "Commitment", required=True, min_value=0,
              doc_en="The rep's own bottom-up commitment for the year.", doc_zh="代表自下而上承诺的年度金额。"),
        ),
        doc_en="Bottom-up commitments compared with the top-down targets.", doc_zh="自下而上承诺，与自上而下目标对比。",
        key=("rep_id",), domain="targets", optional=True,
    ),
    Table(
        "Out_Targets", "目标分解",
        (
            C("level", K.INT, "层级", "Level"),
            C("product_line", K.TEXT, "产品线", "Product line"),
            C("region_id", K.ID, "区域编号", "Region ID"),
            C("rep_id", K.ID, "销售代表编号", "Rep ID"),
            C("period", K.TEXT, "期间", "Period"),
            C("target", K.MONEY, "目标", "Target"),
            C("method", K.TEXT, "方法", "Method"),
            C("explanation", K.TEXT, "说明", "Explanation"),
        ),
        doc_en="Targets by node and period (FY = full year); each node's children sum to it exactly.",
        doc_zh="按节点与期间的目标（FY = 全年）；下级之和精确等于上级。", output=True, domain="targets",
    ),
    Table(
        "Out_TargetsByMonth", "代表月度目标",
        (
            C("rep_id", K.ID, "销售代表编号", "Rep ID"),
            C("name", K.TEXT, "姓名", "Name"),
            C("region_id", K.ID, "区域编号", "Region ID"),
            *(C(f"m{i:02d}", K.MONEY, f"{i}月", f"M{i:02d}") for i in range(1, 13)),
            C("total", K.MONEY, "全年", "Year"),
        ),
        doc_en="Rep x month targets, for printing.", doc_zh="代表 × 月份目标表，可打印。", output=True, domain="targets",
    ),
    Table(
        "Out_TargetReview", "目标达成",
        (
            C("rep_id", K.ID, "销售代表编号", "Rep ID"),
            C("period", K.TEXT, "期间", "Period"),
            C("target", K.MONEY, "目标", "Target"),
            C("actual", K.MONEY, "实际", "Actual"),
            C("achievement", K.PERCENT, "达成率", "Achievement"),
            C("commitment", K.MONEY, "承诺", "Commitment"),
            C("gap", K.MONEY, "承诺差额", "Commitment gap"),
        ),
        doc_en="Target vs credited actuals by month, achievement, and the bottom-up gap.",
        doc_zh="按月目标与实际（按业绩分配）对比、达成率及自下而上差额。", output=True, domain="targets",
    ),
)
