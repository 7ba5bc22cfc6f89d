#!/usr/bin/env bash
# Refresh constraints.txt: every package requirements-test.txt (and so requirements.txt) pulls in, pinned, on
# Linux, macOS and Windows alike (one universal resolution, platform-only packages carry their markers), for
# Python 3.11 and later. Run it after changing a pin in requirements*.txt, then run the tests and commit both.
# Extra arguments go to `uv pip compile` (e.g. --upgrade-package pyarrow).
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.9  # the resolver is pinned too, so a refresh differs only where PyPI does
tools="${DCP_LOCK_TOOLS:-${TMPDIR:-/tmp}/dcp-lock-tools}"
if [ "$("$tools/bin/uv" --version 2>/dev/null)" != "uv $UV_VERSION" ]; then
  python -m venv "$tools"
  "$tools/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi

"$tools/bin/uv" pip compile requirements-test.txt --output-file constraints.txt \
  --universal --python-version 3.11 --index-url https://pypi.org/simple \
  --no-header --quiet "$@"

# The header says what the file is, how it is used and how it is made (uv's own header names a temporary path).
{
  echo "# Every package the app and its tests install, pinned: the lock behind requirements.txt's direct pins."
  echo "#   python -m pip install -r requirements.txt -c constraints.txt        (the app)"
  echo "#   python -m pip install -r requirements-test.txt -c constraints.txt   (the tests: scripts/test.sh)"
  echo "# Made by scripts/lock.sh (uv pip compile --universal): do not edit by hand."
  cat constraints.txt
} > constraints.txt.new
mv constraints.txt.new constraints.txt
echo "constraints.txt: $(grep -c '^[A-Za-z0-9]' constraints.txt) packages pinned."
