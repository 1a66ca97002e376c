#!/usr/bin/env bash
# Downloads the Kafka broker and QuestDB server jars from Maven Central into the
# project-local cache .infra/ (Maven's own cache in .cache/m2), so nothing lands in
# ~/.m2 and `rm -rf .infra .cache` is a clean reset. Idempotent: a marker file per
# server records the versions it was fetched for; a pom change triggers a re-fetch.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
POM="$ROOT/deploy/local/pom.xml"
OUT="$ROOT/.infra"
# Pinned so a plugin release cannot change what lands in .infra/.
DEP=org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies

if ! command -v mvn >/dev/null 2>&1; then
  echo "infra-fetch: 'mvn' not found; install Maven (Debian: apt-get install -y maven) and retry" >&2
  exit 1
fi
if ! command -v java >/dev/null 2>&1; then
  echo "infra-fetch: 'java' not found; install a JDK 17 (Debian: apt-get install -y openjdk-17-jdk-headless)" >&2
  exit 1
fi

STAMP=$(sha256sum "$POM" | cut -c1-16)
MVN=(mvn -B -q -f "$POM" -Dmaven.repo.local="$ROOT/.cache/m2")

fetch() { # name, extra mvn args...
  local name=$1; shift
  local dir="$OUT/$name"
  if [ -f "$dir/.fetched" ] && [ "$(cat "$dir/.fetched")" = "$STAMP" ]; then
    return 0
  fi
  echo "infra-fetch: resolving $name from Maven Central into .infra/$name"
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
  # Into a temporary dir first, renamed at the end: an interrupted download never
  # leaves a half-filled classpath that looks complete.
  "${MVN[@]}" "$DEP" -DincludeScope=runtime -DoutputDirectory="$dir.tmp" "$@"
  echo "$STAMP" > "$dir.tmp/.fetched"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
}

fetch kafka -DexcludeGroupIds=org.questdb
fetch questdb -DincludeGroupIds=org.questdb
echo "infra-fetch: ready ($(ls "$OUT/kafka" | wc -l) Kafka jars, $(ls "$OUT/questdb")) in .infra/"
