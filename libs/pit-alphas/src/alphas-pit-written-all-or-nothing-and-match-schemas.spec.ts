/**
 * Scenario: a point-in-time run is written as `alphas_pit.parquet` +
 * `alphas_pit.json`. Both validate against their JSON Schemas in schemas/
 * (the Parquet file as JSON records) and each schema rejects a corrupted
 * record, so the validation can fail; the table reads back bit for bit; a
 * write that fails leaves the previous pair in place and no temporary file.
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
import { formatIsoDay } from '@alphafeed/core';
import { readParquet, type ParquetColumn } from '@alphafeed/data';
import { concatSegments } from './alpha-table';
import { readAlphaTable } from './alpha-table.parquet';
import { PitArtifactError } from './errors';
import type { PitRun } from './point-in-time-alphas';
import { writePitAlphas } from './pit-alphas.writer';
import { handSegment, handTraining } from './testing/hand-made-run';

const SCHEMAS = join(__dirname, '../../../schemas');
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const schema = (name: string): ValidateFunction =>
  ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, `${name}.schema.json`), 'utf8')));

const calendar = Array.from({ length: 10 }, (_, i) => formatIsoDay(18_000 + i));
const instruments = ['AAA', 'BBB', 'CCC'];
const hash = 'ab'.repeat(32);

const ids = [
  `model2-us-${calendar[4]}-${hash.slice(0, 12)}`,
  `model2-us-${calendar[7]}-${hash.slice(0, 12)}`,
];
const run: PitRun = {
  table: concatSegments(
    'point-in-time',
    calendar,
    instruments,
    [2, 3],
    [handSegment(3, ids[0], 4, 7), handSegment(3, ids[1], 7, 9, 1)],
  ),
  schedule: {
    t0: 4,
    retrainDates: Int32Array.of(4, 7),
    ends: Int32Array.of(7, 9),
    trainDatesAtT0: 2,
    retrainEvery: 3,
    minTrainDates: 2,
  },
  trainings: [handTraining(calendar, 3, ids[0], 4, 7), handTraining(calendar, 3, ids[1], 7, 9)],
  configHash: hash,
  inputDigest: 'cd'.repeat(32),
};

async function records(path: string): Promise<Record<string, unknown>[]> {
  const t = await readParquet(path);
  const cell = (c: ParquetColumn, i: number): unknown =>
    c.type === 'string'
      ? c.dictionary[c.codes[i]]
      : c.type === 'date'
        ? formatIsoDay(c.values[i])
        : c.values[i];
  return Array.from({ length: t.length }, (_, i) =>
    Object.fromEntries(t.columns.map((c) => [c.name, cell(c, i)])),
  );
}

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'alphafeed-pit-write-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('both files validate against their schemas, which reject corrupted records', async () => {
  const written = await writePitAlphas(run, dir, { region: 'us', gitSha: 'abc123', runtime: { pit: 5 } });
  expect(readdirSync(dir).sort()).toEqual(['alphas_pit.json', 'alphas_pit.parquet']);
  const rows = await records(written.path);
  expect(Object.keys(rows[0])).toEqual([
    'date',
    'instrument',
    'alpha_2d',
    'alpha_3d',
    'alpha_combined',
    'var_2d',
    'var_3d',
    'horizon_days',
    'model_id',
  ]);
  const table = schema('PitAlphas');
  expect(table(rows)).toBe(true);
  expect(table([{ ...rows[0], alpha_combined: 1500 }])).toBe(false);
  expect(table([{ ...rows[0], model_id: 'latest' }])).toBe(false);
  expect(table([{ ...rows[0], extra: 1 }])).toBe(false);

  const manifest = JSON.parse(readFileSync(written.manifestPath, 'utf8'));
  const m = schema('PitAlphasManifest');
  const ok = m(structuredClone(manifest));
  if (!ok) throw new Error(ajv.errorsText(m.errors));
  expect(manifest.models[1]).toMatchObject({
    retrain_date: calendar[7],
    first_scored_date: calendar[8],
    last_scored_date: calendar[9],
    labels: { '2d': { samples: 18, last_matured: calendar[7] } },
    combination_weights: { '2d': 0.75, '3d': 0.25 },
  });
  expect(manifest.t0).toBe(calendar[4]);
  expect(m({ ...manifest, models: [{ ...manifest.models[0], retrain_date: 'yesterday' }] })).toBe(false);
  expect(m({ ...manifest, config_hash: 'short' })).toBe(false);
});

test('the table reads back bit for bit', async () => {
  const written = await writePitAlphas(run, dir, { region: 'us' });
  const back = await readAlphaTable(written.path, { calendar, instruments });
  const t = run.table;
  expect(back.length).toBe(t.length);
  expect(back.horizons).toEqual([2, 3]);
  expect(Array.from(back.date)).toEqual(Array.from(t.date));
  expect(Array.from(back.instrument)).toEqual(Array.from(t.instrument));
  expect(Array.from(back.alphaCombined)).toEqual(Array.from(t.alphaCombined));
  back.alphas.forEach((c, h) => expect(Array.from(c)).toEqual(Array.from(t.alphas[h])));
  expect(Array.from(back.model, (m) => back.modelIds[m])).toEqual(Array.from(t.model, (m) => t.modelIds[m]));
});

test('a failed write keeps the previous pair and leaves no temporary file', async () => {
  await writePitAlphas(run, dir, { region: 'us', gitSha: 'first' });
  const before = readFileSync(join(dir, 'alphas_pit.json'), 'utf8');
  const table = readFileSync(join(dir, 'alphas_pit.parquet'));
  // The table cannot be renamed over a non-empty directory of the same name: block it that way.
  const blocked = join(mkdtempSync(join(tmpdir(), 'alphafeed-pit-block-')), 'us');
  mkdirSync(join(blocked, 'alphas_pit.parquet', 'x'), { recursive: true });
  writeFileSync(join(blocked, 'alphas_pit.json'), before);
  await expect(writePitAlphas(run, blocked, { region: 'us', gitSha: 'second' })).rejects.toThrow(
    PitArtifactError,
  );
  await expect(writePitAlphas(run, blocked, { region: 'us' })).rejects.toThrow(/nothing was replaced/);
  expect(readdirSync(blocked).sort()).toEqual(['alphas_pit.json', 'alphas_pit.parquet']);
  expect(readFileSync(join(blocked, 'alphas_pit.json'), 'utf8')).toBe(before);
  rmSync(blocked, { recursive: true, force: true });
  // A parent that is a file: nothing is created.
  const file = join(dir, 'plain-file');
  writeFileSync(file, 'x');
  await expect(writePitAlphas(run, join(file, 'us'), { region: 'us' })).rejects.toThrow(PitArtifactError);
  expect(existsSync(join(file, 'us'))).toBe(false);
  // The first pair is untouched.
  expect(readFileSync(join(dir, 'alphas_pit.parquet')).equals(table)).toBe(true);
  expect(readdirSync(dir).sort()).toEqual(['alphas_pit.json', 'alphas_pit.parquet', 'plain-file']);
});
