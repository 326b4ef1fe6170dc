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
    Setting("bonus_kpi_factor", K.CHOICE, "rating", "奖金考核系数",
            "How the scorecard enters the bonus: rating = the bonus multiplier of the rating band the total reaches "
            "(stepped); score = the total itself as a factor, total / 100 (108.0 gives 1.08), within "
            "bonus_score_threshold, bonus_score_floor and bonus_score_cap. A knockout gives the lowest rating's "
            "multiplier either way. Bonus = annual target bonus (or salary x target bonus %) x period share x this "
            "factor x company factor x business-unit factor (PerformanceFactors) x share of the period employed.",
            "考核结果如何进入奖金：rating = 总分所达评级的奖金系数（阶梯）；score = 总分本身作为系数，总分 / 100"
            "（108.0 即 1.08），受奖金考核门槛、下限与上限约束。无论哪种方式，一票否决都取最低评级的系数。"
            "奖金 = 年度目标奖金（或年薪 × 目标奖金比例）× 期间占比 × 本系数 × 公司系数 × 业务单元系数（业绩系数表）× 在岗比例。",
            (Choice("rating", "按评级", ("stepped", "band", "评级")), Choice("score", "按总分", ("continuous", "总分")))),
    Setting("bonus_score_threshold", K.PERCENT, None, "奖金考核门槛",
            "bonus_kpi_factor = score: a total below this pays no bonus (80% = a total of 80.0). Blank = none.",
            "奖金考核系数按总分时：总分低于该值不发奖金（80% 即总分 80.0）。留空 = 不设门槛。",
            min_value=0, max_value=5, plausible=(0, 1.2)),
    Setting("bonus_score_floor", K.PERCENT, None, "奖金考核下限",
            "bonus_kpi_factor = score: from the threshold on, the factor is at least this (50% = 0.5). Blank = none.",
            "奖金考核系数按总分时：达到门槛后系数至少为该值（50% 即 0.5）。留空 = 不设下限。",
            min_value=0, max_value=5, plausible=(0, 1)),
    Setting("bonus_score_cap", K.PERCENT, None, "奖金考核上限",
            "bonus_kpi_factor = score: the factor is at most this (150% = 1.5). Blank = no cap.",
            "奖金考核系数按总分时：系数至多为该值（150% 即 1.5）。留空 = 不封顶。",
            min_value=0, max_value=10, plausible=(1, 3)),
    Setting("bonus_cap", K.PERCENT, None, "奖金封顶",
            "Most bonus a scorecard pays, as a share of its period's target bonus (200% = twice the target), after "
            "every factor. Blank = no cap.",
            "每期奖金的上限，以该期目标奖金的比例表示（200% 即目标的两倍），在所有系数之后适用。留空 = 不封顶。",
            min_value=0, max_value=10, plausible=(1, 4)),
)

SCOPES = (Choice("company", "公司", ("公司整体", "corporate")), Choice("region", "区域"),
          Choice("product_line", "产品线", ("product line", "line")))

# The bonus and each factor in it, on both scorecard tables.
_BONUS_COLUMNS = (
    C("multiplier", K.NUMBER, "奖金系数", "Multiplier",
      doc_en="KPI factor of the bonus: the rating's multiplier, or total / 100 (Settings bonus_kpi_factor = score).",
      doc_zh="奖金的考核系数：评级的奖金系数，或总分 / 100（参数 bonus_kpi_factor = score 时）。"),
    C("company_factor", K.NUMBER, "公司系数", "Company factor",
      doc_en="Company performance factor of the period (PerformanceFactors), after its cap; blank if none.",
      doc_zh="本期公司业绩系数（业绩系数表），已按上限；没有则留空。"),
    C("unit_factor", K.NUMBER, "业务单元系数", "Business-unit factor",
      doc_en="The rep's region or product-line factor of the period, after its cap; blank if none.",
      doc_zh="本期销售代表所在区域或产品线的系数，已按上限；没有则留空。"),
    C("bonus", K.MONEY, "奖金", "Bonus"),
    C("bonus_formula", K.TEXT, "奖金算式", "Bonus formula",
      doc_en="The bonus worked out factor by factor, e.g. 300,000.00 (salary) x 15% (target bonus) x 3/12 (quarter) x "
             "1.08 (KPI total 108.0) x 0.95 (company factor 2026Q1) = 11,542.50.",
      doc_zh="逐项列出的奖金算式，如 300,000.00（年薪）× 15%（目标奖金比例）× 3/12（季度）× 1.08（考核总分 108.0）"
             "× 0.95（公司系数 2026Q1）= 11,542.50。"),
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
        "PerformanceFactors", "业绩系数",
        (
            C("scope", K.CHOICE, "范围", "Scope", default="company", choices=SCOPES, aliases=("level", "层级"),
              doc_en="company (everyone), region or product_line (a business unit). Blank = company.",
              doc_zh="公司（全员）、区域或产品线（业务单元）。留空 = 公司。"),
            C("unit", K.TEXT, "业务单元", "Business unit", aliases=("business unit", "bu", "单元"),
              doc_en="The Region ID (scope region) or the product line (scope product_line, as in Reps' Product "
                     "lines); blank for company. A rep takes one business-unit factor: the region's, or that of the one "
                     "product line named in Reps.",
              doc_zh="区域编号（范围为区域时）或产品线（范围为产品线时，与销售代表表中的负责产品线一致）；公司留空。"
                     "每位销售代表只取一个业务单元系数：所在区域的，或销售代表表中所列唯一产品线的。"),
            C("period", K.TEXT, "期间", "Period", required=True, aliases=("month", "quarter", "year", "月份", "季度", "年度"),
              doc_en="2026 (a fiscal year), 2026Q1 (a fiscal quarter) or 2026-03 (a month). A factor applies to the "
                     "scorecards inside its period; the most specific one wins (a month's over its quarter's over "
                     "its year's). A factor for a period shorter than the scorecard period is not used.",
              doc_zh="2026（财年）、2026Q1（财季）或 2026-03（月份）。系数适用于其期间内的考核；越具体越优先"
                     "（月度优先于季度，季度优先于年度）。期间短于考核周期的系数不使用。"),
            C("factor", K.PERCENT, "系数", "Factor", required=True, min_value=0, max_value=3, plausible=(0, 2),
              aliases=("performance factor", "multiplier", "业绩系数"),
              doc_en="The performance factor multiplied into the bonus: 95% (or 0.95) pays 95% of what the scorecard "
                     "earns.",
              doc_zh="乘入奖金的业绩系数：95%（或 0.95）即按考核所得奖金的 95% 发放。"),
            C("cap", K.PERCENT, "系数上限", "Factor cap", min_value=0, max_value=3, plausible=(1, 2.5),
              aliases=("max factor", "上限"),
              doc_en="The factor is used up to this (e.g. 150%): a factor worked out above it is capped. Blank = no cap.",
              doc_zh="系数的上限（如 150%）：计算出的系数高于它时按上限计。留空 = 不封顶。"),
            C("note", K.TEXT, "备注", "Note", aliases=("basis", "依据"),
              doc_en="What the factor rests on (e.g. revenue 95% of plan).", doc_zh="系数的依据（如收入完成计划的 95%）。"),
        ),
        doc_en="Company and business-unit (region, product line) performance factors per period, multiplied into every "
               "bonus they apply to (the bonus formula: salary x target % x period share x KPI factor x company factor "
               "x business-unit factor). A period without a factor is paid without one, with a warning.",
        doc_zh="各期公司及业务单元（区域、产品线）业绩系数，乘入其适用的每份奖金（奖金 = 年薪 × 目标比例 × 期间占比 × "
               "考核系数 × 公司系数 × 业务单元系数）。缺少系数的期间按不含该系数计算，并给出提示。",
        key=("scope", "unit", "period"), domain="kpi", optional=True,
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
            C("rating", K.TEXT, "评级", "Rating"), *_BONUS_COLUMNS,
            C("rank_in_region", K.INT, "区域内排名", "Rank in region"),
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
            C("total", K.NUMBER, "总分", "Total"), C("rating", K.TEXT, "评级", "Rating"), *_BONUS_COLUMNS,
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
