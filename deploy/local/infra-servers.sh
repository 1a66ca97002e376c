# The start-up steps of the two servers, shared by infra-up.sh (fresh start) and
# infra-restart.sh (same data, e.g. after a crash); sourced after infra-env.sh.

QDB_JAR=$(ls "$INFRA"/questdb/questdb-*.jar 2>/dev/null | head -1 || true)
KAFKA_CP="$INFRA/kafka/*"
KAFKA_OPTS=($KAFKA_HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
  -Djava.io.tmpdir="$RUN/tmp" -Dlog4j.configuration="file:$ROOT/deploy/local/log4j.properties"
  -Dkafka.logs.dir="$RUN" "$MARKER")

qdb_ready() {
  qdb_curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$QDB_HTTP_PORT/exec?query=SELECT%201" 2>/dev/null
}
kafka_ready() { # seconds to wait
  ALPHAFEED_KAFKA_SECURITY="$KAFKA_SECURITY" ALPHAFEED_KAFKA_CA_FILE="$KAFKA_CA_FILE" \
    node "$ROOT/deploy/local/kafka-ready.js" "127.0.0.1:$KAFKA_PORT" "$1"
}

# A KRaft cluster id: 16 random bytes in URL-safe base64 without padding (making it
# here saves a JVM start). Kafka's own generator avoids ids that begin with '-', since
# such an id reads as an option; we do too, and pass it as --cluster-id=<id> anyway.
# ALPHAFEED_KAFKA_CLUSTER_ID injects one (the infra test uses ids beginning with '-').
kafka_cluster_id() {
  if [ -n "${ALPHAFEED_KAFKA_CLUSTER_ID:-}" ]; then
    printf '%s' "$ALPHAFEED_KAFKA_CLUSTER_ID"
    return
  fi
  local id
  while :; do
    id=$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22)
    [ "${id:0:1}" != "-" ] && break
  done
  printf '%s' "$id"
}

write_kafka_properties() {
  local client_listener=PLAINTEXT
  [ "$KAFKA_SECURITY" = "sasl_ssl" ] && client_listener=SASL_SSL
  umask 077
  cat > "$RUN/kafka.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=$client_listener://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=$client_listener://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=$client_listener
listener.security.protocol.map=CONTROLLER:PLAINTEXT,$client_listener:$client_listener
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
  if [ "$KAFKA_SECURITY" = "sasl_ssl" ]; then
    local user pass ks_pass
    user="${ALPHAFEED_KAFKA_SASL_USERNAME:?ALPHAFEED_KAFKA_SECURITY=sasl_ssl needs ALPHAFEED_KAFKA_SASL_USERNAME}"
    pass=$(secret ALPHAFEED_KAFKA_PASSWORD)
    [ -n "$pass" ] || die "ALPHAFEED_KAFKA_SECURITY=sasl_ssl needs ALPHAFEED_KAFKA_PASSWORD or ALPHAFEED_KAFKA_PASSWORD_FILE"
    [ -r "${ALPHAFEED_KAFKA_KEYSTORE:-}" ] || die "ALPHAFEED_KAFKA_SECURITY=sasl_ssl needs ALPHAFEED_KAFKA_KEYSTORE (a PKCS12 key store; deploy/local/make-test-cert.sh makes one)"
    [ -r "$KAFKA_CA_FILE" ] || die "ALPHAFEED_KAFKA_SECURITY=sasl_ssl needs ALPHAFEED_KAFKA_CA_FILE (PEM certificate the clients trust)"
    ks_pass=$(secret ALPHAFEED_KAFKA_KEYSTORE_PASSWORD)
    # The broker's own (inter-broker) client logs in as the same SCRAM user and trusts the same certificate.
    cat >> "$RUN/kafka.properties" <<PROPS
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$user" password="$pass";
ssl.keystore.type=PKCS12
ssl.keystore.location=$ALPHAFEED_KAFKA_KEYSTORE
ssl.keystore.password=$ks_pass
ssl.key.password=$ks_pass
ssl.truststore.type=PEM
ssl.truststore.location=$KAFKA_CA_FILE
ssl.endpoint.identification.algorithm=
PROPS
  fi
  umask 022
}

format_kafka() {
  local cluster_id scram=()
  cluster_id=$(kafka_cluster_id)
  if [ "$KAFKA_SECURITY" = "sasl_ssl" ]; then
    scram=(--add-scram "SCRAM-SHA-512=[name=$ALPHAFEED_KAFKA_SASL_USERNAME,password=$(secret ALPHAFEED_KAFKA_PASSWORD)]")
  fi
  # --cluster-id=<id> (one argument) so an id beginning with '-' is not read as an option.
  "$JAVA" "${KAFKA_OPTS[@]}" -cp "$KAFKA_CP" kafka.tools.StorageTool format \
    "--cluster-id=$cluster_id" -c "$RUN/kafka.properties" "${scram[@]}" > "$RUN/kafka-format.log" 2>&1 \
    || die "formatting the Kafka log dir failed (cluster id '$cluster_id'); see $RUN/kafka-format.log"
  echo "$cluster_id" > "$RUN/kafka-cluster-id"
}

# setsid: the servers outlive this script and the npm/jest process that ran it, and
# a Ctrl-C in that terminal does not reach them.
launch_kafka() {
  setsid "$JAVA" "${KAFKA_OPTS[@]}" -cp "$KAFKA_CP" kafka.Kafka "$RUN/kafka.properties" \
    >> "$RUN/kafka.log" 2>&1 < /dev/null &
  echo $! > "$RUN/kafka.pid"
}

write_questdb_conf() {
  umask 077
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
  if [ -n "$QDB_USER" ]; then
    local pass
    pass=$(secret ALPHAFEED_QUESTDB_PASSWORD)
    [ -n "$pass" ] || die "ALPHAFEED_QUESTDB_USERNAME needs ALPHAFEED_QUESTDB_PASSWORD or ALPHAFEED_QUESTDB_PASSWORD_FILE"
    # HTTP basic auth (open source QuestDB) covers REST, the console and ILP over HTTP;
    # ILP over TCP has no password, so it is switched off.
    cat >> "$RUN/qdb/conf/server.conf" <<CONF
http.user=$QDB_USER
http.password=$pass
pg.user=$QDB_USER
pg.password=$pass
line.tcp.enabled=false
CONF
  fi
  umask 022
  # QuestDB logs every query at INFO; the adapter polls wal_tables() while flushing, so
  # keep errors and advisories only (the file stays small and readable).
  cat > "$RUN/qdb/conf/log.conf" <<'LOGCONF'
writers=stdout
w.stdout.class=io.questdb.log.LogConsoleWriter
w.stdout.level=ERROR,CRITICAL,ADVISORY
LOGCONF
}

# The jar is a module; jdk.internal.math is what the 9.x (Java 17) launcher exports.
# java.io.tmpdir: QuestDB extracts its native libraries there.
launch_questdb() {
  setsid "$JAVA" $QDB_HEAP -XX:+UseParallelGC -Djava.io.tmpdir="$RUN/tmp" "$MARKER" \
    --add-exports java.base/jdk.internal.math=io.questdb \
    -p "$QDB_JAR" -m io.questdb/io.questdb.ServerMain -d "$RUN/qdb" \
    >> "$RUN/questdb.log" 2>&1 < /dev/null &
  echo $! > "$RUN/questdb.pid"
}

wait_questdb() { # deadline (epoch s)
  until qdb_ready; do
    if ! our_pid "$RUN/questdb.pid" >/dev/null; then
      tail -20 "$RUN/questdb.log" >&2 || true
      die "QuestDB exited during start-up; log: $RUN/questdb.log"
    fi
    [ "$(date +%s)" -lt "$1" ] || die "QuestDB did not answer /exec within ${READY_TIMEOUT_S}s; log: $RUN/questdb.log"
    sleep 0.2
  done
}

wait_kafka() { # deadline (epoch s)
  local left=$(( $1 - $(date +%s) ))
  [ "$left" -gt 1 ] || left=1
  if ! kafka_ready "$left"; then
    our_pid "$RUN/kafka.pid" >/dev/null || { tail -20 "$RUN/kafka.log" >&2 || true; }
    die "Kafka did not answer a metadata request on 127.0.0.1:$KAFKA_PORT within ${READY_TIMEOUT_S}s; log: $RUN/kafka.log"
  fi
}
