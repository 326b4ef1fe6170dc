#!/usr/bin/env bash
# One command: set up, then write the demo workbook, compute it, and make the PDF/HTML reviews.
# Extra arguments go to `salesbook demo` (e.g. --lang en --out my_folder).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh demo
exec .venv/bin/salesbook demo "$@"
