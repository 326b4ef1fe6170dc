"""``salesbook demo``: the demo book written, computed and reported, end to end."""

from __future__ import annotations

import importlib.util
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
    reports: dict[str, list[Path]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    reports_available: bool = True

    @property
    def ok(self) -> bool:
        return not self.failures

    def lines(self, lang: str) -> list[str]:
        zh = lang == "zh"
        out = [f"{'演示工作簿' if zh else 'demo workbook'}: {self.input_book} ({self.seconds['write']:.1f} s)",
               f"{'计算结果' if zh else 'computed workbook'}: {self.computed_book} ({self.seconds['run']:.1f} s)"]
        out += [f"  {name}: {n:,} {'行' if zh else 'rows'}" for name, n in self.rows.items()]
        for per, files in self.reports.items():
            out.append(f"{'报告' if zh else 'reports'} ({per}): {len(files)} {'个文件' if zh else 'files'} -> "
                       f"{files[0].parent if files else '-'}")
        if not self.reports_available:
            out.append("报告模块不可用，已跳过报告。" if zh else "report generator not available; reports skipped.")
        out += [f"{'失败' if zh else 'failed'}: {f}" for f in self.failures]
        return out


def run_demo(out_dir: Path, *, lang: str = "zh", scale: float = 1.0, seed: int = 20260101, reports: bool = True,
             per: str = "rep,region,company", workers: int | None = None, progress: bool = False) -> DemoResult:
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    book = write_book(out_dir / f"salesbook_demo_{lang}.xlsx", lang, build_demo_tables(lang, scale, seed))
    t1 = time.perf_counter()
    result = run_book(book, out_dir / f"salesbook_demo_{lang}_computed.xlsx", lang=lang)
    t2 = time.perf_counter()
    demo = DemoResult(input_book=book, computed_book=result.output,
                      rows={k: len(v) for k, v in result.outputs.items()},
                      seconds={"write": t1 - t0, "run": t2 - t1})
    if reports:
        if importlib.util.find_spec("salesbook.reports.batch") is None:
            demo.reports_available = False
            return demo
        from salesbook.reports import build_reports

        for kind in [p.strip() for p in per.split(",") if p.strip()]:
            batch = build_reports(result.output, out_dir / "reports" / kind, per=kind, formats=("pdf", "html"),
                                  workers=workers, lang=lang, progress=progress)
            demo.reports[kind] = list(batch.written)
            demo.failures += [str(f) for f in batch.failures]
    return demo
