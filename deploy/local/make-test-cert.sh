#!/usr/bin/env bash
# Makes a self-signed TLS certificate for a local SASL_SSL broker with the JDK's
# keytool (no openssl needed): DIR/broker.p12 (PKCS12 key store, password in
# DIR/keystore.password) and DIR/broker.pem (the certificate, which clients trust
# as their CA: ALPHAFEED_KAFKA_CA_FILE / streaming.security.kafka.ca_file).
# Subject alternative names: 127.0.0.1 and localhost. For tests and local use
# only; a real deployment uses certificates of its own CA.
#   usage: make-test-cert.sh DIR [VALIDITY_DAYS]
set -euo pipefail
DIR=${1:?usage: make-test-cert.sh DIR [VALIDITY_DAYS]}
DAYS=${2:-30}
KEYTOOL=keytool
if [ -n "${ALPHAFEED_JAVA:-}" ] && [ -x "$(dirname "$ALPHAFEED_JAVA")/keytool" ]; then
  KEYTOOL="$(dirname "$ALPHAFEED_JAVA")/keytool"
fi
command -v "$KEYTOOL" >/dev/null || { echo "make-test-cert: keytool (JDK 17) not found" >&2; exit 1; }
mkdir -p "$DIR"
chmod 700 "$DIR"
umask 077
rm -f "$DIR/broker.p12" "$DIR/broker.pem"
head -c 18 /dev/urandom | base64 | tr -d '+/=' > "$DIR/keystore.password"
PASS=$(cat "$DIR/keystore.password")
"$KEYTOOL" -genkeypair -noprompt -alias broker -keyalg RSA -keysize 2048 -validity "$DAYS" \
  -dname "CN=localhost, O=alphafeed test" -ext "SAN=ip:127.0.0.1,dns:localhost" \
  -storetype PKCS12 -keystore "$DIR/broker.p12" -storepass "$PASS" -keypass "$PASS" 2>/dev/null
"$KEYTOOL" -exportcert -rfc -alias broker -keystore "$DIR/broker.p12" -storepass "$PASS" \
  -file "$DIR/broker.pem" 2>/dev/null
echo "make-test-cert: $DIR/broker.p12 (password in $DIR/keystore.password), $DIR/broker.pem"
