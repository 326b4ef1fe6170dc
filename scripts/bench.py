"""Side-by-side performance measurements (not part of the tests).

Each module in scripts/benches/ defines ``run(args) -> list[Row]``; this script runs the selected
ones in one process and prints one table.  Timing is stdlib ``time.perf_counter``; every figure is
the best of ``--repeat`` runs unless a bench says otherwise.

    python scripts/bench.py                 # everything
    python scripts/bench.py read targets    # only some sections
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"benches.{name}", HERE / "benches" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    available = sorted(p.stem for p in (HERE / "benches").glob("*.py") if not p.stem.startswith("_"))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sections", nargs="*", choices=[*available, []], help=f"any of: {', '.join(available)}")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = parser.parse_args(argv)
    rows = []
    for name in args.sections or available:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        for row in _load(name).run(args):
            rows.append((name, *row))
    widths = [max(len(str(r[i])) for r in [("section", "measure", "value", "note"), *rows]) for i in range(4)]
    line = "  ".join(f"{{:{w}}}" for w in widths)
    print(line.format("section", "measure", "value", "note"))
    print(line.format(*("-" * w for w in widths)))
    for r in rows:
        print(line.format(*map(str, r)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
