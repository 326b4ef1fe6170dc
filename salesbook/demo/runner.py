"""``salesbook demo``: the demo book written, computed and reported, end to end."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from salesbook.book.template import write_book
from salesbook.demo import build_demo_tables
from salesbook.extras import require
from salesbook.messages import Words, plural
from salesbook.pipeline import MODEL, run_book


@dataclass
class DemoResult:
    input_book: Path
    computed_book: Path
    rows: dict[str, int]
    seconds: dict[str, float] = field(default_factory=dict)
    reports: dict[str, str] = field(default_factory=dict)   # per -> summary line
    ok: bool = True

    def lines(self, lang: str) -> list[str]:
        if lang == "zh":
            pers = {"rep": "代表", "region": "区域", "company": "公司", "scenarios": "方案模拟"}
            out = [f"演示工作簿：{self.input_book}（{self.seconds['write']:.1f} 秒）",
                   f"计算结果：{self.computed_book}（{self.seconds['run']:.1f} 秒）"]
            out += [f"  {name}：{n:,} 行" for name, n in self.rows.items()]
            out += [f"{pers.get(per, per)}报告：{line}" for per, line in self.reports.items()]
            return out
        out = [f"demo workbook: {self.input_book} ({self.seconds['write']:.1f} s)",
               f"computed workbook: {self.computed_book} ({self.seconds['run']:.1f} s)"]
        out += [f"  {name}: {plural(n, 'row', 'rows')}" for name, n in self.rows.items()]
        out += [f"reviews ({per}): {line}" for per, line in self.reports.items()]
        return out


def run_demo(out_dir: Path, *, lang: str = "zh", scale: float = 1.0, seed: int = 20260101, reports: bool = True,
             progress: bool = False) -> DemoResult:
    """Write the demo book, compute it, and make the rep, region and company reviews (HTML and PDF)."""
    if reports:
        require("reports", instead=Words(" Or leave the reviews out: `salesbook demo --no-reports`.",
                                         "也可以不生成报告：`salesbook demo --no-reports`。"))  # before anything is written
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    book = write_book(out_dir / f"salesbook_demo_{lang}.xlsx", lang, build_demo_tables(lang, scale, seed))
    t1 = time.perf_counter()
    # the demo's computed book carries the plan modeling too, so its scenario comparison comes out of the box
    result = run_book(book, out_dir / f"salesbook_demo_{lang}_computed.xlsx", lang=lang, also=(MODEL,))
    t2 = time.perf_counter()
    demo = DemoResult(input_book=book, computed_book=result.output, rows={k: len(v) for k, v in result.outputs.items()},
                      seconds={"write": t1 - t0, "run": t2 - t1})
    if reports:
        from salesbook.reports import build_reports

        for per in ("rep", "region", "company", "scenarios"):
            batch = build_reports(result.output, out_dir / "reports" / per, per=per, lang=lang, progress=progress)
            demo.reports[per] = batch.summary(lang).splitlines()[0]
            demo.ok = demo.ok and batch.ok
    return demo
