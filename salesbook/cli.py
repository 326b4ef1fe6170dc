"""The ``salesbook`` command. Each subcommand is a thin shell over one library call.

Exit codes: 0 ok, 2 problems in the input (listed, no traceback), 1 internal error.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from salesbook.errors import InputError, SalesbookError
from salesbook.version import __version__

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2


def _env_lang() -> str:
    env = os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    return "zh" if env.lower().startswith("zh") else "en"


def _say(msg_en: str, msg_zh: str, lang: str, *, err: bool = False) -> None:
    print(msg_zh if lang == "zh" else msg_en, file=sys.stderr if err else sys.stdout, flush=True)


class _Progress:
    """A tqdm bar over the engine steps, on stderr, only when it is a terminal or forced."""

    def __init__(self, total: int, enabled: bool, desc: str):
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=desc, unit="step", file=sys.stderr, leave=False)

    def __call__(self, step: str) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(step)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def cmd_new(args: argparse.Namespace) -> int:
    from salesbook.book.template import write_book

    dest = Path(args.book)
    if dest.exists() and not args.force:
        raise InputError(_exists_problem(dest))
    if dest.suffix.lower() not in (".xlsx", ".xlsm"):
        from salesbook.errors import problem

        raise InputError(problem("the new workbook must be an .xlsx file, or .xlsm for a macro-enabled one.",
                                 "新工作簿必须是 .xlsx 文件（启用宏的为 .xlsm）。"))
    write_book(dest, args.lang)
    _say(f"Created {dest} (empty tables, language {args.lang}).", f"已创建 {dest}（空表格，语言 {args.lang}）。",
         args.lang)
    return EXIT_OK


def _exists_problem(dest: Path):
    from salesbook.errors import problem

    return problem("'{file}' already exists; use --force to overwrite it.", "“{file}”已存在；如需覆盖请加 --force。",
                   file=str(dest))


def cmd_validate(args: argparse.Namespace) -> int:
    from salesbook.jobs import get_job
    from salesbook.messages import plural
    from salesbook.pipeline import validate_book

    jobs, lang, warnings = validate_book(args.book, lang=args.lang, strict=args.strict)
    titles = [get_job(j) for j in jobs]
    checked_en, checked_zh = ", ".join(t.title_en for t in titles) or "none", "、".join(t.title_zh for t in titles) or "无"
    _print_warnings(warnings, lang)
    if warnings:
        n = len(warnings)
        _say(f"{args.book}: no errors; {plural(n, 'warning', 'warnings')} to check (listed above; engines checked: "
             f"{checked_en}).", f"{args.book}：没有错误；有 {n} 条提示需要核对（见上；已检查的计算模块：{checked_zh}）。", lang)
    else:
        _say(f"{args.book}: no problems found (engines checked: {checked_en}).",
             f"{args.book}：未发现问题（已检查的计算模块：{checked_zh}）。", lang)
    return EXIT_OK


def _book_lang(path: str) -> str:
    """The language of a workbook's Settings (what its users read), else the locale's."""
    from salesbook.book.file_book import FileBook
    from salesbook.pipeline import detect_language

    try:
        with FileBook(path) as book:
            return detect_language(book)
    except Exception:  # an unreadable book was already reported by the command itself
        return _env_lang()


def _print_warnings(warnings, lang: str, *, sheet: str | None = None) -> None:
    """Warnings go to stderr, each located, under one head line; they never change the exit code."""
    if not warnings:
        return
    from salesbook.errors import render_all
    from salesbook.messages import plural

    where_en = f" (also in sheet {sheet})" if sheet else ""
    where_zh = f"（也已写入工作表 {sheet}）" if sheet else ""
    _say(f"{plural(len(warnings), 'warning', 'warnings')}: accepted, please check{where_en}:",
         f"{len(warnings)} 条提示：已接受，请核对{where_zh}：", lang, err=True)
    print(render_all(warnings, lang, 200, noun=("warning", "warnings", "条提示"), indent="  "), file=sys.stderr)


def cmd_run(args: argparse.Namespace) -> int:
    from salesbook.jobs import discover
    from salesbook.messages import plural, sheet_label
    from salesbook.pipeline import run_book

    only = [s.strip() for s in args.only.split(",")] if args.only else None
    bar = _Progress(len(discover()) + 1, args.progress, "salesbook run")
    try:
        result = run_book(args.book, args.out, only=only, lang=args.lang, in_place=args.in_place, progress=bar,
                          strict=args.strict)
    finally:
        bar.close()
    lang = result.lang
    _print_warnings(result.notes, lang, sheet="Out_Warnings")
    titles = {j.name: (j.title_en, j.title_zh) for j in discover()}
    for job, missing in result.skipped.items():
        en, zh = titles.get(job, (job, job))
        _say(f"{en} skipped: no data in sheet{'s' if len(missing) != 1 else ''} "
             f"{', '.join(sheet_label(t, 'en') for t in missing)}",
             f"已跳过{zh}：工作表{'、'.join(f'“{sheet_label(t, lang)}”' for t in missing)}中没有数据", lang)
    for name, frame in result.outputs.items():
        _say(f"  {name}: {plural(len(frame), 'row', 'rows')}", f"  {name}：{len(frame):,} 行", lang)
    if result.charts:
        _say(f"  Out_Dashboard: {plural(result.charts, 'chart', 'charts')}", f"  Out_Dashboard：{result.charts} 张图表", lang)
    if result.save.not_carried:
        _say("note: the new workbook could not carry over: " + "; ".join(result.save.not_carried)
             + " (your input file is unchanged).",
             "注意：新工作簿未能保留：" + "；".join(result.save.not_carried) + "（输入文件未改动）。", lang, err=True)
    for note in result.save.notes:  # e.g. text cut to Excel's 32,767-character cell limit, with its cell
        _say(f"note: {note}", f"注意：{note}", lang, err=True)
    _say(f"Wrote {result.output}", f"已写入 {result.output}", lang)
    return EXIT_OK


def cmd_model(args: argparse.Namespace) -> int:
    from salesbook.pipeline import model_book

    if args.review:
        from salesbook.extras import require

        require("reports")  # before the workbook is written, not after

    bar = _Progress(7, args.progress, "salesbook model")
    try:
        result = model_book(args.book, args.out, lang=args.lang, in_place=args.in_place, progress=bar,
                            strict=args.strict)
    finally:
        bar.close()
    lang = result.lang
    _print_warnings(result.notes, lang, sheet="Out_Warnings")
    from salesbook.reports.scenarios import summary_lines

    for line in summary_lines(result.outputs["Out_Scenarios"], lang):
        print(line)
    _say(f"Wrote {result.output}", f"已写入 {result.output}", lang)
    if args.review:
        from salesbook.reports import build_reports

        batch = build_reports(result.output, args.review, per="scenarios", formats=args.format.split(","),
                              lang=lang, progress=args.progress, creation_date=args.creation_date)
        print(batch.summary(lang))
        return EXIT_OK if batch.ok else EXIT_INTERNAL
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from salesbook.errors import problem
    from salesbook.reports import build_reports

    formats = tuple(f.strip() for f in args.format.split(",")) if args.format else None
    common = dict(per=args.per, formats=formats, period=args.period, workers=args.workers, scheduler=args.scheduler,
                  zip_output=args.zip, templates_dir=args.templates, lang=args.lang, creation_date=args.creation_date,
                  progress=args.progress)
    if args.protect:
        from salesbook.reports.share import build_protected

        result = build_protected(args.book, args.out, send_list=args.send_list, **common)
    elif args.per == "manager" or args.send_list:
        raise InputError(problem("--per manager and --send-list are for protected packs: add --protect.",
                                 "--per manager 和 --send-list 用于加密发送：请加上 --protect。"))
    else:
        result = build_reports(args.book, args.out, **{**common, "formats": formats or ("pdf", "html")})
    lang = args.lang or result.lang
    _print_warnings(result.notes, lang)
    print(result.summary(lang))
    if args.timings:
        print(result.timings(lang))
    return EXIT_OK if result.ok else EXIT_INTERNAL


def cmd_demo(args: argparse.Namespace) -> int:
    from salesbook.demo.runner import run_demo

    out = run_demo(Path(args.out), lang=args.lang, scale=args.scale, seed=args.seed, reports=not args.no_reports,
                   progress=args.progress)
    for line in out.lines(args.lang):
        print(line)
    return EXIT_OK if out.ok else EXIT_INTERNAL


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="salesbook", description="Excel-native sales management. / Excel 原生销售管理。")
    p.add_argument("--version", action="version", version=f"salesbook {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    progress_default = sys.stderr.isatty()

    def add_common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--lang", choices=["en", "zh"], default=None,
                        help="language of messages (default: the workbook's Settings, then the locale)")
        sp.add_argument("--progress", action=argparse.BooleanOptionalAction, default=progress_default,
                        help="show progress bars (default: when stderr is a terminal)")

    def add_strict(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--strict", action="store_true",
                        help="treat warnings (unusual values, unused rows ...) as errors: exit 2, nothing written")

    sp = sub.add_parser("new", help="create an empty workbook from the template / 新建空白工作簿")
    sp.add_argument("book")
    sp.add_argument("--lang", choices=["en", "zh"], default="en")
    sp.add_argument("--force", action="store_true", help="overwrite an existing file")
    sp.set_defaults(func=cmd_new)

    sp = sub.add_parser("validate", help="check a workbook and list every problem / 校验工作簿")
    sp.add_argument("book")
    add_strict(sp)
    add_common(sp)
    sp.set_defaults(func=cmd_validate)

    sp = sub.add_parser("run", help="compute every engine and write the computed workbook / 计算并输出")
    sp.add_argument("book")
    sp.add_argument("--out", help="output workbook (default: BOOK_computed.xlsx next to the input)")
    sp.add_argument("--in-place", action="store_true",
                    help="update BOOK itself; refused if anything in it would be lost")
    add_strict(sp)
    sp.add_argument("--only", help="comma-separated engines to run (targets, leads, commissions, kpi)")
    add_common(sp)
    sp.set_defaults(func=cmd_run)

    sp = sub.add_parser("model", help="what each scenario of the Scenarios sheet costs / 方案模拟")
    sp.add_argument("book")
    sp.add_argument("--out", help="output workbook (default: BOOK_model.xlsx next to the input)")
    sp.add_argument("--in-place", action="store_true",
                    help="update BOOK itself; refused if anything in it would be lost")
    sp.add_argument("--review", metavar="DIR", help="also write the scenario comparison review to DIR")
    sp.add_argument("--format", default="pdf,html", help="of the review: pdf, html or pdf,html")
    sp.add_argument("--creation-date", help="pin the review PDF's creation date (e.g. 2026-01-01)")
    add_strict(sp)
    add_common(sp)
    sp.set_defaults(func=cmd_model)

    sp = sub.add_parser("report", help="HTML/PDF performance reviews / 生成绩效报告")
    sp.add_argument("book", help="a computed workbook (output of `salesbook run`)")
    sp.add_argument("--out", required=True, help="folder for the reports")
    sp.add_argument("--per", choices=["rep", "region", "manager", "company", "scenarios"], default="rep",
                    help="one review per rep, region or the company; with --protect, rep (each rep's own), region or "
                         "manager (one pack per manager: their reps' reviews and their region's review); scenarios: "
                         "the scenario comparison of a book made by salesbook model")
    sp.add_argument("--format", default=None, help="pdf, html or pdf,html (default: pdf,html; pdf with --protect)")
    sp.add_argument("--period", help="2026, 2026Q1 or 2026-03 (default: the fiscal year)")
    sp.add_argument("--workers", type=int, help="parallel processes (default: CPU count)")
    sp.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://127.0.0.1:8786")
    sp.add_argument("--zip", action="store_true", help="also pack the reports into one .zip")
    sp.add_argument("--templates", help="folder with your own templates overriding the built-in ones")
    sp.add_argument("--creation-date", help="pin the PDF creation date (e.g. 2026-01-01) for identical bytes")
    sp.add_argument("--protect", action="store_true",
                    help="encrypt each PDF (AES-256) for the one person who receives it, and write a send list with "
                         "the generated passwords beside --out (never printed)")
    sp.add_argument("--send-list", help="with --protect: where the send list goes (an .xlsx, its .csv beside it; "
                                        "default: beside the --out folder, never inside it)")
    sp.add_argument("--timings", action="store_true", help="also print where the time went (read, render ...)")
    add_common(sp)
    sp.set_defaults(func=cmd_report)

    sp = sub.add_parser("demo", help="write the demo workbook, compute it and make the reviews / 演示")
    sp.add_argument("--out", default="demo_output", help="folder for the demo files (default: demo_output)")
    sp.add_argument("--lang", choices=["en", "zh"], default="zh")
    sp.add_argument("--scale", type=float, default=1.0, help="data volume multiplier (benchmarks: 5, 10 ...)")
    sp.add_argument("--seed", type=int, default=20260101)
    sp.add_argument("--no-reports", action="store_true", help="skip the HTML/PDF reviews")
    sp.add_argument("--progress", action=argparse.BooleanOptionalAction, default=progress_default)
    sp.set_defaults(func=cmd_demo)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        lang = getattr(exc, "lang", None) or getattr(args, "lang", None) or (
            _book_lang(args.book) if getattr(args, "book", None) else _env_lang())
        n = len(exc.problems)
        head = (f"发现 {n} 个问题，未写入任何文件：" if lang == "zh"
                else f"{n} problem{'s' if n != 1 else ''} found; nothing was written:")
        print(head, file=sys.stderr)
        print(exc.render(lang, limit=200), file=sys.stderr)
        return EXIT_INPUT
    except SalesbookError as exc:
        print(f"salesbook: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception:  # an internal error: show the traceback so it can be reported
        traceback.print_exc()
        print("salesbook: internal error (exit 1). Please report it with the traceback above.", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
