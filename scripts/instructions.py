"""Instructions per zh rep review, counted by valgrind's callgrind: a figure that does not move with the
machine's speed, for comparing two versions of the renderer (run it on each, same arguments).

Wall-clock timings on this kind of shared machine drift by a third within minutes (see the reports bench);
an instruction count repeats to within 0.2%. Only the rendering of --reviews demo reviews is counted: the
demo book is built, the renderer set up and one review rendered before counting starts (callgrind's
instrumentation is switched on from outside, with callgrind_control, once the child says it is ready).

    python scripts/instructions.py                 # our renderer, 3 reviews
    python scripts/instructions.py --default-path  # WeasyPrint's own path on the same reviews
    python scripts/instructions.py --plain svgtext # our renderer without one seam (or "all", or a,b);
                                                   # "colwidths": statements measure their own columns;
                                                   # "compiled": the libraries as installed
    python scripts/instructions.py --period 2026   # the fiscal year's review (what `report` makes by default)

Needs valgrind (Debian package ``valgrind``); takes a minute or two.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def without(plain: str) -> None:
    """Turn the named seams off in this process (see salesbook/reports/weasy/README.md)."""
    names = {n.strip() for n in plain.split(",") if n.strip()}
    gated = names - {"colwidths"}
    if gated:   # set before salesbook.reports.weasy is first imported: that import decides on "compiled"
        os.environ["SALESBOOK_PLAIN_WEASYPRINT"] = "1" if "all" in gated else ",".join(sorted(gated))
    if "colwidths" in names:   # not a gated seam: it writes the statement's widths into the HTML
        from salesbook.reports.weasy import colwidths

        colwidths.fixed_widths = lambda *args, **kwargs: None


def child(book: Path, reviews: int, default_path: bool, ready: Path, go: Path, period: str) -> None:
    from benches.reports import CREATED, PERIOD, font_files

    from salesbook.reports.api import plan
    from salesbook.reports.context import load_review_data
    from salesbook.reports.pdf import PdfOptions, PdfRenderer
    from salesbook.reports.templates import pdf_source

    jobs, _ = plan(load_review_data(book), "rep", period or PERIOD, "zh")
    jobs = jobs[5:6 + reviews]
    fonts = None if default_path else font_files(jobs)
    renderer = PdfRenderer(PdfOptions(fonts=fonts, default_path=default_path))
    docs = [pdf_source(job.context, created=CREATED) for job in jobs]
    renderer.render(*docs[0], lang="zh")
    ready.touch()
    while not go.exists():
        time.sleep(0.05)
    for html, charts in docs[1:]:
        renderer.render(html, charts, lang="zh")


def main() -> int:
    from benches.reports import PERIOD

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reviews", type=int, default=3)
    parser.add_argument("--default-path", action="store_true", help="WeasyPrint's default path instead of ours")
    parser.add_argument("--plain", default="", metavar="SEAMS",
                        help="seams to turn off: all, or names from salesbook/reports/weasy/ separated by commas")
    parser.add_argument("--period", default="", help=f"review period (default {PERIOD}, the reports bench's)")
    parser.add_argument("--child", nargs=3, metavar=("BOOK", "READY", "GO"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        book, ready, go = map(Path, args.child)
        without(args.plain)
        child(book, args.reviews, args.default_path, ready, go, args.period)
        return 0
    missing = [tool for tool in ("valgrind", "callgrind_control") if shutil.which(tool) is None]
    if missing:
        print(f"needs {' and '.join(missing)}: apt-get install valgrind", file=sys.stderr)
        return 2
    from benches.reports import _demo_book

    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        os.environ["SALESBOOK_CACHE_DIR"] = str(tmp / "cache")
        book = _demo_book(tmp)
        ready, go = tmp / "ready", tmp / "go"
        command = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={tmp / 'cg.out'}",
                   sys.executable, __file__, "--reviews", str(args.reviews), "--child", str(book), str(ready), str(go)]
        if args.default_path:
            command.insert(-4, "--default-path")
        if args.plain:
            command[-4:-4] = ["--plain", args.plain]
        if args.period:
            command[-4:-4] = ["--period", args.period]
        proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        while not ready.exists():
            if proc.poll() is not None:
                print(proc.stderr.read() if proc.stderr else "", file=sys.stderr)
                return 1
            time.sleep(0.2)
        subprocess.run(["callgrind_control", "-i", "on", str(proc.pid)], check=True, capture_output=True)
        go.touch()
        _, err = proc.communicate()
        counted = re.search(rf"=={proc.pid}== Collected : (\d+)", err)  # not the font tools it runs
        if proc.returncode or not counted:
            print(err, file=sys.stderr)
            return 1
    path = "WeasyPrint default path" if args.default_path else "ours" + (f" without {args.plain}" if args.plain else "")
    print(f"{path}: {int(counted[1]) / args.reviews / 1e6:,.1f} M instructions per zh rep review "
          f"({args.reviews} demo reviews of {args.period or PERIOD}, callgrind)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
