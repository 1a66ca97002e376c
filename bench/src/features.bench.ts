/**
 * `npm run bench -- features [instruments] [years]`: features and both label
 * horizons on an in-memory synthetic panel (default 3,000 instruments x 15
 * years, ~11M bars), then the latency of one new date through the
 * incremental engines.
 *
 * Targets on the 2-core dev box: batch features + labels < 20 s, peak RSS
 * < 3 GB, one incremental date of 3,000 instruments (bars, kernels,
 * cross-section, labels) < 20 ms.
 */
import { Rng, formatIsoDay, parseIsoDay } from '@alphafeed/core';
import type { BarPanel } from '@alphafeed/core';
import { FeatureEngine, computeFeatureFrame, forEachDate } from '@alphafeed/features';
import { LabelEngine, computeLabelFrame } from '@alphafeed/labels';

const TRADING_DATES_PER_YEAR = 252;
const INDUSTRIES = 30;
/** Daily chance that a trading instrument starts a suspension of 1–10 dates. */
const SUSPENSION_RATE = 0.001;

export async function run(args: string[]): Promise<void> {
  const instruments = args[0] === undefined ? 3000 : Number(args[0]);
  const years = args[1] === undefined ? 15 : Number(args[1]);
  if (!(Number.isInteger(instruments) && instruments > 0 && years > 0)) {
    throw new RangeError(`usage: features [instruments > 0] [years > 0]; got ${args.join(' ')}`);
  }
  let started = performance.now();
  const bars = syntheticPanel(instruments, Math.round(years * TRADING_DATES_PER_YEAR), 42);
  const generateMs = performance.now() - started;
  print(
    `panel: ${bars.instruments.length} instruments x ${bars.calendar.length} dates = ${bars.length} bars (generated in ${(generateMs / 1000).toFixed(1)} s)`,
  );

  // CPU time is printed beside wall time: the dev box is shared, so wall time
  // alone says as much about the neighbours as about this code.
  started = performance.now();
  let cpu = process.cpuUsage();
  const features = computeFeatureFrame(bars);
  const featuresMs = performance.now() - started;
  const featuresCpuMs = cpuMs(process.cpuUsage(cpu));
  started = performance.now();
  cpu = process.cpuUsage();
  const labels = computeLabelFrame(bars);
  const labelsMs = performance.now() - started;
  const labelsCpuMs = cpuMs(process.cpuUsage(cpu));
  const batchSeconds = (featuresMs + labelsMs) / 1000;
  print(
    `batch features: ${(featuresMs / 1000).toFixed(2)} s wall, ${(featuresCpuMs / 1000).toFixed(2)} s cpu ` +
      `(${features.length} rows x ${features.featureNames.length} features)`,
  );
  print(
    `batch labels (${labels.horizons.join(', ')}): ${(labelsMs / 1000).toFixed(2)} s wall, ${(labelsCpuMs / 1000).toFixed(2)} s cpu ` +
      `(${labels.length} rows)`,
  );
  print(
    `batch total: ${batchSeconds.toFixed(2)} s wall, ${((featuresCpuMs + labelsCpuMs) / 1000).toFixed(2)} s cpu ` +
      `(target < 20 s) ${batchSeconds < 20 ? 'OK' : 'MISSED'}`,
  );
  const rssGb = process.resourceUsage().maxRSS / 1024 / 1024;
  print(`peak RSS after batch: ${rssGb.toFixed(2)} GB (target < 3 GB) ${rssGb < 3 ? 'OK' : 'MISSED'}`);

  // One new date at a time: the engines see the whole history, each closeDate is timed.
  const featureEngine = new FeatureEngine({ hasSharesOut: true, hasAmount: false });
  const labelEngine = new LabelEngine();
  const latencies: number[] = [];
  forEachDate(bars, (d, slice) => {
    const t0 = performance.now();
    featureEngine.closeDate(d, slice);
    labelEngine.closeDate(d, slice);
    const elapsed = performance.now() - t0;
    if (d >= 253) latencies.push(elapsed);
  });
  latencies.sort((a, b) => a - b);
  const median = latencies[Math.floor(latencies.length / 2)];
  const p95 = latencies[Math.floor(latencies.length * 0.95)];
  print(
    `incremental date (${instruments} instruments, features + cross-section + labels), over ${latencies.length} dates: ` +
      `median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, max ${latencies[latencies.length - 1].toFixed(2)} ms ` +
      `(target < 20 ms) ${p95 < 20 ? 'OK' : 'MISSED'}`,
  );
  print(`peak RSS overall: ${(process.resourceUsage().maxRSS / 1024 / 1024).toFixed(2)} GB`);
}

/**
 * Geometric random walks with fat tails, 30 industries, shares outstanding,
 * staggered listings, delistings and short suspensions, rows in (date,
 * instrument) order. Two passes: one to decide which bars exist, one to fill.
 */
function syntheticPanel(instrumentCount: number, dateCount: number, seed: number): BarPanel {
  const rng = new Rng(seed);
  const listed = new Int32Array(instrumentCount);
  const delisted = new Int32Array(instrumentCount);
  for (let i = 0; i < instrumentCount; i++) {
    // A tenth of the names list late or delist early.
    listed[i] = rng.uniform() < 0.1 ? rng.int(dateCount >> 1) : 0;
    delisted[i] = rng.uniform() < 0.1 ? listed[i] + 300 + rng.int(dateCount) : dateCount;
    if (delisted[i] > dateCount) delisted[i] = dateCount;
  }
  const present = new Uint8Array(instrumentCount * dateCount);
  let total = 0;
  for (let i = 0; i < instrumentCount; i++) {
    for (let d = listed[i]; d < delisted[i]; d++) {
      if (rng.uniform() < SUSPENSION_RATE) {
        d += rng.int(10);
        continue;
      }
      present[d * instrumentCount + i] = 1;
      total++;
    }
  }
  const date = new Int32Array(total);
  const instrument = new Int32Array(total);
  const industry = new Int32Array(total);
  const open = new Float64Array(total);
  const high = new Float64Array(total);
  const low = new Float64Array(total);
  const close = new Float64Array(total);
  const volume = new Float64Array(total);
  const sharesOut = new Float64Array(total);
  const price = new Float64Array(instrumentCount);
  const shares = new Float64Array(instrumentCount);
  const sector = new Int32Array(instrumentCount);
  const vol = new Float64Array(instrumentCount);
  for (let i = 0; i < instrumentCount; i++) {
    price[i] = 10 + 90 * rng.uniform();
    shares[i] = 1e7 * (1 + 50 * rng.uniform());
    sector[i] = rng.int(INDUSTRIES);
    vol[i] = 0.01 + 0.02 * rng.uniform();
  }
  let row = 0;
  for (let d = 0; d < dateCount; d++) {
    const market = 0.01 * rng.normal();
    for (let i = 0; i < instrumentCount; i++) {
      if (present[d * instrumentCount + i] === 0) continue;
      const previous = price[i];
      price[i] = previous * Math.exp(market + vol[i] * rng.normal());
      date[row] = d;
      instrument[row] = i;
      industry[row] = sector[i];
      open[row] = previous;
      high[row] = Math.max(previous, price[i]) * (1 + 0.005 * rng.uniform());
      low[row] = Math.min(previous, price[i]) * (1 - 0.005 * rng.uniform());
      close[row] = price[i];
      volume[row] = rng.uniform() < 0.002 ? 0 : Math.round(1e5 * (0.2 + rng.uniform()));
      sharesOut[row] = shares[i];
      row++;
    }
  }
  const firstDay = parseIsoDay('2010-01-04');
  const calendar: string[] = [];
  // Weekdays only, so the calendar reads like a trading calendar.
  for (let day = firstDay; calendar.length < dateCount; day++) {
    const weekday = (day + 4) % 7;
    if (weekday !== 0 && weekday !== 6) calendar.push(formatIsoDay(day));
  }
  return {
    calendar,
    instruments: Array.from({ length: instrumentCount }, (_, i) => `S${String(i).padStart(5, '0')}`),
    industries: Array.from({ length: INDUSTRIES }, (_, g) => `IND${String(g).padStart(2, '0')}`),
    length: total,
    date,
    instrument,
    industry,
    open,
    high,
    low,
    close,
    volume,
    amount: null,
    sharesOut,
  };
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
