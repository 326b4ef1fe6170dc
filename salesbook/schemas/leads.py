"""Tables of the lead scoring and routing engine."""

from __future__ import annotations

from salesbook.schemas._types import Choice, Column, Kind, Setting, Table

C = Column
K = Kind

LEAD_STATUS = (
    Choice("open", "跟进中", ("new", "新建", "进行中")),
    Choice("won", "赢单", ("成交",)),
    Choice("lost", "输单", ("丢单", "失败")),
)

# Rule operators: the code the engine applies, the zh word on the zh drop-down, and the other ways people
# write them (== and <> from spreadsheets, ≥/≤ from Chinese input methods; full-width forms fold by NFKC).
OPERATORS = (
    Choice("=", "等于", ("==", "eq", "is", "equals")),
    Choice("!=", "不等于", ("<>", "≠", "ne", "is not", "not equal")),
    Choice("in", "属于", ("one of", "在其中", "包含于")),
    Choice("not in", "不属于", ("none of", "不在其中", "不包含于")),
    Choice(">", "大于", ("gt", "more than")),
    Choice(">=", "大于等于", ("≥", "=>", "ge", "at least", "不小于")),
    Choice("<", "小于", ("lt", "less than")),
    Choice("<=", "小于等于", ("≤", "=<", "le", "at most", "不大于")),
    Choice("between", "介于", ("在之间", "区间", "范围")),
    Choice("contains", "包含", ("含有", "has")),
    Choice("is blank", "为空", ("blank", "empty", "空")),
    Choice("is not blank", "不为空", ("not blank", "not empty", "非空")),
)

SETTINGS = (
    Setting("lead_decay", K.CHOICE, "half_life", "互动衰减方式",
            "How engagement points fade with age: half_life or linear.", "互动分随时间衰减的方式：半衰期或线性。",
            (Choice("half_life", "半衰期"), Choice("linear", "线性"))),
    Setting("lead_half_life_days", K.NUMBER, 30, "半衰期（天）", "Days after which an event counts half.",
            "事件分值减半所需天数。",
            min_value=0.1, max_value=3650),
    Setting("lead_linear_decay", K.PERCENT, 0.25, "线性衰减（每月）", "Linear decay per month (e.g. 25%).",
            "线性衰减时每月减少的比例（如 25%）。",
            min_value=0, max_value=1),
)

TABLES = (
    Table(
        "Leads", "线索",
        (
            C("lead_id", K.ID, "线索编号", "Lead ID", required=True, aliases=("lead",),
              doc_en="Unique lead code.", doc_zh="唯一的线索编号。"),
            C("created_date", K.DATE, "创建日期", "Created", required=True, aliases=("date", "日期"),
              doc_en="Date the lead arrived.", doc_zh="线索进入日期。"),
            C("company", K.TEXT, "公司名称", "Company", aliases=("customer", "客户"),
              doc_en="Prospect company.", doc_zh="潜在客户公司。"),
            C("industry", K.TEXT, "行业", "Industry", doc_en="Industry.", doc_zh="所属行业。"),
            C("region_id", K.ID, "区域编号", "Region ID", ref="Regions.region_id", aliases=("region", "区域"),
              doc_en="Region of the prospect.", doc_zh="客户所在区域。"),
            C("product_line", K.TEXT, "意向产品线", "Product line", aliases=("产品线",),
              doc_en="Product line of interest.", doc_zh="意向产品线。"),
            C("employees", K.INT, "员工人数", "Employees", min_value=0, aliases=("size", "规模"),
              doc_en="Company size.", doc_zh="公司规模（人数）。"),
            C("budget", K.MONEY, "预算", "Budget", min_value=0, doc_en="Stated budget.", doc_zh="预算金额。"),
            C("source", K.TEXT, "来源", "Source", aliases=("channel", "渠道"),
              doc_en="Where the lead came from.", doc_zh="线索来源。"),
            C("status", K.CHOICE, "状态", "Status", choices=LEAD_STATUS, default="open",
              doc_en="open, won or lost (won/lost train the predictive score).",
              doc_zh="跟进中、赢单或输单（赢/输单用于训练预测模型）。"),
            C("owner_rep_id", K.ID, "负责人", "Owner", ref="Reps.rep_id", aliases=("owner", "rep_id"),
              doc_en="Assigned rep (blank = to be routed).", doc_zh="负责的销售代表（留空则自动分配）。"),
            C("last_contact_date", K.DATE, "最近联系日期", "Last contact", aliases=("last contact",),
              doc_en="Last follow-up.", doc_zh="最近一次跟进日期。"),
        ),
        doc_en="Leads to score, grade and route.", doc_zh="待评分、分级和分配的线索。", key=("lead_id",),
        domain="leads",
    ),
    Table(
        "LeadEvents", "线索行为",
        (
            C("lead_id", K.ID, "线索编号", "Lead ID", required=True, ref="Leads.lead_id", aliases=("lead",),
              doc_en="Lead.", doc_zh="线索。"),
            C("date", K.DATE, "日期", "Date", required=True, doc_en="When it happened.", doc_zh="发生日期。"),
            C("event_type", K.TEXT, "行为类型", "Event type", required=True, aliases=("event", "类型"),
              doc_en="e.g. email_open, web_visit, demo_request.", doc_zh="如 打开邮件、访问网站、申请演示。"),
        ),
        doc_en="Engagement events per lead.", doc_zh="线索的互动行为记录。", domain="leads", optional=True,
    ),
    Table(
        "ScoringRules", "评分规则",
        (
            C("rule_id", K.ID, "规则编号", "Rule ID", required=True, aliases=("rule",),
              doc_en="Rule code.", doc_zh="规则编号。"),
            C("group", K.CHOICE, "分组", "Group", required=True,
              choices=(Choice("fit", "匹配度"), Choice("engagement", "互动度"), Choice("custom", "自定义")),
              doc_en="fit, engagement or custom.", doc_zh="匹配度、互动度或自定义。"),
            C("field", K.TEXT, "字段", "Field", required=True,
              doc_en="A Leads column by its header (as on the Leads sheet, zh or en), or the event type for engagement rules.",
              doc_zh="线索表的列（按线索表表头填写，中英文均可），互动规则填行为类型。"),
            C("operator", K.CHOICE, "运算符", "Operator", required=True, aliases=("op",), choices=OPERATORS,
              doc_en="=, !=, in, not in, >, >=, <, <=, between, contains, is blank, is not blank.",
              doc_zh="等于、不等于、属于、不属于、大于、大于等于、小于、小于等于、介于、包含、为空、不为空（也可写 =、!=、in、>= 等）。"),
            C("value", K.TEXT, "值", "Value", doc_en="Comparison value.", doc_zh="比较值。"),
            C("points", K.NUMBER, "分值", "Points", required=True, aliases=("score", "分数"),
              doc_en="Points added (negative subtracts).", doc_zh="加分（负数为减分）。"),
        ),
        doc_en="Lead scoring rules.", doc_zh="线索评分规则。", key=("rule_id",), domain="leads",
    ),
    Table(
        "GradeBands", "线索等级",
        (
            C("grade", K.TEXT, "等级", "Grade", required=True, doc_en="A, B, C ...", doc_zh="A、B、C 等。"),
            C("min_score", K.NUMBER, "最低分", "Min score", required=True, aliases=("min",),
              doc_en="Lowest score in this grade.", doc_zh="该等级的最低分。"),
            C("follow_up_days", K.INT, "跟进天数", "Follow-up days", min_value=0, max_value=3650, aliases=("follow up",),
              doc_en="Days until the next contact is due.", doc_zh="距下次联系的天数。"),
        ),
        doc_en="Score bands for lead grades and follow-up frequency.", doc_zh="线索等级分数段与跟进频率。",
        key=("grade",), domain="leads",
    ),
    Table(
        "ScoreGroups", "评分分组上限",
        (
            C("group", K.CHOICE, "分组", "Group", required=True,
              choices=(Choice("fit", "匹配度"), Choice("engagement", "互动度"), Choice("custom", "自定义")),
              doc_en="fit, engagement or custom.", doc_zh="匹配度、互动度或自定义。"),
            C("cap", K.NUMBER, "上限", "Cap", doc_en="Most points the group can add.", doc_zh="该组最多可加的分数。"),
        ),
        doc_en="Per-group caps on points.", doc_zh="各评分分组的分数上限。", key=("group",), domain="leads", optional=True,
    ),
    Table(
        "Out_LeadScores", "线索评分",
        (
            C("lead_id", K.ID, "线索编号", "Lead ID"), C("fit_score", K.NUMBER, "匹配分", "Fit"),
            C("engagement_score", K.NUMBER, "互动分", "Engagement"), C("score", K.NUMBER, "总分", "Score"),
            C("grade", K.TEXT, "等级", "Grade"), C("grid", K.TEXT, "矩阵", "Fit x engagement"),
            C("status", K.CHOICE, "状态", "Status", choices=LEAD_STATUS,
              doc_en="The lead's status on the Leads sheet (the dashboard's win rate by grade counts it).",
              doc_zh="线索表中该线索的状态（看板按等级统计赢单率时使用）。"),
            C("probability", K.PERCENT, "赢单概率", "Win probability"), C("assigned_rep", K.ID, "分配代表", "Assigned rep"),
            C("assignment", K.TEXT, "分配说明", "Assignment"), C("next_contact", K.DATE, "下次联系", "Next contact"),
            C("overdue", K.BOOL, "已逾期", "Overdue"), C("explanation", K.TEXT, "说明", "Explanation"),
        ),
        doc_en="Lead scores, grades and routing.", doc_zh="线索评分、等级与分配。", output=True, domain="leads",
    ),
    Table(
        "Out_LeadModel", "线索预测模型",
        (C("metric", K.TEXT, "指标", "Metric"), C("value", K.NUMBER, "数值", "Value"), C("note", K.TEXT, "说明", "Note")),
        doc_en="How far to trust the win probability: holdout AUC and calibration.",
        doc_zh="赢单概率的可信度：验证集 AUC 与校准表。", output=True, domain="leads",
    ),
)
