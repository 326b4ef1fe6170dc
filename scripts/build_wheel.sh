#!/usr/bin/env bash
# Build salesbook's wheel (salesbook-VERSION-py3-none-any.whl): what a machine without a clone installs, and
# what xlwings Lite fetches (README, "xlwings Lite"). salesbook is on no package index; this file is how it
# travels.  The build backend comes at the version pinned in constraints.txt.
# Usage: scripts/build_wheel.sh [--out DIR]   (default dist/); prints the wheel's path.
set -euo pipefail
cd "$(dirname "$0")/.."
out=dist
if [ "${1:-}" = "--out" ]; then out="${2:?usage: scripts/build_wheel.sh [--out DIR]}"; fi
py="${SALESBOOK_PYTHON:-}"
if [ -z "$py" ]; then if [ -x .venv/bin/python ]; then py=.venv/bin/python; else py=python3; fi; fi
mkdir -p "$out"
rm -rf build  # setuptools stages the sources there and would ship a module deleted since the last build
had_info=no; [ -d salesbook.egg-info ] && had_info=yes
"$py" -m pip wheel -q --no-deps --build-constraint constraints.txt -w "$out" . >&2
rm -rf build
# the metadata setuptools leaves beside the sources would pass for an installed salesbook on PYTHONPATH
[ "$had_info" = yes ] || rm -rf salesbook.egg-info
version="$("$py" -c 'import runpy; print(runpy.run_path("salesbook/version.py")["__version__"])')"
wheel="$out/salesbook-$version-py3-none-any.whl"
[ -f "$wheel" ] || { echo "no $wheel was built" >&2; exit 1; }
echo "$wheel"
