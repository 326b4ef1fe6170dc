#!/usr/bin/env bash
# One command: set up (including LibreOffice, poppler and Chromium for the real-part tests),
# lint, then run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test
.venv/bin/ruff check salesbook tests scripts
exec .venv/bin/python -m pytest "$@"
