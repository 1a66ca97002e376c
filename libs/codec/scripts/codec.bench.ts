/**
 * Throughput of the bar codec: encodeBatch + decodeBatch of 1M bars.
 * Run: node libs/codec/scripts/ts-run.js libs/codec/scripts/codec.bench.ts [rows]
 */
import { loadEventCodecs, type BarEvent } from '../src';

const rows = Number(process.argv[3] ?? 1_000_000);
const batch = 10_000;
const { bar } = loadEventCodecs();
const values: BarEvent[] = Array.from({ length: rows }, (_, i) => ({
  region: 'us',
  date: 19000 + ((i / 5000) | 0),
  instrument: `I${String(i % 5000).padStart(5, '0')}`,
  open: 10 + i * 1e-3,
  high: 11,
  low: 9,
  close: 10.5,
  volume: 1000 * i,
  amount: i % 2 ? null : 1e6,
  shares_out: 5e8,
  factor: null,
  industry: `ind${i % 11}`,
}));

let bytes = 0;
let check = 0;
for (let w = 0; w < 2; w++) bar.decodeBatch(bar.encodeBatch(values.slice(0, 50_000)));
const t0 = process.hrtime.bigint();
const encoded: Buffer[][] = [];
for (let i = 0; i < rows; i += batch) encoded.push(bar.encodeBatch(values.slice(i, i + batch)));
const t1 = process.hrtime.bigint();
for (const messages of encoded) {
  for (const m of messages) bytes += m.length;
  for (const v of bar.decodeBatch(messages)) check += v.date;
}
const t2 = process.hrtime.bigint();
const enc = Number(t1 - t0) / 1e9;
const dec = Number(t2 - t1) / 1e9;
console.log(
  `${rows} bars, ${(bytes / rows).toFixed(1)} B/msg: encode ${(rows / enc / 1e3).toFixed(0)}k/s, ` +
    `decode ${(rows / dec / 1e3).toFixed(0)}k/s, encode+decode ${(rows / (enc + dec) / 1e3).toFixed(0)}k bars/s (check ${check})`,
);
