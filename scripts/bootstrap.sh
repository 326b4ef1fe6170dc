#!/usr/bin/env bash
# Set up everything salesbook needs on a Debian/Ubuntu machine, idempotently:
# Debian packages (when missing; installed when running as root or with password-less sudo),
# a virtual environment in .venv, and salesbook with its extras (reports, dask) and dev tools at the versions
# pinned in constraints.txt (refreshed by scripts/lock.sh), so every set-up gets what the tests passed with.
# Usage: scripts/bootstrap.sh [demo|test]   (test also installs what the tests need)
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-demo}"

# fonts-noto-cjk: Chinese glyphs in PDFs. poppler-utils: pdftotext/pdffonts/pdftoppm for checking PDFs.
# libreoffice-calc-nogui: a real spreadsheet client for the tests. chromium: renders HTML reports in tests.
# qpdf: the tests read encrypted reviews' security settings with `qpdf --show-encryption`.
# fontconfig: font lookup for WeasyPrint. libpango: WeasyPrint's text layout.
demo_pkgs=(fonts-noto-cjk fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
test_pkgs=(poppler-utils libreoffice-calc-nogui chromium qpdf)
pkgs=("${demo_pkgs[@]}")
[ "$purpose" = "test" ] && pkgs+=("${test_pkgs[@]}")
# The interpreter for .venv: $SALESBOOK_PYTHON if set; else the distribution's /usr/bin/python3 when it is
# 3.11 or newer (Debian and Ubuntu build it with profile-guided and link-time optimisation, where a
# python3 compiled by hand or by pyenv usually has neither: measured with scripts/instructions.py, a
# zh rep review took 11% fewer instructions on Debian 12's 3.11.2 than on a pyenv 3.11.7); else python3.
# Debian's python3 makes virtual environments only with its package python3-venv; where that cannot be
# installed here (no root, no password-less sudo), python3 from PATH is used instead.
py_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1; }
has_venv() { "$1" -c 'import ensurepip' >/dev/null 2>&1; }
if [ "$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; else sudo="none"; fi
if [ -n "${SALESBOOK_PYTHON:-}" ]; then py="$SALESBOOK_PYTHON"
elif [ -x /usr/bin/python3 ] && py_ok /usr/bin/python3 && { has_venv /usr/bin/python3 || [ "$sudo" != none ]; }; then
  py=/usr/bin/python3
else py=python3
fi
has_venv "$py" || pkgs+=(python3-venv)

missing=()
if command -v dpkg >/dev/null 2>&1; then
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$sudo" = none ]; then
    echo "salesbook needs these Debian packages: ${missing[*]}" >&2
    echo "Install them with:  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    echo "then run this command again." >&2
    exit 1
  fi
  echo "Installing Debian packages: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

py_ok "$py" || { echo "salesbook needs Python >= 3.11 ($py is $("$py" --version 2>&1))" >&2; exit 1; }

[ -x .venv/bin/python ] || "$py" -m venv .venv
# Reinstalled whenever pyproject.toml or constraints.txt changes (the stamp is a hash of both).
stamp=.venv/.salesbook-installed
want="$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Installing Python packages into .venv (versions from constraints.txt) ..." >&2
  .venv/bin/python -m pip install -q -c constraints.txt --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -c constraints.txt --build-constraint constraints.txt -e ".[dev,reports,dask]"
  echo "$want" > "$stamp"
fi
# WeasyPrint and the libraries it parses CSS and writes PDF with, compiled once by Cython from their own
# sources (16% fewer instructions per review, the same PDF bytes; salesbook/reports/weasy/compiled.py). Skipped when the build is
# there for the installed versions; where it cannot be built, reviews render with the libraries as installed.
if ! .venv/bin/python -c 'import sys; from salesbook.reports.weasy.compiled import main; sys.exit(main(sys.argv[1:]))' --if-stale; then
  echo "salesbook: compiling WeasyPrint failed; reviews render with the libraries as installed (slower)" >&2
fi
