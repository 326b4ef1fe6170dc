"""Tables of the KPI weights and scorecard engine."""

from __future__ import annotations

from salesbook.schemas._types import Choice, Column, Kind, Table

C = Column
K = Kind

TABLES = (
    Table(
        "KPIs", "考核指标",
        (
            C("kpi_id", K.ID, "指标编号", "KPI ID", required=True, aliases=("kpi",),
              doc_en="KPI code.", doc_zh="指标编号。"),
            C("name", K.TEXT, "指标名称", "KPI name", required=True, doc_en="Name.", doc_zh="名称。"),
            C("category", K.CHOICE, "类别", "Category",
              choices=(Choice("result", "结果"), Choice("process", "过程"), Choice("customer", "客户"),
                       Choice("team", "团队")),
              doc_en="result, process, customer or team.", doc_zh="结果、过程、客户或团队。"),
            C("direction", K.CHOICE, "方向", "Direction", default="higher",
              choices=(Choice("higher", "越高越好"), Choice("lower", "越低越好")),
              doc_en="higher or lower is better.", doc_zh="越高越好或越低越好。"),
        ),
        doc_en="KPI catalogue.", doc_zh="考核指标库。", key=("kpi_id",), domain="kpi",
    ),
    Table(
        "KPIWeights", "指标权重",
        (
            C("role", K.TEXT, "岗位级别", "Role", required=True, aliases=("level",),
              doc_en="Role level the weight applies to.", doc_zh="适用的岗位级别。"),
            C("kpi_id", K.ID, "指标编号", "KPI ID", required=True, ref="KPIs.kpi_id", aliases=("kpi",),
              doc_en="KPI.", doc_zh="指标。"),
            C("weight", K.PERCENT, "权重", "Weight", min_value=0, doc_en="Manual weight.", doc_zh="手工权重。"),
        ),
        doc_en="KPI weights per role level.", doc_zh="各岗位级别的指标权重。", key=("role", "kpi_id"), domain="kpi",
    ),
    Table(
        "Actuals", "指标实际",
        (
            C("period", K.DATE, "月份", "Month", required=True, aliases=("month",),
              doc_en="Month of the result.", doc_zh="结果所属月份。"),
            C("rep_id", K.ID, "销售代表编号", "Rep ID", required=True, ref="Reps.rep_id", aliases=("rep",),
              doc_en="Rep.", doc_zh="销售代表。"),
            C("kpi_id", K.ID, "指标编号", "KPI ID", required=True, ref="KPIs.kpi_id", aliases=("kpi",),
              doc_en="KPI.", doc_zh="指标。"),
            C("actual", K.NUMBER, "实际值", "Actual", required=True, doc_en="Result.", doc_zh="实际结果。"),
            C("target", K.NUMBER, "目标值", "Target", doc_en="Target for the month.", doc_zh="当月目标。"),
        ),
        doc_en="KPI results per rep and month.", doc_zh="各代表每月的指标结果。", key=("period", "rep_id", "kpi_id"),
        domain="kpi",
    ),
    Table(
        "RatingBands", "评级",
        (
            C("rating", K.TEXT, "评级", "Rating", required=True, doc_en="S, A, B, C, D ...", doc_zh="S、A、B、C、D 等。"),
            C("min_score", K.NUMBER, "最低分", "Min score", required=True, doc_en="Lowest total.", doc_zh="最低总分。"),
            C("multiplier", K.NUMBER, "奖金系数", "Bonus multiplier", required=True, min_value=0,
              doc_en="Bonus multiplier for the rating.", doc_zh="该评级的奖金系数。"),
        ),
        doc_en="Scorecard rating bands.", doc_zh="考核评级区间。", key=("rating",), domain="kpi",
    ),
    Table(
        "Out_Scorecards", "绩效考核",
        (
            C("rep_id", K.ID, "销售代表编号", "Rep ID"),
            C("period", K.TEXT, "期间", "Period"),
            C("total", K.NUMBER, "总分", "Total"),
            C("explanation", K.TEXT, "说明", "Explanation"),
        ),
        doc_en="KPI scorecards.", doc_zh="绩效考核结果。", output=True, domain="kpi",
    ),
)
