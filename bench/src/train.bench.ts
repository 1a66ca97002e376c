/**
 * `npm run bench -- train [instruments] [years] [nthread] [trees]`: the full
 * Model 2 training run (both horizons, all CV folds and final models) on a
 * seeded synthetic US panel (default 1,000 instruments x 10 years, 400 trees,
 * 2 threads), with wall time per stage, the share of time spent outside
 * XGBoost, peak RSS and the size of the written model set.
 *
 * Issue targets: US scale (3,000 x 15 years) within 2 h per region on 8
 * vCPU, peak RSS <= 8 GB, model files < 500 MB; everything outside XGBoost
 * under 10 % of the wall time.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@alphafeed/config';
import { generateSyntheticBars } from '@alphafeed/data';
import { computeFeatureFrame } from '@alphafeed/features';
import type { FeatureName } from '@alphafeed/features';
import { computeLabelFrame } from '@alphafeed/labels';
import { XGBoostModel } from '@alphafeed/models';
import { trainModel2, writeArtifacts } from '@alphafeed/training';

/**
 * Wall time spent inside XGBoost: every `fitRows` / `predictRows` call of
 * any XGBoostModel (CV folds, final models, final predictions), counted
 * where it happens rather than by stage name, so fold bookkeeping and
 * scoring count as "everything else" and the final predictions as XGBoost.
 * Includes packing rows into XGBoost's float32 input.
 */
function stopwatchXGBoost(): { readonly ms: number } {
  const watch = { ms: 0 };
  const proto = XGBoostModel.prototype;
  for (const name of ['fitRows', 'predictRows'] as const) {
    const inner = proto[name] as (this: XGBoostModel, ...args: unknown[]) => unknown;
    Object.defineProperty(proto, name, {
      configurable: true,
      writable: true,
      value(this: XGBoostModel, ...args: unknown[]) {
        const t0 = performance.now();
        try {
          return inner.apply(this, args);
        } finally {
          watch.ms += performance.now() - t0;
        }
      },
    });
  }
  return watch;
}

export async function run(args: string[]): Promise<void> {
  const [instruments, years, nthread, trees] = [1000, 10, 2, 400].map((d, i) =>
    args[i] === undefined ? d : Number(args[i]),
  );
  if (![instruments, years, trees].every((v) => Number.isInteger(v) && v > 0) || !(nthread >= 0)) {
    throw new RangeError(`usage: train [instruments] [years] [nthread] [trees]; got ${args.join(' ')}`);
  }
  const config = parseConfig(
    {
      region: 'us',
      data: { synthetic: { instruments, years, signal_strength: 0.05 } },
      models: { xgboost: { n_estimators: trees, nthread } },
    },
    'bench',
  );
  const xgboost = stopwatchXGBoost();
  const stage: Record<string, number> = {};
  const timed = <T>(name: string, work: () => T): T => {
    const t0 = performance.now();
    const out = work();
    stage[name] = performance.now() - t0;
    return out;
  };

  // The bar panel (~0.6 GB at 3,000 x 15 years) is only needed to compute the
  // frames: it lives inside this block so it can be collected before the fits.
  const { features, labels } = (() => {
    const bars = timed('generate', () =>
      generateSyntheticBars({ region: 'us', instruments, years, seed: 42, signalStrength: 0.05 }),
    );
    print(
      `panel: ${bars.instruments.length} instruments x ${bars.calendar.length} dates = ${bars.length} bars`,
    );
    const names = config.features.names.filter(
      (n) => bars.sharesOut !== null || n !== 'turnover_20',
    ) as FeatureName[];
    return {
      features: timed('features', () => computeFeatureFrame(bars, { features: names })),
      labels: timed('labels', () => computeLabelFrame(bars, { horizons: config.labels.horizons })),
    };
  })();
  print(
    `features: ${features.length} rows x ${features.featureNames.length}; training ${trees} trees, nthread ${nthread}`,
  );

  const result = timed('train', () => trainModel2({ features, labels, config }, { nthread }));
  const out = mkdtempSync(join(tmpdir(), 'alphafeed-bench-train-'));
  try {
    const writeStart = performance.now();
    const written = await writeArtifacts(result, {
      modelsDir: join(out, 'models'),
      dataDir: join(out, 'data'),
    });
    stage.write = performance.now() - writeStart;
    const modelBytes = folderBytes(written.modelDir);
    result.dispose();

    print('\nstage                      wall s');
    for (const [name, ms] of Object.entries(stage))
      print(`${name.padEnd(26)} ${(ms / 1000).toFixed(1).padStart(7)}`);
    print('\ntraining stages (trainModel2 timings)');
    for (const [name, ms] of Object.entries(result.timings)) {
      if (name !== 'total') print(`  ${name.padEnd(24)} ${(ms / 1000).toFixed(1).padStart(7)}`);
    }
    const total = Object.values(stage).reduce((a, b) => a + b, 0) - stage.generate;
    print(
      `\ntotal (features..write)    ${(total / 1000).toFixed(1).padStart(7)} s; ` +
        `inside XGBoost (fit + predict) ${(xgboost.ms / 1000).toFixed(1)} s, ` +
        `everything else ${(((total - xgboost.ms) / total) * 100).toFixed(1)} %`,
    );
    print(`model set: ${(modelBytes / 1e6).toFixed(1)} MB`);
    print(`peak RSS: ${(process.resourceUsage().maxRSS / 1024 / 1024).toFixed(2)} GB`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function folderBytes(dir: string): number {
  let bytes = 0;
  for (const name of readdirSync(dir)) bytes += statSync(join(dir, name)).size;
  return bytes;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
