# Sourced by scripts/build, scripts/test and scripts/bench: create or reuse the pinned
# environment in .venv/ at the repository root. Reinstalls only when requirements.lock or
# pyproject.toml change.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
if [ -z "${PYTHON:-}" ]; then
  PYTHON=$(command -v python3.11 || command -v python3)
fi
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "error: Python 3.11 or newer is needed (found $("$PYTHON" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
  exit 1
}
want="$(cat "$ROOT/requirements.lock" "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
if [ "$(cat "$VENV/.installed" 2>/dev/null || true)" != "$want" ]; then
  echo "setting up $VENV from requirements.lock ..." >&2
  # The lock pins every package, dependencies included: --no-deps installs exactly it (and skips pip's resolver,
  # which warns about extras that a pinned package no longer declares, such as justext's lxml[html_clean]);
  # pip check then proves that nothing is missing.
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$ROOT/requirements.lock"
  broken="$("$VENV/bin/python" -m pip check --disable-pip-version-check)" || { echo "$broken" >&2; exit 1; }
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e "$ROOT"
  echo "$want" > "$VENV/.installed"
fi
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
