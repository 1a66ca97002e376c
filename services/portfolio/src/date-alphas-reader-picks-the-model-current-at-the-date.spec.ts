/**
 * Scenario: which alphas the portfolio takes for a date. The scorer scored
 * 2024-01-03 live with model A (cut-off 2024-01-02), then model B (cut-off
 * 2024-01-03) was swapped in and rescored 2024-01-02..03 (in-sample for B)
 * and scored 2024-01-04 live. The reader must take A's rows for 01-03, B's
 * for 01-04, none for 01-02 (the scorer had no model then; B's rows of it are
 * in-sample), wait while the scorer's ledger names a model it has not heard
 * of, and take H from B's manifest.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelTrainedEvent } from '@alphafeed/codec';
import { loadConfig } from '@alphafeed/config';
import { parseIsoDay } from '@alphafeed/core';
import { memoryLogger } from '@alphafeed/ops';
import { EmbeddedStore } from '@alphafeed/store';
import { ALPHAS_PUBLISHED_TABLE, ALPHAS_TABLE, DATES_TABLE } from '@alphafeed/streaming';
import { REPO_ROOT } from '@alphafeed/testing';
import { DateAlphasReader } from './date-alphas.reader';
import { ModelCatalog } from './model-catalog';
import { MODEL_HORIZONS_TABLE } from './portfolio.tables';

const config = loadConfig(join(REPO_ROOT, 'config/us.yaml'));
const day = (iso: string): number => parseIsoDay(iso);

function event(version: string, cutoff: string, dir: string): ModelTrainedEvent {
  return {
    region: 'us',
    model_version: version,
    config_hash: 'h',
    git_sha: 'g',
    trained_at: 0,
    data_start: day('2023-01-02'),
    data_end: day(cutoff),
    label_cutoff: day(cutoff),
    artifact_path: dir,
    cv: {},
  };
}

async function alphas(store: EmbeddedStore, model: string, iso: string, values: number[]): Promise<void> {
  await store.write(ALPHAS_TABLE.name, {
    region: 'us',
    length: values.length,
    date: new Int32Array(values.length).fill(day(iso)),
    instrument: Int32Array.from(values, (_, i) => i),
    instruments: ['AAA', 'BBB', 'CCC'].slice(0, values.length),
    columns: {
      alpha_21d: Float64Array.from(values),
      alpha_63d: Float64Array.from(values),
      alpha_combined: Float64Array.from(values),
      var_21d: new Float64Array(values.length),
      var_63d: new Float64Array(values.length),
      revision: new Float64Array(values.length),
    },
    tags: { model_version: model, config_hash: 'h' },
  });
  // The scorer's ledger row of (date, model), written with the rows.
  await store.write(ALPHAS_PUBLISHED_TABLE.name, {
    region: 'us',
    length: 1,
    date: Int32Array.of(day(iso)),
    instrument: Int32Array.of(0),
    instruments: [model],
    columns: { revision: Float64Array.of(0), rows: Float64Array.of(values.length), sequence: Float64Array.of(1) },
  });
}

describe('DateAlphasReader', () => {
  const root = mkdtempSync(join(tmpdir(), 'alphafeed-portfolio-reader-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('takes the rows of the model the scorer held at the date, confirmed by its ledger row count', async () => {
    const store = await EmbeddedStore.open({});
    await store.ensureTables([DATES_TABLE, ALPHAS_TABLE, ALPHAS_PUBLISHED_TABLE, MODEL_HORIZONS_TABLE]);
    const scorerRows = { '2024-01-02': 2, '2024-01-03': 2, '2024-01-04': 2 }; // feature rows of each date
    const dates = Object.keys(scorerRows);
    await store.write(DATES_TABLE.name, {
      region: 'us',
      length: 3,
      date: Int32Array.from(dates, day),
      instrument: new Int32Array(3),
      instruments: ['scorer'],
      columns: {
        bar_count: Float64Array.of(2, 2, 2),
        rows: Float64Array.from(Object.values(scorerRows)),
        revision: new Float64Array(3),
        timed_out: new Float64Array(3),
        digest: new Float64Array(3),
      },
    });
    await alphas(store, 'A', '2024-01-03', [10, -10]);
    // B's manifest: weights 0.75 / 0.25 on 21 / 63 days → H = 31.5.
    const dirB = join(root, 'B');
    mkdirSync(dirB);
    writeFileSync(
      join(dirB, 'manifest.json'),
      JSON.stringify({
        model_version: 'B',
        horizons: { '63d': { horizon: 63 }, '21d': { horizon: 21 } },
        combination_weights: { '21d': 0.75, '63d': 0.25 },
      }),
    );
    const log = memoryLogger();
    const catalog = new ModelCatalog(config, store, log);
    const reader = new DateAlphasReader(config, store, catalog);
    await catalog.add(event('A', '2024-01-02', join(root, 'gone')));
    expect(log.lines.some((l) => String(l.msg).includes('using portfolio.horizon_days (21)'))).toBe(true);

    expect(await reader.read(day('2024-01-02'), 1_000)).toBeNull();
    const jan3 = await reader.read(day('2024-01-03'), 1_000);
    expect(jan3?.modelId).toBe('A');
    expect(Array.from(jan3!.alphaBps)).toEqual([10, -10]);
    expect(jan3?.horizonDays).toBe(21);
    // B swapped in: in-sample rescoring of 01-02..03, 01-04 live.
    await alphas(store, 'B', '2024-01-02', [1, 2]);
    await alphas(store, 'B', '2024-01-03', [3, 4]);
    await alphas(store, 'B', '2024-01-04', [5, 6]);
    // B not heard of yet: the ledger names it, so the reader waits, then says why.
    await expect(reader.read(day('2024-01-04'), 300)).rejects.toThrow(
      /alphas of 2024-01-04: the scorer's ledger names a model not yet announced on models\.v1/,
    );
    await catalog.add(event('B', '2024-01-03', dirB));
    const jan4 = await reader.read(day('2024-01-04'), 1_000);
    expect(jan4?.modelId).toBe('B');
    expect(Array.from(jan4!.alphaBps)).toEqual([5, 6]);
    expect(jan4?.horizonDays).toBe(31.5);
    // 01-03 still A's: B's cut-off is not before it.
    expect((await reader.read(day('2024-01-03'), 1_000))?.modelId).toBe('A');
    expect(await reader.read(day('2024-01-02'), 1_000)).toBeNull();
    // H of B survives the manifest's replacement (the trainer's next training).
    rmSync(join(dirB, 'manifest.json'));
    const again = await new ModelCatalog(config, store, log).add(event('B', '2024-01-03', dirB));
    expect(again?.horizonDays).toBe(31.5);
    await store.close();
  });
});
