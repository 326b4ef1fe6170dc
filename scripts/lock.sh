#!/usr/bin/env bash
# Refresh constraints.txt, the exact versions scripts/bootstrap.sh installs (so every set-up gets the versions
# the tests passed with, not whatever the package index serves that day).
#
#   scripts/lock.sh              resolve afresh: a throw-away venv gets salesbook with every extra and the dev
#                                tools at the newest versions pyproject.toml's bounds allow, and is frozen
#   scripts/lock.sh --from PY    freeze what the environment of interpreter PY has installed instead
#
# Either way the build backend (pyproject's build-system) is pinned too, at the newest version it allows.
# Then run scripts/test.sh: the changed file makes bootstrap reinstall .venv from it. Commit constraints.txt
# when the tests pass.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="dev,reports,dask"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if [ "${1:-}" = "--from" ]; then
  py="${2:?usage: scripts/lock.sh [--from PYTHON]}"
else
  base="${SALESBOOK_PYTHON:-}"
  if [ -z "$base" ]; then if [ -x .venv/bin/python ]; then base=.venv/bin/python; else base=python3; fi; fi
  echo "Resolving salesbook[$extras] afresh in a temporary venv ..." >&2
  "$base" -m venv "$tmp/venv"
  py="$tmp/venv/bin/python"
  "$py" -m pip install -q --upgrade pip
  "$py" -m pip install -q ".[$extras]"
fi

backend="$("$py" -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"])')"
"$py" -m pip download -q --no-deps --only-binary=:all: -d "$tmp/backend" $backend
backend_pins="$(cd "$tmp/backend" && for w in *.whl; do n="${w%%-py*}"; echo "${n%-*}==${n##*-}"; done)"

{
  echo "# The versions salesbook's tests passed with: the calculation side, the reports and dask extras, the dev"
  echo "# tools, pip, and the build backend (used through --build-constraint). scripts/bootstrap.sh installs .venv"
  echo "# with this file; scripts/lock.sh rewrites it (see there). Packages only other systems need (pywin32,"
  echo "# appscript) are not pinned here."
  echo "# Resolved on Python $("$py" -c 'import platform; print(platform.python_version(), platform.system(), platform.machine())')."
  "$py" -m pip freeze --all --exclude salesbook --exclude setuptools --exclude wheel
  echo "$backend_pins"
} > "$tmp/constraints.txt"
mv "$tmp/constraints.txt" constraints.txt
echo "Wrote constraints.txt ($(grep -vc '^#' constraints.txt) pins)." >&2
