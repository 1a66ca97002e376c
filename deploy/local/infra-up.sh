#!/usr/bin/env bash
# Starts a single-node KRaft Kafka broker and a QuestDB server on 127.0.0.1 from
# the jars in .infra/ (fetched on first use), each with a small heap and a fresh
# data directory, and waits until both answer real requests. Idempotent: if both
# servers of this run directory are up already it only re-checks them.
#   ports/heap/run dir: see infra-env.sh (ALPHAFEED_KAFKA_PORT, ALPHAFEED_QUESTDB_HTTP_PORT, ...)
#   stop with: npm run infra:down (deploy/local/infra-down.sh)
set -euo pipefail
source "$(dirname "$0")/infra-env.sh"
cd "$ROOT"

log() { echo "infra-up: $*"; }
die() { echo "infra-up: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }

bash "$ROOT/deploy/local/infra-fetch.sh"
command -v node >/dev/null || die "'node' not found; it is needed for the Kafka readiness check"
[ -d "$ROOT/node_modules/kafkajs" ] || die "node_modules/kafkajs missing; run 'npm run setup' first"
source "$ROOT/deploy/local/infra-servers.sh"
[ -n "$QDB_JAR" ] || die "no QuestDB jar in .infra/questdb; delete .infra and rerun"

kpid=$(our_pid "$RUN/kafka.pid" || true)
qpid=$(our_pid "$RUN/questdb.pid" || true)
if [ -n "$kpid" ] && [ -n "$qpid" ]; then
  if qdb_ready && kafka_ready 10; then
    log "already up (Kafka pid $kpid on 127.0.0.1:$KAFKA_PORT, QuestDB pid $qpid on http://127.0.0.1:$QDB_HTTP_PORT)"
    exit 0
  fi
  die "servers in $RUN are running but not answering; run 'npm run infra:down' (same env) and retry; logs: $RUN/*.log"
fi
if [ -n "$kpid" ] || [ -n "$qpid" ]; then
  log "only one server of $RUN is running; restarting both"
  bash "$ROOT/deploy/local/infra-down.sh"
fi

for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$QDB_HTTP_PORT" "$QDB_PG_PORT" "$QDB_ILP_PORT" "$QDB_MIN_HTTP_PORT"; do
  if port_busy "$p"; then
    die "port $p on 127.0.0.1 is already in use by another process; stop it or choose other ports \
(ALPHAFEED_KAFKA_PORT, ALPHAFEED_KAFKA_CONTROLLER_PORT, ALPHAFEED_QUESTDB_HTTP_PORT, ALPHAFEED_QUESTDB_PG_PORT, \
ALPHAFEED_QUESTDB_ILP_PORT, ALPHAFEED_QUESTDB_MIN_HTTP_PORT)"
  fi
done

# Fresh state on every start: tests and demos must not see yesterday's topics.
rm -rf "$RUN"
mkdir -p "$RUN/kafka-data" "$RUN/qdb/conf" "$RUN/tmp"

# ---- Kafka: KRaft, one process as broker and controller, static voter -------------
write_kafka_properties
t0=$(now_ms)
format_kafka
launch_kafka

# ---- QuestDB ------------------------------------------------------------------------
write_questdb_conf
q0=$(now_ms)
launch_questdb

# ---- Wait for both -------------------------------------------------------------------
deadline=$(( $(date +%s) + READY_TIMEOUT_S ))
wait_questdb "$deadline"
q1=$(now_ms)
wait_kafka "$deadline"
t1=$(now_ms)

log "Kafka   127.0.0.1:$KAFKA_PORT ($KAFKA_SECURITY, controller $KAFKA_CONTROLLER_PORT, cluster id $(cat "$RUN/kafka-cluster-id")), pid $(cat "$RUN/kafka.pid"), ready in $(( t1 - t0 )) ms incl. format"
log "QuestDB http://127.0.0.1:$QDB_HTTP_PORT (pg $QDB_PG_PORT, ilp $QDB_ILP_PORT, min $QDB_MIN_HTTP_PORT), pid $(cat "$RUN/questdb.pid"), ready in $(( q1 - q0 )) ms"
log "export ALPHAFEED_KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT ALPHAFEED_QUESTDB_URL=http://127.0.0.1:$QDB_HTTP_PORT"
