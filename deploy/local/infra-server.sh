#!/usr/bin/env bash
# Stops, starts or restarts ONE server of a running infra-up.sh set on its existing
# data (same env as infra-up.sh): for fault tests and for operators who want to
# bounce a server without losing its topics or tables.
#   usage: infra-server.sh stop|start|restart kafka|questdb [--kill]
#   --kill: SIGKILL (a crash) instead of SIGTERM (a clean shutdown)
# start/restart wait until the server answers real requests again.
set -euo pipefail
source "$(dirname "$0")/infra-env.sh"
cd "$ROOT"

log() { echo "infra-server: $*"; }
die() { echo "infra-server: $*" >&2; exit 1; }

ACTION=${1:-}
NAME=${2:-}
SIGNAL=TERM
[ "${3:-}" = "--kill" ] && SIGNAL=KILL
case "$ACTION" in stop | start | restart) ;; *) die "usage: infra-server.sh stop|start|restart kafka|questdb [--kill]" ;; esac
case "$NAME" in kafka | questdb) ;; *) die "usage: infra-server.sh stop|start|restart kafka|questdb [--kill]" ;; esac
[ -d "$RUN" ] || die "no run directory $RUN; start the servers with infra-up.sh first"
source "$ROOT/deploy/local/infra-servers.sh"

stop_one() {
  local pid i
  pid=$(our_pid "$RUN/$NAME.pid" || true)
  [ -n "$pid" ] || { log "$NAME is not running"; return 0; }
  kill "-$SIGNAL" "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || { log "stopped $NAME (pid $pid, SIG$SIGNAL)"; rm -f "$RUN/$NAME.pid"; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  log "$NAME (pid $pid) ignored SIG$SIGNAL for 30 s; killed"
  rm -f "$RUN/$NAME.pid"
}

start_one() {
  if our_pid "$RUN/$NAME.pid" >/dev/null; then log "$NAME is already running"; return 0; fi
  local deadline=$(( $(date +%s) + READY_TIMEOUT_S ))
  if [ "$NAME" = kafka ]; then
    launch_kafka
    wait_kafka "$deadline"
  else
    launch_questdb
    wait_questdb "$deadline"
  fi
  log "started $NAME (pid $(cat "$RUN/$NAME.pid")) on its existing data"
}

case "$ACTION" in
  stop) stop_one ;;
  start) start_one ;;
  restart) stop_one; start_one ;;
esac
