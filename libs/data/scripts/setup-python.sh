#!/usr/bin/env bash
# The Python the data lib's specs run to write fixtures as pandas/pyarrow, polars and
# Qlib's dump_bin write them: a venv with the pinned packages of requirements-test.txt.
# Idempotent: reinstalls only when the requirements change. Location:
# $ALPHAFEED_PYTHON_VENV, default <repo>/.cache/python (the specs look in the same place).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
VENV=${ALPHAFEED_PYTHON_VENV:-$ROOT/.cache/python}
REQ="$HERE/requirements-test.txt"
STAMP="$VENV/.requirements.sha256"
want=$(sha256sum "$REQ" | cut -d' ' -f1)
if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  echo "setup-python: $VENV is up to date"
  exit 0
fi
if ! command -v python3 >/dev/null; then
  echo "setup-python: python3 is missing; install it (apt-get install -y python3 python3-venv)" >&2
  exit 1
fi
echo "setup-python: creating $VENV with $(python3 --version) and the packages of $REQ"
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$REQ"
echo "$want" > "$STAMP"
echo "setup-python: done"
