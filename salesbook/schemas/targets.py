"""Tables of the target decomposition engine."""

from __future__ import annotations

from salesbook.schemas._types import Choice, Column, Kind, Table

C = Column
K = Kind

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
        "Out_Targets", "目标分解",
        (
            C("product_line", K.TEXT, "产品线", "Product line"),
            C("region_id", K.ID, "区域编号", "Region ID"),
            C("rep_id", K.ID, "销售代表编号", "Rep ID"),
            C("period", K.TEXT, "期间", "Period"),
            C("target", K.MONEY, "目标", "Target"),
            C("method", K.CHOICE, "方法", "Method", choices=(Choice("even", "平均"),)),
            C("explanation", K.TEXT, "说明", "Explanation"),
        ),
        doc_en="Targets by product line, region, rep and month.", doc_zh="按产品线、区域、代表与月份的目标。",
        output=True, domain="targets",
    ),
)
