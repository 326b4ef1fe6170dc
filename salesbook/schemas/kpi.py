"""Tables of the KPI weights and scorecard engine."""

from __future__ import annotations

from salesbook.schemas._types import Choice, Column, Kind, Setting, Table
from salesbook.schemas.core import ROLE_CHOICES

C = Column
K = Kind

GRAIN = (Choice("month", "月度", ("monthly", "月")), Choice("quarter", "季度", ("quarterly", "季")),
         Choice("year", "年度", ("annual", "yearly", "年")))
WEIGHT_METHODS = (Choice("manual", "手工"), Choice("ahp", "层次分析法", ("AHP",)), Choice("entropy", "熵权法"),
                  Choice("critic", "CRITIC法", ("CRITIC",)), Choice("blend", "组合赋权", ("混合",)))

SETTINGS = (
    Setting("scorecard_period", K.CHOICE, "month", "考核周期", "Scorecard period: month, quarter or year.",
            "考核周期：月度、季度或年度。", GRAIN),
)

TABLES = (
    Table(
        "KPIs", "考核指标",
        (
            C("kpi_id", K.ID, "指标编号", "KPI ID", required=True, aliases=("kpi",), doc_en="KPI code.", doc_zh="指标编号。"),
            C("name", K.TEXT, "指标名称", "KPI name", required=True, doc_en="Name.", doc_zh="名称。"),
            C("category", K.CHOICE, "类别", "Category",
              choices=(Choice("result", "结果"), Choice("process", "过程"), Choice("customer", "客户"),
                       Choice("team", "团队")),
              doc_en="result, process, customer or team.", doc_zh="结果、过程、客户或团队。"),
            C("direction", K.CHOICE, "方向", "Direction", default="higher",
              choices=(Choice("higher", "越高越好"), Choice("lower", "越低越好")),
              doc_en="higher or lower is better (complaint rate, cycle days: lower).", doc_zh="越高越好或越低越好（投诉率、周期天数：越低越好）。"),
            C("method", K.CHOICE, "计分方法", "Scoring", default="linear",
              choices=(Choice("linear", "线性"), Choice("ttsl", "门槛-目标-挑战", ("threshold/target/stretch",)),
                       Choice("step", "阶梯")),
              doc_en="linear (attainment with floor and cap), ttsl (threshold / target / stretch) or step (KPISteps).",
              doc_zh="线性（达成率，含下限与封顶）、门槛-目标-挑战、或阶梯（见指标阶梯表）。"),
            C("threshold", K.PERCENT, "门槛", "Threshold", min_value=0, max_value=5, plausible=(0, 1.2),
              doc_en="Attainment where scoring starts (e.g. 80%): below it the KPI scores 0 whatever the method "
                     "(linear: from the threshold on, score = attainment within floor and cap; ttsl: the threshold "
                     "earns 50%, rising to 100% at target; step: the steps, from the threshold on). Blank = "
                     "linear and step score from 0. With critical = yes, below it also forces the lowest rating.",
              doc_zh="开始计分的达成率（如 80%）：低于门槛，无论何种计分方法均得 0 分（线性：达到门槛起得分 = 达成率，"
                     "受下限与封顶约束；门槛-目标-挑战：门槛得 50%，至目标线性升至 100%；阶梯：达到门槛起按阶梯）。"
                     "留空则线性与阶梯从 0 起计分。若为否决指标，低于门槛还将评为最低等级。"),
            C("stretch", K.PERCENT, "挑战值", "Stretch", min_value=0, max_value=5, plausible=(1, 2),
              doc_en="Attainment that earns the cap (e.g. 120%).",
              doc_zh="获得封顶分的达成率（如 120%）。"),
            C("floor", K.PERCENT, "下限", "Floor", min_value=0, max_value=1, doc_en="Lowest score (linear).", doc_zh="最低得分（线性）。"),
            C("cap", K.PERCENT, "封顶", "Cap", min_value=0, max_value=5, plausible=(1, 2), doc_en="Highest score, e.g. 120%.", doc_zh="最高得分，如 120%。"),
            C("critical", K.BOOL, "否决指标", "Critical", default=False,
              doc_en="Knockout KPI: below threshold means the lowest rating.", doc_zh="一票否决：低于门槛即最低等级。"),
            C("aggregate", K.CHOICE, "汇总方式", "Aggregate", default="sum",
              choices=(Choice("sum", "求和"), Choice("mean", "平均"), Choice("last", "期末值", ("期末",))),
              doc_en="How months add up to quarters and years (actual and target alike): sum (amounts, counts), "
                     "mean (rates, scores) or last (the period's latest month: headcount, active customers).",
              doc_zh="月度汇总到季度/年度的方式（实际与目标相同）：求和（金额、数量）、平均（比率、评分）或期末值"
                     "（期内最后一个月：人数、活跃客户数）。"),
        ),
        doc_en="KPI catalogue.", doc_zh="考核指标库。", key=("kpi_id",), domain="kpi",
    ),
    Table(
        "KPISteps", "指标阶梯",
        (
            C("kpi_id", K.ID, "指标编号", "KPI ID", required=True, ref="KPIs.kpi_id", doc_en="KPI.", doc_zh="指标。"),
            C("min_attainment", K.PERCENT, "最低达成率", "Min attainment", required=True, min_value=0, max_value=5,
              plausible=(0, 2),
              doc_en="From this attainment ...", doc_zh="从该达成率起……"),
            C("score", K.PERCENT, "得分", "Score", required=True, min_value=0, max_value=5, plausible=(0, 2), doc_en="... the score is.", doc_zh="……得分为。"),
        ),
        doc_en="Step tables for step-scored KPIs.", doc_zh="阶梯计分指标的阶梯表。", key=("kpi_id", "min_attainment"),
        domain="kpi", optional=True,
    ),
    Table(
        "KPIWeights", "指标权重",
        (
            C("role", K.CHOICE, "岗位级别", "Role", required=True, aliases=("level",), choices=ROLE_CHOICES,
              doc_en="Role level (rep, senior, manager, director), as in Reps.",
              doc_zh="岗位级别（销售代表、高级销售、销售经理、销售总监），与销售代表表一致。"),
            C("kpi_id", K.ID, "指标编号", "KPI ID", required=True, ref="KPIs.kpi_id", aliases=("kpi",),
              doc_en="KPI.", doc_zh="指标。"),
            C("weight", K.PERCENT, "权重", "Weight", min_value=0, max_value=1,
              doc_en="Manual weight (a role's weights total 100%); other methods compute it.",
              doc_zh="手工权重（同一岗位合计 100%）；其他方法自动计算。"),
        ),
        doc_en="Which KPIs each role level is assessed on, with manual weights.", doc_zh="各岗位级别考核的指标及手工权重。",
        key=("role", "kpi_id"), domain="kpi",
    ),
    Table(
        "WeightMethods", "赋权方法",
        (
            C("role", K.CHOICE, "岗位级别", "Role", required=True, choices=ROLE_CHOICES, doc_en="Role level.",
              doc_zh="岗位级别。"),
            C("method", K.CHOICE, "方法", "Method", required=True, choices=WEIGHT_METHODS,
              doc_en="manual, ahp, entropy, critic or blend.", doc_zh="手工、层次分析法、熵权法、CRITIC法或组合赋权。"),
            C("subjective", K.CHOICE, "主观方法", "Subjective method", choices=WEIGHT_METHODS[:2],
              doc_en="For blend: manual or ahp.", doc_zh="组合赋权时的主观方法：手工或层次分析法。"),
            C("objective", K.CHOICE, "客观方法", "Objective method", choices=WEIGHT_METHODS[2:4],
              doc_en="For blend: entropy or critic.", doc_zh="组合赋权时的客观方法：熵权法或 CRITIC 法。"),
            C("subjective_share", K.PERCENT, "主观占比", "Subjective share", min_value=0, max_value=1,
              doc_en="For blend: weight of the subjective method (e.g. 60%).", doc_zh="组合赋权时主观方法的占比（如 60%）。"),
        ),
        doc_en="How each role's KPI weights are derived (default manual).", doc_zh="各岗位指标权重的赋权方法（默认手工）。",
        key=("role",), domain="kpi", optional=True,
    ),
    Table(
        "AHPJudgements", "AHP判断",
        (
            C("role", K.CHOICE, "岗位级别", "Role", required=True, choices=ROLE_CHOICES, doc_en="Role level.",
              doc_zh="岗位级别。"),
            C("kpi_a", K.ID, "指标A", "KPI A", required=True, ref="KPIs.kpi_id", doc_en="First KPI.", doc_zh="指标 A。"),
            C("kpi_b", K.ID, "指标B", "KPI B", required=True, ref="KPIs.kpi_id", doc_en="Second KPI.", doc_zh="指标 B。"),
            C("value", K.NUMBER, "重要性", "Importance of A over B", required=True, min_value=0, max_value=9,
              doc_en="Saaty scale 1/9 .. 9: 3 = A moderately more important than B.",
              doc_zh="Saaty 1-9 标度：3 = A 比 B 稍微重要。"),
        ),
        doc_en="Pairwise judgements for AHP weights, one row per pair.", doc_zh="层次分析法的两两比较判断，每对一行。",
        key=("role", "kpi_a", "kpi_b"), domain="kpi", optional=True,
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
            C("target", K.NUMBER, "目标值", "Target", required=True, doc_en="Target for the month.", doc_zh="当月目标。"),
        ),
        doc_en="KPI results per rep and month.", doc_zh="各代表每月的指标结果。", key=("period", "rep_id", "kpi_id"),
        domain="kpi",
    ),
    Table(
        "RatingBands", "评级",
        (
            C("rating", K.TEXT, "评级", "Rating", required=True, doc_en="S, A, B, C, D ...", doc_zh="S、A、B、C、D 等。"),
            C("min_score", K.NUMBER, "最低分", "Min score", required=True, plausible=(0, 500),
              doc_en="Lowest total (100 = on target).",
              doc_zh="最低总分（100 = 达标）。"),
            C("multiplier", K.NUMBER, "奖金系数", "Bonus multiplier", required=True, min_value=0, plausible=(0, 3),
              doc_en="Bonus multiplier for the rating.", doc_zh="该评级的奖金系数。"),
        ),
        doc_en="Scorecard rating bands.", doc_zh="考核评级区间。", key=("rating",), domain="kpi",
    ),
    Table(
        "Out_KPIWeights", "指标权重结果",
        (
            C("role", K.TEXT, "岗位级别", "Role"), C("kpi_id", K.ID, "指标编号", "KPI ID"),
            C("weight", K.PERCENT, "权重", "Weight"), C("method", K.TEXT, "方法", "Method"),
            C("lambda_max", K.NUMBER, "最大特征值", "lambda max"), C("ci", K.NUMBER, "CI", "CI"),
            C("cr", K.NUMBER, "CR", "CR"), C("note", K.TEXT, "说明", "Note"),
        ),
        doc_en="KPI weights per role with AHP consistency.", doc_zh="各岗位指标权重及 AHP 一致性。", output=True,
        domain="kpi",
    ),
    Table(
        "Out_Scorecards", "绩效考核",
        (
            C("rep_id", K.ID, "销售代表编号", "Rep ID"), C("role", K.TEXT, "岗位级别", "Role"),
            C("period", K.TEXT, "期间", "Period"), C("kpi_id", K.ID, "指标编号", "KPI ID"),
            C("name", K.TEXT, "指标名称", "KPI name"), C("actual", K.NUMBER, "实际值", "Actual"),
            C("target", K.NUMBER, "目标值", "Target"), C("attainment", K.PERCENT, "达成率", "Attainment"),
            C("score", K.PERCENT, "得分", "Score"), C("weight", K.PERCENT, "权重", "Weight"),
            C("weighted_score", K.NUMBER, "加权得分", "Weighted score"), C("total", K.NUMBER, "总分", "Total"),
            C("rating", K.TEXT, "评级", "Rating"), C("multiplier", K.NUMBER, "奖金系数", "Multiplier"),
            C("bonus", K.MONEY, "奖金", "Bonus"), C("rank_in_region", K.INT, "区域内排名", "Rank in region"),
            C("explanation", K.TEXT, "说明", "Explanation"),
        ),
        doc_en="KPI scorecards per rep and period.", doc_zh="各代表各期的绩效考核。", output=True, domain="kpi",
    ),
    Table(
        "Out_PeriodScorecards", "分期考核",
        (
            C("period_kind", K.TEXT, "期间类型", "Period kind"), C("period", K.TEXT, "期间", "Period"),
            C("through", K.TEXT, "数据截至月份", "Through month"), C("months", K.INT, "有数据月数", "Months with results"),
            C("rep_id", K.ID, "销售代表编号", "Rep ID"), C("role", K.TEXT, "岗位级别", "Role"),
            C("region_id", K.ID, "区域编号", "Region ID"), C("kpi_id", K.ID, "指标编号", "KPI ID"),
            C("name", K.TEXT, "指标名称", "KPI name"), C("aggregate", K.TEXT, "汇总方式", "Aggregate"),
            C("actual", K.NUMBER, "实际值", "Actual"), C("target", K.NUMBER, "目标值", "Target"),
            C("attainment", K.PERCENT, "达成率", "Attainment"), C("score", K.PERCENT, "得分", "Score"),
            C("weight", K.PERCENT, "权重", "Weight"), C("weighted_score", K.NUMBER, "加权得分", "Weighted score"),
            C("total", K.NUMBER, "总分", "Total"), C("rating", K.TEXT, "评级", "Rating"),
            C("multiplier", K.NUMBER, "奖金系数", "Multiplier"), C("bonus", K.MONEY, "奖金", "Bonus"),
            C("bonus_basis", K.TEXT, "奖金考核周期", "Bonus paid on"), C("bonus_count", K.INT, "奖金期数", "Bonus periods"),
            C("rank_in_region", K.INT, "区域同岗位排名", "Rank in region and role"),
            C("rank_of", K.INT, "参与排名人数", "Ranked reps"), C("explanation", K.TEXT, "说明", "Explanation"),
        ),
        doc_en="The scorecard of every month, fiscal quarter and fiscal year to the as-of date, each KPI aggregated "
               "over the period by its own rule; the reviews read their KPI figures from here.",
        doc_zh="截至截止日期的每月、每财季、每财年考核：各指标按其汇总方式在期内汇总后计分；业绩回顾的考核数据取自此表。",
        output=True, domain="kpi",
    ),
)
