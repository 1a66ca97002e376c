#!/usr/bin/env bash
# Stops the servers infra-up.sh started for this run directory (same env vars):
# SIGTERM, wait for a clean shutdown, SIGKILL only as a last resort, then deletes
# the data. Only pids recorded in our pid files whose command line carries our
# marker are signalled. Idempotent.
set -euo pipefail
source "$(dirname "$0")/infra-env.sh"

GRACE_S="${ALPHAFEED_INFRA_STOP_GRACE_S:-30}"

stop() { # name
  local name=$1 pid i
  pid=$(our_pid "$RUN/$name.pid" || true)
  rm -f "$RUN/$name.pid"
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < GRACE_S * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { echo "infra-down: stopped $name (pid $pid)"; return 0; }
    sleep 0.1
  done
  echo "infra-down: $name (pid $pid) ignored SIGTERM for ${GRACE_S}s; sending SIGKILL" >&2
  kill -KILL "$pid" 2>/dev/null || true
}

# In parallel: each takes a few seconds to shut down cleanly.
stop kafka & stop questdb & wait
# Data is throw-away (infra-up starts fresh); the logs stay until the next start.
if [ -d "$RUN" ]; then
  rm -rf "$RUN/kafka-data" "$RUN/qdb" "$RUN/tmp"
fi
