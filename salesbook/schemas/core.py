"""Core tables every engine shares: settings, products, regions, reps, history, deals, credits, payments."""

from __future__ import annotations

from salesbook.schemas._types import Choice, Column, Kind, Setting, Table

C = Column
K = Kind

ROLE_CHOICES = (
    Choice("rep", "销售代表", ("sales rep", "代表", "销售")),
    Choice("senior", "高级销售", ("senior rep", "高级销售代表")),
    Choice("manager", "销售经理", ("经理",)),
    Choice("director", "销售总监", ("总监",)),
)

DEAL_STATUS = (
    Choice("booked", "已成交", ("won", "成交")),
    Choice("cancelled", "已取消", ("canceled", "取消")),
    Choice("returned", "已退货", ("退货", "refunded", "退款")),
)

DOC_TYPES = (
    Choice("invoice", "发票", ("sale", "销售", "蓝字发票")),
    Choice("credit_note", "贷项通知单", ("credit note", "credit memo", "红字发票", "红字", "红冲", "贷项凭证")),
)

SETTINGS = (
    Setting("company_name", K.TEXT, "Demo Co.", "公司名称", "Company name shown on reports.",
            "报告上显示的公司名称。"),
    Setting("language", K.CHOICE, "en", "语言", "Language of messages and reports: en or zh.",
            "提示信息与报告的语言：en 或 zh。",
            (Choice("en", "英文", ("english", "英语")), Choice("zh", "中文", ("chinese", "zh-cn")))),
    Setting("currency", K.TEXT, "CNY", "币种", "ISO currency code used for money formats (CNY, USD ...).",
            "金额格式所用的币种代码（CNY、USD 等）。"),
    Setting("fiscal_year", K.INT, 2026, "财年", "Fiscal year being planned and reported.",
            "计划与报告所针对的财年。"),
    Setting("fiscal_year_start_month", K.INT, 1, "财年起始月", "First month of the fiscal year (1-12).",
            "财年的第一个月（1-12）。",
            min_value=1, max_value=12),
    Setting("as_of_date", K.DATE, None, "截止日期",
            "Date the run is computed as of (blank = today). Pin it for reproducible results.",
            "计算所依据的日期（留空为今天）。固定它可使结果可复现。"),
    Setting("date_order", K.CHOICE, None, "日期顺序",
            "How a date typed as text like 03/04/2026, where day and month could be either way round, is read: "
            "mdy (month first, 4 March) or dmy (day first, 3 April). Blank: mdy in an English book, dmy in a "
            "Chinese one. Unambiguous forms (2026-03-04, 2026年3月4日, 13/3/2026, Mar 4, 2026) never depend on "
            "it; the first text date read this way is named in a warning.",
            "文本日期如 03/04/2026 的日、月无法区分时的读法：mdy（月在前，3 月 4 日）或 dmy（日在前，4 月 3 日）。"
            "留空：英文工作簿为 mdy，中文工作簿为 dmy。明确的写法（2026-03-04、2026年3月4日、13/3/2026、"
            "Mar 4, 2026）不受影响；按此读法读取的第一个文本日期会给出提示。",
            (Choice("mdy", "月/日/年", ("month first", "月日年"), "mdy"),
             Choice("dmy", "日/月/年", ("day first", "日月年"), "dmy"))),
    Setting("rounding_unit", K.NUMBER, 0.01, "取整单位",
            "Rounding unit for money splits: 0.01, 1, 100 ...", "金额拆分的取整单位：0.01、1、100 等。",
            min_value=0.0001, max_value=1000000),
)

# Where a finding is, as the problem and warning sheets list it.
_WHERE = (C("sheet", K.TEXT, "工作表", "Sheet"), C("row", K.INT, "行", "Row"), C("column", K.TEXT, "列", "Column"))

TABLES = (
    Table(
        "Settings", "设置",
        (
            C("key", K.TEXT, "参数", "Setting", required=True, aliases=("name", "键", "项目"),
              doc_en="Setting name (see the list on the Instructions sheet).", doc_zh="参数名称（见说明页列表）。"),
            C("value", K.TEXT, "值", "Value", aliases=("数值",), doc_en="Setting value.", doc_zh="参数取值。"),
            C("note", K.TEXT, "备注", "Note", aliases=("comment", "说明"), doc_en="Free text.", doc_zh="备注。"),
        ),
        doc_en="Key/value settings for the whole workbook.", doc_zh="整个工作簿的参数设置（参数/值）。",
        key=("key",),
    ),
    Table(
        "Products", "产品",
        (
            C("product_id", K.ID, "产品编号", "Product ID", required=True, aliases=("product", "产品代码"),
              doc_en="Unique product code.", doc_zh="唯一的产品代码。"),
            C("name", K.TEXT, "产品名称", "Product name", required=True, aliases=("product name", "名称"),
              doc_en="Display name.", doc_zh="显示名称。"),
            C("product_line", K.TEXT, "产品线", "Product line", required=True, aliases=("line", "产品系列"),
              doc_en="Product line the product belongs to (first level of target decomposition).",
              doc_zh="所属产品线（目标分解的第一层）。"),
            C("unit_price", K.MONEY, "单价", "Unit price", min_value=0, aliases=("price", "价格"),
              doc_en="List price per unit.", doc_zh="每单位标价。"),
            C("active", K.BOOL, "是否在售", "Active", default=True, aliases=("在售", "启用"),
              doc_en="Whether the product is sold this year.", doc_zh="本年是否在售。"),
        ),
        doc_en="Products and product lines.", doc_zh="产品与产品线。", key=("product_id",),
    ),
    Table(
        "Regions", "区域",
        (
            C("region_id", K.ID, "区域编号", "Region ID", required=True, aliases=("region", "区域代码"),
              doc_en="Unique region code.", doc_zh="唯一的区域代码。"),
            C("name", K.TEXT, "区域名称", "Region name", required=True, aliases=("region name", "名称"),
              doc_en="Display name.", doc_zh="显示名称。"),
            C("manager_id", K.ID, "区域经理", "Manager", aliases=("manager",),
              doc_en="rep_id of the region's manager.", doc_zh="区域经理的销售代表编号。"),
        ),
        doc_en="Sales regions.", doc_zh="销售区域。", key=("region_id",),
    ),
    Table(
        "Reps", "销售代表",
        (
            C("rep_id", K.ID, "销售代表编号", "Rep ID", required=True, aliases=("rep", "员工编号", "工号"),
              doc_en="Unique rep code.", doc_zh="唯一的销售代表编号。"),
            C("name", K.TEXT, "姓名", "Name", required=True, aliases=("rep name", "名字"),
              doc_en="Full name.", doc_zh="姓名。"),
            C("region_id", K.ID, "区域编号", "Region ID", required=True, ref="Regions.region_id",
              aliases=("region", "区域"), doc_en="Region the rep sells in.", doc_zh="所属区域。"),
            C("role", K.CHOICE, "岗位级别", "Role", required=True, choices=ROLE_CHOICES,
              aliases=("level", "职级", "岗位"),
              doc_en="Role level: rep, senior, manager or director (KPI weights differ by level).",
              doc_zh="岗位级别：销售代表、高级销售、销售经理、销售总监（考核权重按级别不同）。"),
            C("manager_id", K.ID, "上级编号", "Manager ID", ref="Reps.rep_id", aliases=("manager", "上级"),
              doc_en="rep_id of the direct manager (blank for the top).", doc_zh="直属上级的编号（最高层留空）。"),
            C("hire_date", K.DATE, "入职日期", "Hire date", required=True, aliases=("start date", "入职"),
              doc_en="First working day (drives ramp and proration).", doc_zh="入职日期（用于新人爬坡与折算）。"),
            C("leave_date", K.DATE, "离职日期", "Leave date", aliases=("end date", "离职"),
              doc_en="Last working day, blank if still employed.", doc_zh="最后工作日，在职则留空。"),
            C("product_lines", K.TEXT, "负责产品线", "Product lines", aliases=("lines",),
              doc_en="Comma-separated product lines the rep sells (blank = all).",
              doc_zh="负责的产品线，逗号分隔（留空为全部）。"),
            C("industries", K.TEXT, "擅长行业", "Industries", aliases=("specialty", "行业专长"),
              doc_en="Comma-separated industry specialties for lead routing (blank = any).",
              doc_zh="线索分配所用的行业专长，逗号分隔（留空为不限）。"),
            C("max_open_leads", K.INT, "最大在跟线索数", "Max open leads", min_value=0,
              aliases=("lead capacity", "线索上限"),
              doc_en="Most open leads the rep may hold (blank = no limit).",
              doc_zh="可同时跟进的最多线索数（留空不限）。"),
            C("capacity", K.NUMBER, "产能系数", "Capacity weight", min_value=0, aliases=("weight",),
              doc_en="Relative capacity for target and lead splits (default 1).",
              doc_zh="目标与线索分配的相对产能系数（默认 1）。", default=1.0),
            C("target_bonus", K.MONEY, "目标奖金", "Target bonus", min_value=0, aliases=("bonus",),
              doc_en="Annual target bonus paid at 100% scorecard. Or leave it blank and give Base salary and Target "
                     "bonus %: the target is then salary x %. Given all three, they must agree (a difference is an "
                     "error: one bonus cannot have two targets).",
              doc_zh="考核 100% 时的年度目标奖金。也可留空，改填年薪与目标奖金比例：目标奖金 = 年薪 × 比例。"
                     "三者都填时必须一致（不一致即报错：一份奖金不能有两个目标）。"),
            C("salary", K.MONEY, "年薪", "Base salary", min_value=0, aliases=("annual salary", "salary", "基本年薪"),
              doc_en="Annual base salary: with Target bonus % it gives the target bonus (salary x %), and the bonus "
                     "explanation starts from it.",
              doc_zh="年度基本工资：与目标奖金比例相乘即为目标奖金，奖金说明从它算起。"),
            C("target_bonus_pct", K.PERCENT, "目标奖金比例", "Target bonus %", min_value=0, max_value=3,
              plausible=(0, 1), aliases=("target bonus percent", "奖金比例"),
              doc_en="Target bonus as a share of Base salary (e.g. 15%); needs Base salary.",
              doc_zh="目标奖金占年薪的比例（如 15%）；需同时填写年薪。"),
            C("email", K.TEXT, "邮箱", "Email", doc_en="Email address.", doc_zh="邮箱地址。"),
        ),
        doc_en="Sales people with their region, role level and manager.", doc_zh="销售人员及其区域、级别和上级。",
        key=("rep_id",),
    ),
    Table(
        "History", "历史业绩",
        (
            C("period", K.DATE, "月份", "Month", required=True, aliases=("month", "期间", "日期"),
              doc_en="Any date in the month (first of month recommended).", doc_zh="月份中的任一日期（建议填月初）。"),
            C("rep_id", K.ID, "销售代表编号", "Rep ID", ref="Reps.rep_id", aliases=("rep",),
              doc_en="Rep who sold (blank for unassigned sales).", doc_zh="销售代表（未分配的销售留空）。"),
            C("region_id", K.ID, "区域编号", "Region ID", required=True, ref="Regions.region_id",
              aliases=("region",), doc_en="Region.", doc_zh="区域。"),
            C("product_id", K.ID, "产品编号", "Product ID", required=True, ref="Products.product_id",
              aliases=("product",), doc_en="Product.", doc_zh="产品。"),
            C("amount", K.MONEY, "销售额", "Amount", required=True, aliases=("sales", "revenue", "金额"),
              doc_en="Net sales in the month.", doc_zh="当月净销售额。"),
            C("quantity", K.NUMBER, "数量", "Quantity", aliases=("qty", "units", "销量"),
              doc_en="Net units sold in the month (for targets in units: history shares and average prices).",
              doc_zh="当月净销售数量（用于按数量分解目标：历史占比与平均单价）。"),
        ),
        doc_en="Monthly sales history (24 months recommended) for historical-share targets.",
        doc_zh="月度历史销售（建议 24 个月），用于按历史占比分解目标。",
    ),
    Table(
        "Deals", "成交",
        (
            C("deal_id", K.ID, "订单编号", "Deal ID", required=True, aliases=("deal", "order id", "订单号"),
              doc_en="Unique deal or order number.", doc_zh="唯一的订单编号。"),
            C("date", K.DATE, "成交日期", "Date", required=True, aliases=("deal date", "日期", "booking date"),
              doc_en="Booking date.", doc_zh="成交日期。"),
            C("rep_id", K.ID, "销售代表编号", "Rep ID", required=True, ref="Reps.rep_id", aliases=("rep", "owner"),
              doc_en="Owner of the deal (credit splits go in Credits).",
              doc_zh="订单负责人（业绩拆分填在业绩分配表）。"),
            C("product_id", K.ID, "产品编号", "Product ID", required=True, ref="Products.product_id",
              aliases=("product",), doc_en="Product sold.", doc_zh="所售产品。"),
            C("customer", K.TEXT, "客户", "Customer", aliases=("client", "客户名称"),
              doc_en="Customer name.", doc_zh="客户名称。"),
            C("quantity", K.NUMBER, "数量", "Quantity", min_value=0, aliases=("qty", "units", "销量"),
              doc_en="Units sold (actuals of targets in units; blank counts as 0 units).",
              doc_zh="销售数量（按数量分解的目标据此计算实际；留空按 0 计）。"),
            C("amount", K.MONEY, "销售额", "Amount", required=True, aliases=("sales", "revenue", "金额"),
              doc_en="Deal amount before tax. A credit note (a partial refund, a price reduction, goods returned "
                     "on a document of their own) is a row with a negative amount, or with Document type = "
                     "credit_note; it is dated on its own date and reduces that period's sales and commission.",
              doc_zh="不含税成交金额。贷项通知单（红字发票：部分退款、折让、以单独单据退货）填一行负数金额，"
                     "或将单据类型选为贷项通知单；按其自身日期计入当期，冲减当期业绩与提成。"),
            C("status", K.CHOICE, "状态", "Status", choices=DEAL_STATUS, default="booked", aliases=("状况",),
              doc_en="booked, cancelled or returned.", doc_zh="已成交、已取消或已退货。"),
            C("status_date", K.DATE, "状态日期", "Status date", aliases=("cancel date", "退货日期", "取消日期"),
              doc_en="Date of the cancellation or return.", doc_zh="取消或退货的日期。"),
            C("doc_type", K.CHOICE, "单据类型", "Document type", choices=DOC_TYPES, default="invoice",
              aliases=("document type", "type", "单据"),
              doc_en="invoice (a sale) or credit_note. A credit note counts negative whichever sign its amount is "
                     "typed with (ERP exports often list credit notes with positive amounts); a negative amount is "
                     "a credit note even when this is blank. Its Quantity stays positive (units credited).",
              doc_zh="发票（销售）或贷项通知单（红字）。贷项通知单无论金额填正数还是负数都按负数计"
                     "（ERP 导出的红字单据金额常为正数）；金额为负数时即使此列留空也视为贷项通知单。数量仍填正数（冲减的数量）。"),
        ),
        doc_en="Booked deals, one row per deal or credit note. To take back a sale at the rate it was paid, set its "
               "Status to cancelled or returned (a clawback at the original rate); a credit note is a document of its "
               "own, on its own date, paid at the rate of the tier it takes the running total back through.",
        doc_zh="成交订单，每行一单或一张贷项通知单。要按原费率冲回某笔订单，请将其状态改为已取消或已退货（按原费率追回）；"
               "贷项通知单是一张独立单据，按自身日期计入当期，按它使累计业绩回落经过的档位费率冲减。", key=("deal_id",),
    ),
    Table(
        "Credits", "业绩分配",
        (
            C("deal_id", K.ID, "订单编号", "Deal ID", required=True, ref="Deals.deal_id", aliases=("deal",),
              doc_en="Deal being split.", doc_zh="被拆分的订单。"),
            C("rep_id", K.ID, "销售代表编号", "Rep ID", required=True, ref="Reps.rep_id", aliases=("rep",),
              doc_en="Rep receiving credit.", doc_zh="获得业绩的销售代表。"),
            C("share", K.PERCENT, "分配比例", "Share", required=True, min_value=0, max_value=1,
              aliases=("split", "比例"),
              doc_en="Share of the deal credited, of its amount and of its quantity alike (deal shares total 100%).",
              doc_zh="分得的比例，金额与数量按同一比例拆分（同一订单合计 100%）。"),
            C("overlay", K.BOOL, "叠加", "Overlay", default=False, aliases=("叠加业绩",),
              doc_en="Yes for overlay credit outside the 100% (e.g. a specialist).",
              doc_zh="是否为 100% 之外的叠加业绩（如专家协作）。"),
        ),
        doc_en="Credit splits; deals without rows here credit 100% to their owner.",
        doc_zh="业绩拆分；未列出的订单 100% 归负责人。", key=("deal_id", "rep_id"), optional=True,
    ),
    Table(
        "Payments", "回款",
        (
            C("payment_id", K.ID, "回款编号", "Payment ID", aliases=("payment",),
              doc_en="Payment reference.", doc_zh="回款单号。"),
            C("deal_id", K.ID, "订单编号", "Deal ID", required=True, ref="Deals.deal_id", aliases=("deal",),
              doc_en="Deal paid.", doc_zh="对应订单。"),
            C("date", K.DATE, "回款日期", "Date", required=True, aliases=("payment date", "日期"),
              doc_en="Date cash was received.", doc_zh="收款日期。"),
            C("amount", K.MONEY, "回款金额", "Amount", required=True, aliases=("金额",),
              doc_en="Cash received (negative for refunds).", doc_zh="收款金额（退款为负）。"),
        ),
        doc_en="Cash collected per deal (for pay-on-cash plans).", doc_zh="订单回款（用于按回款计提）。",
        optional=True,
    ),
    Table(
        "Out_Problems", "问题清单", (*_WHERE, C("message", K.TEXT, "问题", "Problem")),
        doc_en="Problems found by the last run from Excel (replaced on every run).",
        doc_zh="在 Excel 中最近一次运行发现的问题（每次运行替换）。", output=True,
    ),
    Table(
        "Out_Warnings", "提示清单", (*_WHERE, C("message", K.TEXT, "提示", "Warning")),
        doc_en="Findings of the last run that did not stop it (unusual values, skipped blank rows, unused "
               "weights ...): check each one; `--strict` turns them into errors. Replaced on every run.",
        doc_zh="最近一次运行中未阻止计算的提示（异常数值、跳过的空行、未使用的权重等）：请逐条核对；"
               "使用 --strict 时视为错误。每次运行替换。", output=True,
    ),
    Table(
        "Out_RunInfo", "运行信息",
        (
            C("table", K.TEXT, "表格", "Table"),
            C("sheet", K.TEXT, "工作表", "Sheet"),
            C("rows", K.INT, "行数", "Rows"),
            C("fingerprint", K.TEXT, "指纹", "Fingerprint"),
            C("parts", K.TEXT, "部件校验", "Parts checksum"),
            C("as_of", K.TEXT, "截止日期", "As of"),
            C("version", K.TEXT, "版本", "Version"),
        ),
        doc_en="What the Out_ sheets were computed from: each input table's row count, a fingerprint of its "
               "cells and a checksum of the file parts they are read from. `salesbook report` compares them with the "
               "inputs to warn when they changed after the run (unchanged parts: not read again).",
        doc_zh="Out_ 工作表据以计算的输入：各输入表的行数、单元格指纹及其所在文件部件的校验值。`salesbook report` "
               "据此提示运行后输入是否被修改（部件未变的表不再读取）。",
        output=True,
    ),
)
