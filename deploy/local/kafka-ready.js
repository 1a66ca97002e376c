#!/usr/bin/env node
// Exits 0 once the broker at argv[2] answers a Metadata request with itself as a
// live broker (an open TCP port alone is not enough: KRaft binds the listener
// before the broker has caught up with the metadata log). Used by infra-up.sh.
// With ALPHAFEED_KAFKA_SECURITY=sasl_ssl it logs in as infra-up's SCRAM user over TLS.
'use strict';
const { readFileSync } = require('node:fs');
const { Kafka, logLevel } = require('kafkajs');

function secret(name) {
  if (process.env[name]) return process.env[name];
  const file = process.env[`${name}_FILE`];
  return file ? readFileSync(file, 'utf8').replace(/\n$/, '') : '';
}

function security() {
  if (process.env.ALPHAFEED_KAFKA_SECURITY !== 'sasl_ssl') return {};
  return {
    ssl: { ca: [readFileSync(process.env.ALPHAFEED_KAFKA_CA_FILE, 'utf8')] },
    sasl: {
      mechanism: 'scram-sha-512',
      username: process.env.ALPHAFEED_KAFKA_SASL_USERNAME,
      password: secret('ALPHAFEED_KAFKA_PASSWORD'),
    },
  };
}

const broker = process.argv[2];
const deadline = Date.now() + Number(process.argv[3] || 120) * 1000;

async function once() {
  const kafka = new Kafka({
    clientId: 'alphafeed-infra-ready',
    brokers: [broker],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 2000,
    retry: { retries: 0 },
    ...security(),
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    await admin.listTopics(); // a real Metadata request
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

(async () => {
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      if (await once()) process.exit(0);
      last = 'no live broker/controller in metadata';
    } catch (err) {
      last = err && err.message ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  console.error(`kafka-ready: ${broker} did not answer a metadata request in time (last: ${last})`);
  process.exit(1);
})();
