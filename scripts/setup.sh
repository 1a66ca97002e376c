#!/usr/bin/env bash
# Installs everything alphafeed needs on a fresh Debian machine, idempotently:
#   scripts/setup.sh          system libraries (libxgboost), npm packages, build
#   scripts/setup.sh --test   the same, plus the Kafka and QuestDB servers the
#                             end-to-end tests start (fetched from Maven Central)
#                             and Debian's chromium for the report's browser test
#                             and a Python venv (.cache/python) for data fixtures
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

want_test=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    *) echo "setup.sh: unknown option '$arg' (known: --test)" >&2; exit 2 ;;
  esac
done

# XGBoost's C API comes from Debian (libxgboost0 1.7.4, the version the SPEC pins).
if ! ldconfig -p | grep -q 'libxgboost\.so'; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup.sh: libxgboost is missing; run as root or: sudo apt-get install -y libxgboost0 libxgboost-dev" >&2
    exit 1
  fi
  echo "setup.sh: installing libxgboost0 and libxgboost-dev with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxgboost0 libxgboost-dev >/dev/null
fi

# `npm install --no-save` installs exactly the locked versions, like `npm ci`.
# `npm ci` itself is refused here: registries that serve only this platform's
# optional binaries (@swc/core-darwin-*, …) leave those entries out of the lock,
# and `npm ci` then calls the lock out of sync although nothing is missing.
echo "setup.sh: npm install (locked versions)"
npm install --no-save --no-audit --no-fund --loglevel=error
# The optimizer's QP library (libs/optimizer/native): Clarabel, and OSQP for the
# independent-solver specs and the solver bench, Rust crates from crates.io built
# with cargo into libs/optimizer/native/target (~1 min on 2 cores the first time;
# cargo skips it when nothing changed). osqp-sys builds its C sources with cmake.
if ! command -v cargo >/dev/null 2>&1; then
  echo "setup.sh: cargo (Rust >= 1.70) is missing; it builds the optimizer's QP library (libs/optimizer/native). Install Rust, then rerun." >&2
  exit 1
fi
if ! command -v cmake >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup.sh: cmake is missing; run as root or: sudo apt-get install -y cmake" >&2
    exit 1
  fi
  echo "setup.sh: installing cmake with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq cmake >/dev/null
fi
echo "setup.sh: cargo build (optimizer QP library)"
(cd libs/optimizer/native && cargo build --release --locked --features osqp --quiet)
echo "setup.sh: build"
npm run build --silent

if [ "$want_test" -eq 1 ]; then
  # The report's browser test drives Debian's chromium through playwright-core
  # (a test tool's own browser download does not work here). Without root the
  # command is printed and that one test skips, saying so.
  if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "setup.sh: chromium is missing (the report's browser test needs it); run as root or: sudo apt-get install -y chromium" >&2
    else
      echo "setup.sh: installing chromium with apt-get"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    fi
  fi
  bash deploy/local/infra-fetch.sh
  # Python (pinned pyarrow, polars, pandas) for the data specs' Parquet and Qlib fixtures.
  bash libs/data/scripts/setup-python.sh
fi
echo "setup.sh: done"
