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
QDB_JAR=$(ls "$INFRA"/questdb/questdb-*.jar 2>/dev/null | head -1)
[ -n "$QDB_JAR" ] || die "no QuestDB jar in .infra/questdb; delete .infra and rerun"

qdb_ready() {
  curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$QDB_HTTP_PORT/exec?query=SELECT%201" 2>/dev/null
}
kafka_ready() { # seconds to wait
  node "$ROOT/deploy/local/kafka-ready.js" "127.0.0.1:$KAFKA_PORT" "$1"
}

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
cat > "$RUN/kafka.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$RUN/kafka-data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
# One broker: internal topics cannot have 3 replicas, or groups never find a coordinator.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# Tests join groups constantly; the default 3 s wait for more members only slows them.
group.initial.rebalance.delay.ms=0
# Topics are created explicitly (BusPort.ensureTopics); a typo must not create one.
auto.create.topics.enable=false
num.network.threads=2
num.io.threads=2
background.threads=2
log.segment.bytes=67108864
PROPS

KAFKA_OPTS=($KAFKA_HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
  -Djava.io.tmpdir="$RUN/tmp" -Dlog4j.configuration="file:$ROOT/deploy/local/log4j.properties"
  -Dkafka.logs.dir="$RUN" "$MARKER")
KAFKA_CP="$INFRA/kafka/*"
# A cluster id is 16 random bytes in URL-safe base64 without padding; making it here
# saves a JVM start (kafka-storage random-uuid).
CLUSTER_ID=$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22)

t0=$(now_ms)
"$JAVA" "${KAFKA_OPTS[@]}" -cp "$KAFKA_CP" kafka.tools.StorageTool format \
  -t "$CLUSTER_ID" -c "$RUN/kafka.properties" > "$RUN/kafka-format.log" 2>&1 \
  || die "formatting the Kafka log dir failed; see $RUN/kafka-format.log"

# setsid: the servers outlive this script and the npm/jest process that ran it, and
# a Ctrl-C in that terminal does not reach them.
setsid "$JAVA" "${KAFKA_OPTS[@]}" -cp "$KAFKA_CP" kafka.Kafka "$RUN/kafka.properties" \
  > "$RUN/kafka.log" 2>&1 < /dev/null &
echo $! > "$RUN/kafka.pid"

# ---- QuestDB ------------------------------------------------------------------------
cat > "$RUN/qdb/conf/server.conf" <<CONF
http.net.bind.to=127.0.0.1:$QDB_HTTP_PORT
http.min.net.bind.to=127.0.0.1:$QDB_MIN_HTTP_PORT
pg.net.bind.to=127.0.0.1:$QDB_PG_PORT
line.tcp.net.bind.to=127.0.0.1:$QDB_ILP_PORT
line.udp.enabled=false
telemetry.enabled=false
# Tables and columns come from QuestDbStore.ensureTables (typed, with DEDUP keys);
# an ILP write must not invent them with guessed types.
line.auto.create.new.tables=false
line.auto.create.new.columns=false
# Two cores are shared by many processes here; QuestDB would size pools by core count.
shared.worker.count=2
CONF
# QuestDB logs every query at INFO; the adapter polls wal_tables() while flushing, so
# keep errors and advisories only (the file stays small and readable).
cat > "$RUN/qdb/conf/log.conf" <<'LOGCONF'
writers=stdout
w.stdout.class=io.questdb.log.LogConsoleWriter
w.stdout.level=ERROR,CRITICAL,ADVISORY
LOGCONF
q0=$(now_ms)
# The jar is a module; jdk.internal.math is what the 9.x (Java 17) launcher exports.
# java.io.tmpdir: QuestDB extracts its native libraries there.
setsid "$JAVA" $QDB_HEAP -XX:+UseParallelGC -Djava.io.tmpdir="$RUN/tmp" "$MARKER" \
  --add-exports java.base/jdk.internal.math=io.questdb \
  -p "$QDB_JAR" -m io.questdb/io.questdb.ServerMain -d "$RUN/qdb" \
  > "$RUN/questdb.log" 2>&1 < /dev/null &
echo $! > "$RUN/questdb.pid"

# ---- Wait for both -------------------------------------------------------------------
deadline=$(( $(date +%s) + READY_TIMEOUT_S ))
until qdb_ready; do
  if ! our_pid "$RUN/questdb.pid" >/dev/null; then
    tail -20 "$RUN/questdb.log" >&2 || true
    die "QuestDB exited during start-up; log: $RUN/questdb.log"
  fi
  [ "$(date +%s)" -lt "$deadline" ] || die "QuestDB did not answer /exec within ${READY_TIMEOUT_S}s; log: $RUN/questdb.log"
  sleep 0.2
done
q1=$(now_ms)
left=$(( deadline - $(date +%s) )); [ "$left" -gt 1 ] || left=1
if ! kafka_ready "$left"; then
  our_pid "$RUN/kafka.pid" >/dev/null || { tail -20 "$RUN/kafka.log" >&2 || true; }
  die "Kafka did not answer a metadata request on 127.0.0.1:$KAFKA_PORT within ${READY_TIMEOUT_S}s; log: $RUN/kafka.log"
fi
t1=$(now_ms)

log "Kafka   127.0.0.1:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT), pid $(cat "$RUN/kafka.pid"), ready in $(( t1 - t0 )) ms incl. format"
log "QuestDB http://127.0.0.1:$QDB_HTTP_PORT (pg $QDB_PG_PORT, ilp $QDB_ILP_PORT, min $QDB_MIN_HTTP_PORT), pid $(cat "$RUN/questdb.pid"), ready in $(( q1 - q0 )) ms"
log "export ALPHAFEED_KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT ALPHAFEED_QUESTDB_URL=http://127.0.0.1:$QDB_HTTP_PORT"
