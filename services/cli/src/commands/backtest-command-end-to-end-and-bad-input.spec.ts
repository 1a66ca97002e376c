/**
 * Scenario: `alphafeed backtest` and `alphafeed report` end to end on small
 * synthetic panels — CN long-only with a user's CSV alpha table, US
 * long-short with the point-in-time retraining (one small training) — and
 * bad input: a missing alpha file, an unknown instrument, a NaN alpha, no
 * alphas in the range, bad dates, an impossible constraint in the config.
 * Each failure is one line with exit code 2 (`describeFailure`) and leaves
 * no backtest output behind.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKTEST_FILES } from '@alphafeed/backtest';
import { loadConfig } from '@alphafeed/config';
import { Rng } from '@alphafeed/core';
import { generateSyntheticBars } from '@alphafeed/data';
import { syntheticOptions } from '../input';
import { describeFailure } from '../main';
import { runBacktestCommand } from './backtest.command';
import { runReportCommand } from './report.command';

let out: string;
beforeAll(() => (out = mkdtempSync(join(tmpdir(), 'alphafeed-backtest-cli-'))));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function cnConfig(extra = ''): string {
  const path = join(out, `cn-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    path,
    'region: cn\ndata:\n  synthetic:\n    instruments: 40\n    years: 2\n' +
      `output:\n  data_dir: ${join(out, 'data')}\n` +
      extra,
  );
  return path;
}

/** A CSV alpha table on the synthetic CN panel: every bar from position 380 on, seeded noise. */
function alphaCsv(configPath: string, edit: (rows: string[]) => void = () => undefined): string {
  const bars = generateSyntheticBars(syntheticOptions(loadConfig(configPath)));
  const rng = new Rng(7);
  const rows: string[] = [];
  for (let r = 0; r < bars.length; r++)
    if (bars.date[r] >= 380)
      rows.push(
        `${bars.calendar[bars.date[r]]},${bars.instruments[bars.instrument[r]]},${(30 * rng.normal()).toFixed(3)}`,
      );
  edit(rows);
  const path = join(out, `alphas-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, `date,instrument,alpha\n${rows.join('\n')}\n`);
  return path;
}

function outputsIn(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir).filter((f) => (BACKTEST_FILES as readonly string[]).includes(f))
    : [];
}

async function failure(run: () => Promise<void>): Promise<{ code: number; message: string }> {
  try {
    await run();
  } catch (err) {
    return describeFailure(err);
  }
  throw new Error('expected the command to fail');
}

describe('alphafeed backtest / report', () => {
  it('CN long-only with a CSV alpha table: every output, then the report', async () => {
    const config = cnConfig();
    const alphas = alphaCsv(config);
    await runBacktestCommand({ config, alphas: `csv:${alphas}`, quiet: true });
    const dir = join(out, 'data/backtest/cn');
    expect(outputsIn(dir).sort()).toEqual(
      [
        'daily.parquet',
        'exposures.parquet',
        'signal.parquet',
        'summary.json',
        'trades.parquet',
        'weights.parquet',
      ].sort(),
    );
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.mode).toBe('long_only');
    expect(summary.alphas).toBe(`csv:${alphas}`);
    expect(summary.metrics.rebalances).toBeGreaterThan(10);
    expect(summary.settings.decisions.optimal + (summary.settings.decisions.relaxed ?? 0)).toBeGreaterThan(
      10,
    );
    expect(summary.metrics.net.annual_return).toBeLessThan(summary.metrics.gross.annual_return);

    await runReportCommand({ config });
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
  });

  it('US long-short with the point-in-time retraining (one small training), --from/--to', async () => {
    const path = join(out, 'us-pit.yaml');
    writeFileSync(
      path,
      'region: us\ndata:\n  synthetic:\n    instruments: 30\n    years: 4\n    signal_strength: 0.3\n' +
        `output:\n  data_dir: ${join(out, 'data')}\n` +
        'models:\n  xgboost:\n    n_estimators: 5\n    nthread: 1\n' +
        'portfolio:\n  retrain_every: 500\n',
    );
    await runBacktestCommand({ config: path, to: '2008-12-31', quiet: true });
    const dir = join(out, 'data/backtest/us');
    expect(outputsIn(dir)).toContain('summary.json');
    expect(existsSync(join(dir, 'alphas_pit.parquet'))).toBe(true);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    const manifest = JSON.parse(readFileSync(join(dir, 'alphas_pit.json'), 'utf8'));
    expect(summary.mode).toBe('long_short');
    expect(summary.alphas).toBe('point-in-time');
    expect(summary.start > manifest.t0).toBe(true); // the first decision is after the first retrain date
    expect(summary.end <= '2008-12-31').toBe(true);
  }, 180_000);

  describe('bad input: one line, exit code 2, nothing written', () => {
    const cases: [string, () => { config: string; alphas?: string; from?: string; to?: string }, RegExp][] = [
      [
        'a missing alpha file',
        () => ({ config: cnConfig(), alphas: `csv:${join(out, 'nope.csv')}` }),
        /no such file .*nope\.csv; check the path/,
      ],
      [
        'an unknown instrument',
        () => {
          const config = cnConfig();
          return {
            config,
            alphas: `csv:${alphaCsv(config, (rows) => rows.push(rows[0].replace(/,[^,]+,/, ',ZZ999999,')))}`,
          };
        },
        /ZZ999999/,
      ],
      [
        'a NaN alpha',
        () => {
          const config = cnConfig();
          return {
            config,
            alphas: `csv:${alphaCsv(config, (rows) => (rows[5] = rows[5].replace(/,[^,]+$/, ',NaN')))}`,
          };
        },
        /NaN/,
      ],
      [
        'no alphas at or after --from',
        () => {
          const config = cnConfig();
          return { config, alphas: `csv:${alphaCsv(config, (rows) => rows.splice(50))}`, from: '2006-09-01' };
        },
        /no alphas on or after 2006-09-01; compute the point-in-time alphas or pass --alphas/,
      ],
      [
        '--to before --from',
        () => ({ config: cnConfig(), from: '2006-06-01', to: '2006-01-01' }),
        /--to 2006-01-01 is not after --from/,
      ],
      [
        'a date that is not a date',
        () => ({ config: cnConfig(), from: '2006-13-45' }),
        /--from "2006-13-45" is not a date/,
      ],
      [
        'an impossible constraint (max_weight 0)',
        () => ({ config: cnConfig('portfolio:\n  max_weight: 0\n') }),
        /portfolio\.max_weight/,
      ],
    ];
    it.each(cases)('%s', async (_name, make, message) => {
      const flags = make();
      const dir = join(out, 'data/backtest/cn');
      rmSync(dir, { recursive: true, force: true });
      const { code, message: line } = await failure(() => runBacktestCommand({ ...flags, quiet: true }));
      expect(code).toBe(2);
      expect(line).toMatch(message);
      expect(line.split('\n')).toHaveLength(1);
      expect(outputsIn(dir)).toEqual([]);
    });

    it('report without a backtest: one line, exit code 2, no report', async () => {
      const config = cnConfig();
      const dataDir = join(out, 'empty');
      const { code, message } = await failure(() => runReportCommand({ config, outData: dataDir }));
      expect(code).toBe(2);
      expect(message).toMatch(
        /no backtest output .*daily\.parquet; run `alphafeed backtest --config C` first/,
      );
      expect(existsSync(join(dataDir, 'backtest/cn/report.html'))).toBe(false);
    });
  });
});
