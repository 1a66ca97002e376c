# Shared settings for infra-up.sh / infra-down.sh (sourced, not run).
# Every port and the run directory can be overridden from the environment, so a
# test run can start its own servers beside someone's `npm run infra:up`.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
INFRA="$ROOT/.infra"
RUN="${ALPHAFEED_INFRA_RUN_DIR:-$INFRA/run}"
KAFKA_PORT="${ALPHAFEED_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${ALPHAFEED_KAFKA_CONTROLLER_PORT:-9093}"
QDB_HTTP_PORT="${ALPHAFEED_QUESTDB_HTTP_PORT:-9000}"
QDB_PG_PORT="${ALPHAFEED_QUESTDB_PG_PORT:-8812}"
QDB_ILP_PORT="${ALPHAFEED_QUESTDB_ILP_PORT:-9009}"
QDB_MIN_HTTP_PORT="${ALPHAFEED_QUESTDB_MIN_HTTP_PORT:-9003}"
KAFKA_HEAP="${ALPHAFEED_KAFKA_HEAP:--Xms128m -Xmx512m}"
QDB_HEAP="${ALPHAFEED_QUESTDB_HEAP:--Xms128m -Xmx512m}"
READY_TIMEOUT_S="${ALPHAFEED_INFRA_TIMEOUT_S:-120}"
JAVA="${ALPHAFEED_JAVA:-java}"

# A JVM we started carries -Dalphafeed.infra=<run dir> on its command line; we only
# ever signal a pid whose command line still carries it (pid files can go stale and
# pids get reused).
MARKER="-Dalphafeed.infra=$RUN"

# Prints the pid from pid file $1 if that process is alive and is ours.
our_pid() {
  local file=$1 pid
  [ -f "$file" ] || return 1
  pid=$(cat "$file")
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$MARKER " || return 1
  echo "$pid"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
