"""Sharing reviews: who receives which file, with which password.

``Recipients`` is an input table no engine reads: ``salesbook report --protect`` takes each person's
password (or generates one) and e-mail from it. ``SEND_LIST`` describes the send list such a run writes
beside the reviews; it is a file for the sender, not a sheet of the book, so it is not registered.
"""

from __future__ import annotations

from salesbook.schemas._types import Choice, Column, Kind, Table

C = Column
K = Kind

GENERATE = Choice("generate", "自动生成", ("生成", "随机生成", "auto", "random", "generated"), "generate")

TABLES = (
    Table(
        "Recipients", "收件人",
        (
            C("recipient_id", K.ID, "收件人编号", "Recipient ID", required=True, ref="Reps.rep_id",
              aliases=("recipient", "rep_id", "manager_id", "收件人"),
              doc_en="rep_id of the person who receives reviews: a rep (their own review) or a manager (the "
                     "pack of their region or team).",
              doc_zh="接收报告的人的销售代表编号：销售代表（本人的报告）或经理（其区域或团队的报告包）。"),
            C("email", K.TEXT, "邮箱", "Email", aliases=("e-mail", "mail", "电子邮箱", "邮件地址"),
              doc_en="Where the file is sent (blank: the e-mail in Reps). Listed in the send list.",
              doc_zh="文件发送到的邮箱（留空：用销售代表表中的邮箱）。列在发送清单中。"),
            C("password", K.TEXT, "密码", "Password", choices=(GENERATE,), aliases=("口令", "打开密码"),
              doc_en="Password that opens this person's PDFs, or generate (blank: generate). A generated one is "
                     "random, new on every run and written only to the send list; one typed here is never "
                     "printed, and a weak one (under 10 characters, one kind of character, the person's id or "
                     "name, a common password) gets a warning.",
              doc_zh="打开此人 PDF 的密码，或填“自动生成”（留空：自动生成）。自动生成的密码随机、每次运行都不同，"
                     "只写入发送清单；此处填写的密码不会被显示，过弱的密码（少于 10 个字符、只有一类字符、"
                     "含本人编号或姓名、常见密码）会给出提示。"),
            C("note", K.TEXT, "备注", "Note", aliases=("comment", "说明"), doc_en="Free text.", doc_zh="备注。"),
        ),
        doc_en="Who receives reviews from `salesbook report --protect`, at which e-mail, with which password. "
               "People not listed get a generated password and the e-mail in Reps. Anyone who can open this "
               "workbook can read the passwords typed here: prefer generate, or keep the book itself protected.",
        doc_zh="`salesbook report --protect` 的收件人：邮箱与打开密码。未列出的人使用自动生成的密码和销售代表表中的邮箱。"
               "能打开本工作簿的人都能看到此处填写的密码：建议使用自动生成，或对工作簿本身加密保管。",
        key=("recipient_id",), domain="sharing", optional=True, fingerprinted=False,
    ),
)

SEND_LIST = Table(
    "SendList", "发送清单",
    (
        C("recipient_id", K.ID, "收件人编号", "Recipient ID"),
        C("name", K.TEXT, "姓名", "Name"),
        C("email", K.TEXT, "邮箱", "Email"),
        C("files", K.TEXT, "附件", "Files"),
        C("password", K.TEXT, "密码", "Password"),
        C("password_source", K.TEXT, "密码来源", "Password source"),
        C("contents", K.TEXT, "内容", "Contents"),
        C("reviews", K.INT, "报告份数", "Reviews"),
        C("period", K.TEXT, "期间", "Period"),
        C("paths", K.TEXT, "文件路径", "Paths"),
        C("note", K.TEXT, "备注", "Note"),
    ),
    doc_en="One row per recipient of a protected run: the files to attach, where to send them, and the password "
           "when it was generated (typed passwords stay in Recipients). Kept beside the reviews' folder, never in it.",
    doc_zh="受保护运行的每位收件人一行：要附加的文件、发送地址，以及自动生成的密码（手填的密码仍只在收件人表中）。"
           "保存在报告文件夹旁边，而不是里面。",
    output=True, domain="sharing",
)
