"""``salesbook demo``: the demo book written, computed and reported, end to end."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from salesbook.book.template import write_book
from salesbook.demo import build_demo_tables
from salesbook.pipeline import run_book


@dataclass
class DemoResult:
    input_book: Path
    computed_book: Path
    rows: dict[str, int]
    seconds: dict[str, float] = field(default_factory=dict)
    reports: dict[str, str] = field(default_factory=dict)   # per -> summary line
    ok: bool = True

    def lines(self, lang: str) -> list[str]:
        zh = lang == "zh"
        out = [f"{'演示工作簿' if zh else 'demo workbook'}: {self.input_book} ({self.seconds['write']:.1f} s)",
               f"{'计算结果' if zh else 'computed workbook'}: {self.computed_book} ({self.seconds['run']:.1f} s)"]
        out += [f"  {name}: {n:,} {'行' if zh else 'rows'}" for name, n in self.rows.items()]
        out += [f"{'报告' if zh else 'reviews'} ({per}): {line}" for per, line in self.reports.items()]
        return out


def run_demo(out_dir: Path, *, lang: str = "zh", scale: float = 1.0, seed: int = 20260101, reports: bool = True,
             progress: bool = False) -> DemoResult:
    """Write the demo book, compute it, and make the rep, region and company reviews (HTML and PDF)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    book = write_book(out_dir / f"salesbook_demo_{lang}.xlsx", lang, build_demo_tables(lang, scale, seed))
    t1 = time.perf_counter()
    result = run_book(book, out_dir / f"salesbook_demo_{lang}_computed.xlsx", lang=lang)
    t2 = time.perf_counter()
    demo = DemoResult(input_book=book, computed_book=result.output, rows={k: len(v) for k, v in result.outputs.items()},
                      seconds={"write": t1 - t0, "run": t2 - t1})
    if reports:
        from salesbook.reports import build_reports

        for per in ("rep", "region", "company"):
            batch = build_reports(result.output, out_dir / "reports" / per, per=per, lang=lang, progress=progress)
            demo.reports[per] = batch.summary(lang).splitlines()[0]
            demo.ok = demo.ok and batch.ok
    return demo
