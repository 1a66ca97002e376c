/**
 * `npm run bench -- features [instruments] [years] [--workers 1,2] [--io]`: features and both label
 * horizons on an in-memory synthetic panel (default 3,000 instruments x 15
 * years, ~11M bars), then the latency of one new date through the
 * incremental engines.
 *
 * Targets on the 2-core dev box: batch features + labels < 12 s, peak RSS
 * < 3 GB, one incremental date of 3,000 instruments (bars, kernels,
 * cross-section, labels) < 20 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BarPanel } from '@alphafeed/core';
import {
  generateSyntheticBars,
  loadBars,
  writeBarsCsv,
  writeBarsParquet,
  writeIndustryTable,
  writeQlibDir,
} from '@alphafeed/data';
import { FeatureEngine, computeFeatureFrame, defaultFeatureWorkers, forEachDate } from '@alphafeed/features';
import { LabelEngine, computeLabelFrame } from '@alphafeed/labels';

export async function run(args: string[]): Promise<void> {
  const sizes = args.filter((a, k) => !a.startsWith('--') && args[k - 1] !== '--workers');
  const instruments = sizes[0] === undefined ? 3000 : Number(sizes[0]);
  const years = sizes[1] === undefined ? 15 : Number(sizes[1]);
  if (!(Number.isInteger(instruments) && instruments > 0 && years > 0)) {
    throw new RangeError(`usage: features [instruments > 0] [years > 0]; got ${args.join(' ')}`);
  }
  let started = performance.now();
  const bars = generateSyntheticBars({ region: 'us', instruments, years, seed: 42 });
  const generateMs = performance.now() - started;
  print(
    `panel: ${bars.instruments.length} instruments x ${bars.calendar.length} dates = ${bars.length} bars (generated in ${(generateMs / 1000).toFixed(1)} s)`,
  );

  // CPU time is printed beside wall time: the dev box is shared, so wall time
  // alone says as much about the neighbours as about this code. `--workers 1,2`
  // lists the raw-feature thread counts to measure (default 1 and one per core);
  // the last one counts for the batch total.
  const workersFlag = args.indexOf('--workers');
  const cores = defaultFeatureWorkers();
  const workerCounts =
    workersFlag >= 0 ? (args[workersFlag + 1] ?? '').split(',').map(Number) : [...new Set([1, cores])];
  let features = null as ReturnType<typeof computeFeatureFrame> | null;
  let featuresMs = 0;
  let featuresCpuMs = 0;
  for (const workers of workerCounts) {
    features = null; // let the previous frame go before computing the next
    started = performance.now();
    const cpuBefore = process.cpuUsage();
    features = computeFeatureFrame(bars, { workers });
    featuresMs = performance.now() - started;
    featuresCpuMs = cpuMs(process.cpuUsage(cpuBefore));
    print(
      `batch features, ${workers} worker${workers === 1 ? '' : 's'}: ${(featuresMs / 1000).toFixed(2)} s wall, ` +
        `${(featuresCpuMs / 1000).toFixed(2)} s cpu (${features.length} rows x ${features.featureNames.length} features)`,
    );
  }
  if (features === null) throw new RangeError('--workers needs a list such as 1,2');
  let cpu = process.cpuUsage();
  started = performance.now();
  cpu = process.cpuUsage();
  const labels = computeLabelFrame(bars);
  const labelsMs = performance.now() - started;
  const labelsCpuMs = cpuMs(process.cpuUsage(cpu));
  const batchSeconds = (featuresMs + labelsMs) / 1000;
  print(
    `batch labels (${labels.horizons.join(', ')}): ${(labelsMs / 1000).toFixed(2)} s wall, ${(labelsCpuMs / 1000).toFixed(2)} s cpu ` +
      `(${labels.length} rows)`,
  );
  print(
    `batch total: ${batchSeconds.toFixed(2)} s wall, ${((featuresCpuMs + labelsCpuMs) / 1000).toFixed(2)} s cpu ` +
      `(target < 12 s on 2 cores) ${batchSeconds < 12 ? 'OK' : 'MISSED'}`,
  );
  const rssGb = process.resourceUsage().maxRSS / 1024 / 1024;
  print(`peak RSS after batch: ${rssGb.toFixed(2)} GB (target < 3 GB) ${rssGb < 3 ? 'OK' : 'MISSED'}`);

  // One new date at a time: the engines see the whole history, each closeDate is timed.
  const featureEngine = new FeatureEngine({
    hasSharesOut: bars.sharesOut !== null,
    hasAmount: bars.amount !== null,
  });
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
  if (args.includes('--io')) await readThroughput(bars);
}

/**
 * `--io`: the same panel written as CSV.gz, Parquet and a Qlib directory
 * (write rates), then read back through `loadBars` (read rates, bars/s).
 * Writing the CSV.gz alone takes about a minute at US scale, hence opt-in.
 */
async function readThroughput(bars: BarPanel): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'alphafeed-bench-io-'));
  try {
    const industries = join(dir, 'industry.csv');
    writeIndustryTable(bars, industries);
    const writes: [string, () => unknown][] = [
      ['csv.gz', () => writeBarsCsv(bars, join(dir, 'bars.csv.gz'))],
      ['parquet', () => writeBarsParquet(bars, join(dir, 'bars.parquet'))],
      ['qlib', () => writeQlibDir(bars, join(dir, 'qlib'))],
    ];
    for (const [kind, write] of writes) {
      const t0 = performance.now();
      await write();
      const seconds = (performance.now() - t0) / 1000;
      print(
        `write ${kind}: ${bars.length} bars in ${seconds.toFixed(1)} s = ${(bars.length / seconds / 1e6).toFixed(2)} M bars/s`,
      );
    }
    for (const source of ['csv:bars.csv.gz', 'parquet:bars.parquet', 'qlib:qlib'] as const) {
      const [kind, path] = source.split(':');
      const t0 = performance.now();
      const { panel } = await loadBars(
        kind === 'qlib'
          ? { kind: 'qlib', dir: join(dir, path), market: 'all' }
          : { kind: kind as 'csv' | 'parquet', path: join(dir, path) },
        // The generated panel runs 15 years from 2015 (its later dates are in the future) and its fat-tailed
        // random walks reach prices above the default 1e9 on a few bars: no upper bounds, every bar is read back.
        {
          region: 'us',
          industryTable: industries,
          admission: { maxDaysAhead: null, maxPrice: Infinity, maxVolume: Infinity, maxAmount: Infinity },
        },
      );
      const seconds = (performance.now() - t0) / 1000;
      print(
        `read ${kind}: ${panel.length} bars in ${seconds.toFixed(1)} s = ${(panel.length / seconds / 1e6).toFixed(2)} M bars/s`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
