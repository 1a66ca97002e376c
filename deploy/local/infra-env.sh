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

# ---- Security (optional; see deploy/README.md "Secured servers") ----------------------
# ALPHAFEED_KAFKA_SECURITY=sasl_ssl: the client listener speaks SASL_SSL (SCRAM-SHA-512),
# with the PKCS12 key store ALPHAFEED_KAFKA_KEYSTORE (password in ALPHAFEED_KAFKA_KEYSTORE_PASSWORD_FILE)
# and the one SCRAM user ALPHAFEED_KAFKA_SASL_USERNAME / ALPHAFEED_KAFKA_PASSWORD[_FILE],
# created when the log dir is formatted. ALPHAFEED_QUESTDB_USERNAME + ALPHAFEED_QUESTDB_PASSWORD[_FILE]:
# QuestDB's HTTP (REST and ILP over HTTP) and PG endpoints ask for them; ILP over TCP is off.
KAFKA_SECURITY="${ALPHAFEED_KAFKA_SECURITY:-plaintext}"
KAFKA_CA_FILE="${ALPHAFEED_KAFKA_CA_FILE:-}"

# The value of secret $1: the variable itself, else the file named by $1_FILE (one
# trailing newline dropped), else empty. Never echoed to the logs.
secret() {
  local name=$1 file_var="${1}_FILE"
  if [ -n "${!name:-}" ]; then
    printf '%s' "${!name}"
  elif [ -n "${!file_var:-}" ]; then
    [ -r "${!file_var}" ] || { echo "infra: $file_var names ${!file_var}, which cannot be read" >&2; return 1; }
    local v
    v=$(cat "${!file_var}")
    printf '%s' "${v%$'\n'}"
  fi
}

QDB_USER="${ALPHAFEED_QUESTDB_USERNAME:-}"

# curl with QuestDB's basic auth when configured (the credentials go through a config on
# stdin, never on the command line).
qdb_curl() {
  if [ -n "$QDB_USER" ]; then
    printf 'user = "%s:%s"\n' "$QDB_USER" "$(secret ALPHAFEED_QUESTDB_PASSWORD)" | curl -K - "$@"
  else
    curl "$@"
  fi
}
