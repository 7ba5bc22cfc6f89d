#!/usr/bin/env bash
# The whole test suite, set-up included: Python packages, Debian's chromium for the browser
# tests and postgresql for the store tests (a throwaway cluster per run), the docs' strict build, then pytest
# (unit, AppTest, e2e). Extra arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."

# The interpreter itself, not a version manager's shim: pyenv's shim rehashes after every pip
# install under a lock file, and a lock left behind by a killed process fails the install.
python="$(python -c 'import sys; print(sys.executable)')" || exit 1

# The lock (constraints.txt, made by scripts/lock.sh) pins every package underneath the direct pins.
"$python" -m pip install --quiet --disable-pip-version-check -r requirements-test.txt -c constraints.txt || exit 1

# The manual (docs/, mkdocs.yml) built strictly: a broken link or anchor between its pages, or a page left out of
# the nav, fails the run. Built into a temporary folder, so the working tree stays clean.
# Not --quiet: it silences the warnings that --strict counts, and the build passes whatever they say.
site="$(mktemp -d)" || exit 1
if ! build="$("$python" -m mkdocs build --strict --site-dir "$site" 2>&1)"; then
  rm -rf "$site"; echo "$build" >&2; echo "The docs' strict build failed (mkdocs.yml, docs/)." >&2; exit 1
fi
rm -rf "$site"

chromium="${DCP_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "Installing Debian's chromium for the browser tests..."
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  { $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium; } >/dev/null || {
    echo "Could not install chromium; the browser tests need it at $chromium." >&2; exit 1; }
fi

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "Installing Debian's postgresql for the store tests..."
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  { $sudo apt-get update -qq && $sudo apt-get install -y -qq postgresql; } >/dev/null || {
    echo "Could not install postgresql; the store tests need it." >&2; exit 1; }
fi

# axe-core for the accessibility test: pinned with its integrity hash in package-lock.json (the app needs no Node).
if ! command -v npm >/dev/null 2>&1; then
  echo "Installing Debian's npm for the accessibility test's axe-core..."
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  { $sudo apt-get update -qq && $sudo apt-get install -y -qq npm; } >/dev/null || {
    echo "Could not install npm; the accessibility test needs axe-core from the npm registry." >&2; exit 1; }
fi
npm ci --silent --no-audit --no-fund >/dev/null || { echo "npm ci failed: axe-core is not installed." >&2; exit 1; }

# Lint and types before any test runs (settings in pyproject.toml): a violation fails the run here.
"$python" -m ruff check . || {
  echo "ruff found lint violations (above): fix them, or mark a deliberate one with its reason." >&2; exit 1; }
"$python" -m ruff format --check . || {
  echo "ruff format would change the files above: run python -m ruff format ." >&2; exit 1; }
"$python" -m mypy || {
  echo "mypy found type errors (above): the core is checked strictly, the UI and pages leniently." >&2; exit 1; }

"$python" -m pytest "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure, not a pass." >&2
  exit 1
fi
exit "$status"
