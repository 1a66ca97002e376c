/**
 * Scenario: a backtest's outputs are written to data/backtest/{region}/; each
 * file validates against its JSON Schema in schemas/ (Parquet files as JSON
 * records) with the column layout the issue lists, and each schema rejects a
 * corrupted record. Writing is all-or-nothing: a failed write leaves the
 * previous outputs as they were, other stages' files in the directory are
 * never touched, and a run without signal metrics leaves no stale
 * signal.parquet of an earlier run.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parquetRecords } from '@alphafeed/testing';
import { parseConfig, configHash } from '@alphafeed/config';
import { runBacktest, type BacktestHooks } from './backtest.engine';
import { summarizeBacktest } from './backtest-summary';
import { signalMetrics } from './signal-metrics';
import { backtestDir, writeBacktestOutputs, type BacktestOutputs } from './backtest.writer';
import { rankDecider } from './testing/rank-decider';
import { randomMarket, simpleRiskHooks } from './testing/random-market';
import { tradingRulesFromConfig } from './trading-rules';
import { BacktestOutputError } from './errors';

const SCHEMAS = join(__dirname, '../../../schemas');
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const compiled = new Map<string, ValidateFunction>();
function schema(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (v === undefined) {
    v = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, `${name}.schema.json`), 'utf8')));
    compiled.set(name, v);
  }
  return v;
}
function expectValid(validate: ValidateFunction, data: unknown): void {
  if (!validate(data)) throw new Error(ajv.errorsText(validate.errors, { separator: '\n' }));
}

const config = parseConfig({ region: 'cn' }, 'cn');
const m = randomMarket();
/** The rank rule, plus 5 % each in #2 (delisted after date 150) and #3 (suspended 100-102). */
const rank = rankDecider(m.alpha, m.market, 'long_only');
const holdingTwoDecider: BacktestHooks['decide'] = (t, w, b) => {
  const target = rank(t, w, b);
  if (target === null) return null;
  for (let i = 0; i < target.length; i++) target[i] *= 0.9;
  target[2] += 0.05;
  target[3] += 0.05;
  return target;
};
const result = runBacktest(
  m.market,
  { mode: 'long_only', rebalanceEvery: 5, start: 30, rules: tradingRulesFromConfig(config.portfolio) },
  { decide: holdingTwoDecider, ...simpleRiskHooks(m.market.instruments.length) },
);
const outputs: BacktestOutputs = {
  result,
  metrics: summarizeBacktest(result),
  signal: signalMetrics(m.alphaRows, m.market, m.label, { horizon: 21, start: 30 }),
  identity: { region: 'cn', config_hash: configHash(config), alphas: 'point-in-time', git_sha: 'abc123' },
};

let root: string;
let dir: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'alphafeed-backtest-out-'));
  dir = backtestDir(join(root, 'data'), 'cn');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'alphas_pit.parquet'), 'another stage');
  await writeBacktestOutputs(outputs, dir);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

test('the directory holds the six files next to the other stage file, no temporary left', () => {
  expect(readdirSync(dir).sort()).toEqual(
    [
      'alphas_pit.parquet',
      'daily.parquet',
      'exposures.parquet',
      'signal.parquet',
      'summary.json',
      'trades.parquet',
      'weights.parquet',
    ].sort(),
  );
  expect(readFileSync(join(dir, 'alphas_pit.parquet'), 'utf8')).toBe('another stage');
  expect(readdirSync(join(root, 'data', 'backtest'))).toEqual(['cn']);
});

test('daily.parquet: one row per backtest day, BacktestDaily schema', async () => {
  const p = await parquetRecords(join(dir, 'daily.parquet'));
  expect(p.columns).toEqual([
    'date',
    'return_net',
    'return_gross',
    'benchmark',
    'active',
    'cost',
    'turnover',
    'gross_exposure',
    'net_exposure',
    'n_long',
    'n_short',
    'ex_ante_vol',
  ]);
  expect(p.records).toHaveLength(result.end - result.start);
  expect(p.records[0].date).toBe(m.market.calendar[31]);
  const validate = schema('BacktestDaily');
  expectValid(validate, p.records);
  expect(validate([{ ...p.records[0], cost: -1e-4 }])).toBe(false);
  expect(validate([{ ...p.records[0], extra: 1 }])).toBe(false);
});

test('weights.parquet and trades.parquet: BacktestWeights and BacktestTrades schemas', async () => {
  const w = await parquetRecords(join(dir, 'weights.parquet'));
  expect(w.columns).toEqual(['date', 'instrument', 'weight', 'target']);
  expect(w.records).toHaveLength(result.weights.length);
  expectValid(schema('BacktestWeights'), w.records);
  expect(schema('BacktestWeights')([{ ...w.records[0], weight: 0, target: 0 }])).toBe(false);

  const t = await parquetRecords(join(dir, 'trades.parquet'));
  expect(t.columns).toEqual([
    'date',
    'decision_date',
    'instrument',
    'weight_before',
    'target',
    'traded',
    'cost',
    'status',
  ]);
  expectValid(schema('BacktestTrades'), t.records);
  const statuses = new Set(t.records.map((r) => r.status));
  expect([...statuses]).toEqual(expect.arrayContaining(['filled', 'no_bar', 'write_off']));
  const unfilled = t.records.find((r) => r.status === 'no_bar');
  expect(schema('BacktestTrades')([{ ...unfilled, traded: 0.1 }])).toBe(false);
});

test('signal.parquet and exposures.parquet: BacktestSignal and BacktestExposures schemas', async () => {
  const s = await parquetRecords(join(dir, 'signal.parquet'));
  expect(s.columns).toEqual([
    'date',
    'names',
    'ic',
    'rank_ic',
    'q1_next_return',
    'q2_next_return',
    'q3_next_return',
    'q4_next_return',
    'q5_next_return',
  ]);
  expectValid(schema('BacktestSignal'), s.records);
  // The last 21 dates have no matured label inside the backtest.
  expect(s.records.slice(-21).every((r) => r.ic === null)).toBe(true);
  expect(schema('BacktestSignal')([{ ...s.records[0], ic: 1.5 }])).toBe(false);

  const x = await parquetRecords(join(dir, 'exposures.parquet'));
  expect(x.columns).toEqual(['date', 'factor', 'exposure']);
  expect(x.records).toHaveLength(2 * (result.end - result.start));
  expectValid(schema('BacktestExposures'), x.records);
});

test('summary.json: BacktestSummary schema, identity and figures equal to the summary', () => {
  const doc = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  const validate = schema('BacktestSummary');
  expectValid(validate, doc);
  expect(doc.config_hash).toBe(configHash(config));
  expect(doc.mode).toBe('long_only');
  expect(doc.metrics.net.sharpe).toBeCloseTo(outputs.metrics.net.sharpe, 12);
  expect(doc.signal.ic_mean).toBeGreaterThan(0.1); // the alpha carries 0.3 of the label
  expect(validate({ ...doc, mode: 'long' })).toBe(false);
  expect(validate({ ...doc, metrics: { ...doc.metrics, net: { ...doc.metrics.net, hit_rate: 2 } } })).toBe(
    false,
  );
});

test('a failed write replaces nothing and leaves nothing behind', async () => {
  const before = readFileSync(join(dir, 'summary.json'), 'utf8');
  const broken: BacktestOutputs = {
    ...outputs,
    identity: { ...outputs.identity, git_sha: 'second-run' },
    // A daily table whose column lengths disagree: the Parquet writer refuses it mid-way.
    result: { ...result, daily: { ...result.daily, cost: result.daily.cost.subarray(1) } },
  };
  await expect(writeBacktestOutputs(broken, dir)).rejects.toThrow(BacktestOutputError);
  expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe(before);
  expect(readdirSync(join(root, 'data', 'backtest'))).toEqual(['cn']);
  expect(readdirSync(dir)).toHaveLength(7);
});

test('a run without signal metrics or exposures removes those files of the earlier run', async () => {
  const other = join(root, 'data2', 'backtest', 'cn');
  await writeBacktestOutputs(outputs, other);
  await writeBacktestOutputs(
    { ...outputs, signal: null, result: { ...result, exposures: null }, identity: { ...outputs.identity } },
    other,
  );
  expect(existsSync(join(other, 'signal.parquet'))).toBe(false);
  expect(existsSync(join(other, 'exposures.parquet'))).toBe(false);
  expect(JSON.parse(readFileSync(join(other, 'summary.json'), 'utf8')).signal).toBeNull();
});
