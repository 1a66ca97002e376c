/**
 * The end-to-end scenario shared by the Kafka + QuestDB spec and the embedded
 * spec: replay a small synthetic region through the four services (running in
 * this process, each on its own consumer group), train once, read the alpha
 * topic with the schema files alone, compare with the batch predictions of the
 * same model set, replay again and check nothing changed, and check bad
 * messages reach the dead-letter topic.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BusPort } from '@alphafeed/bus';
import { KafkaBus } from '@alphafeed/bus';
import { loadEventCodecs, loadSchemas } from '@alphafeed/codec';
import type { AlphaEvent, DeadLetterEvent } from '@alphafeed/codec';
import { loadConfig, overrideConfig } from '@alphafeed/config';
import type { RegionConfig } from '@alphafeed/config';
import { formatIsoDay } from '@alphafeed/core';
import { generateSyntheticBars } from '@alphafeed/data';
import { computeFeatureFrame } from '@alphafeed/features';
import type { FeatureName } from '@alphafeed/features';
import { replayPanel, startServices } from '@alphafeed/service-cli';
import type { RunningServices } from '@alphafeed/service-cli';
import { FeaturesBarsConsumer as FeaturesConsumer } from '@alphafeed/service-features';
import { LabelsBarsConsumer as LabelsConsumer } from '@alphafeed/service-labels';
import { AlphasPublisher, ModelSwapUseCase, ScorerBarsConsumer } from '@alphafeed/service-scorer';
import { TrainUseCase } from '@alphafeed/service-trainer';
import { ALPHAS_TABLE } from '@alphafeed/streaming';
import { loadModelSet, predictWithModelSet } from '@alphafeed/training';
import { unique, until } from '../infra/poll';

export interface FlowOptions {
  /** Region config to start from (default us). Specs sharing one QuestDB use different regions, as the tables are keyed by region. */
  readonly region?: 'us' | 'cn';
  readonly kafka?: { readonly brokers: string[]; readonly questdbUrl: string };
  readonly instruments: number;
  readonly years: number;
  readonly trees: number;
}

export function flowConfig(o: FlowOptions): RegionConfig {
  const base = loadConfig(join(__dirname, '..', '..', 'config', `${o.region ?? 'us'}.yaml`));
  const id = unique('e2e');
  const dir = mkdtempSync(join(tmpdir(), 'alphafeed-e2e-'));
  return overrideConfig(
    base,
    {
      data: { source: 'synthetic' },
      models: { xgboost: { n_estimators: o.trees, nthread: 2 } },
      output: { models_dir: join(dir, 'models'), data_dir: join(dir, 'data') },
      streaming: {
        kafka: {
          brokers: o.kafka?.brokers ?? [],
          group_prefix: id,
          client_id: id,
          partitions: 3,
          topics: {
            bars: `${id}.bars.daily.v1`,
            eod: `${id}.bars.eod.v1`,
            alphas: `${id}.alphas.daily.v1`,
            models: `${id}.models.v1`,
          },
        },
        questdb: { http_url: o.kafka?.questdbUrl ?? null },
        eod_timeout_ms: 120_000,
        embedded: { store_path: join(dir, 'store.log') },
      },
    },
    'e2e',
  );
}

/** Every message of a topic from the beginning, read by a fresh group, until `count` arrived. */
export async function readTopic(
  bus: BusPort,
  topic: string,
  count: number,
  timeoutMs = 120_000,
): Promise<Buffer[]> {
  const values: Buffer[] = [];
  const sub = await bus.subscribe(
    { groupId: unique('reader'), topics: [topic], fromBeginning: true },
    async (batch) => {
      for (const m of batch) values.push(m.value);
    },
  );
  try {
    await until(
      `${count} messages on ${topic}`,
      () => values.length,
      (n) => n >= count,
      timeoutMs,
    );
    // Anything beyond `count` that is already on its way shows up too.
    await new Promise((r) => setTimeout(r, 500));
  } finally {
    await sub.close();
  }
  return values;
}

export async function runStreamingFlow(o: FlowOptions, log: (line: string) => void): Promise<void> {
  const config = flowConfig(o);
  const topics = config.streaming.kafka.topics;
  const panel = generateSyntheticBars({
    region: 'us',
    instruments: o.instruments,
    years: o.years,
    seed: 11,
    startDate: '2015-01-01',
  });
  const T = panel.calendar.length;
  const codecs = loadEventCodecs();
  const schemas = loadSchemas();

  let running: RunningServices | null = null;
  let ownBus: KafkaBus | null = null;
  try {
    running = await startServices(config, { basePort: null });
    const bus: BusPort =
      running.backends?.bus ??
      (ownBus = new KafkaBus({ brokers: o.kafka!.brokers, clientId: unique('e2e-replay') }));
    if (ownBus !== null) await ownBus.connect();
    const apps = running.apps;
    const features = apps.features!.get(FeaturesConsumer).consumer;
    const labels = apps.labels!.get(LabelsConsumer).consumer;
    const scorer = apps.scorer!.get(ScorerBarsConsumer).consumer;
    const swap = apps.scorer!.get(ModelSwapUseCase);
    const published = apps.scorer!.get(AlphasPublisher);
    const store = running.backends?.store ?? null;

    // 1. Replay, all dates closed by the three bar consumers.
    const t0 = Date.now();
    const r = await replayPanel(bus, config, panel, { quiet: true });
    await until(
      'every date closed',
      () => [features.datesProcessed, labels.datesProcessed, scorer.datesProcessed],
      (d) => d.every((n) => n === T),
      600_000,
    );
    const ingestMs = Date.now() - t0;
    log(
      `replayed ${r.bars} bars (${T} dates) in ${r.ms} ms; closed by features+labels+scorer after ${ingestMs} ms: ${Math.round(r.bars / (ingestMs / 1000))} bars/s`,
    );

    // 2. Train once; the scorer swaps the model in and scores the history.
    const run = await apps.trainer!.get(TrainUseCase).run('e2e');
    await until(
      'the scorer swapped the model in',
      () => swap.completed,
      (v) => v === run.modelVersion,
      300_000,
    );
    const alphaCount = published.count;
    log(`trained ${run.modelVersion} in ${run.ms} ms; ${alphaCount} alphas published`);
    expect(alphaCount).toBeGreaterThan(1000);

    // 3. The alpha topic, decoded with the schema files alone, equals the batch predictions of the same model set (1e-6 bps).
    const raw = await readTopic(bus, topics.alphas, alphaCount);
    expect(raw).toHaveLength(alphaCount);
    const events = raw.map((bytes) => {
      const decoded = schemas.decode(bytes);
      expect(decoded.schema).toBe('Alpha');
      return decoded.value as AlphaEvent;
    });
    // The batch side loads the artifact directory the trainer wrote (as a scorer in another process would).
    const set = loadModelSet(run.artifactPath);
    const names = config.features.names.filter(
      (n) => panel.hasSharesOut || n !== 'turnover_20',
    ) as FeatureName[];
    const frame = computeFeatureFrame(panel, {
      features: names,
      minIndustrySize: config.features.min_industry_size,
      ffillLimit: config.features.ffill_limit,
      winsorize: config.features.winsorize,
    });
    const batch = predictWithModelSet(set, frame);
    set.dispose();
    const h21 = set.models.horizons.findIndex((h) => h.horizon === 21);
    const h63 = set.models.horizons.findIndex((h) => h.horizon === 63);
    const expected = new Map<string, [number, number, number]>();
    const dataStart = run.dataStart;
    for (let i = 0; i < frame.length; i++) {
      const date = frame.calendar[frame.date[i]];
      if (date < dataStart) continue;
      expected.set(`${date}|${frame.instruments[frame.instrument[i]]}`, [
        batch.alphas[h21][i],
        batch.alphas[h63][i],
        batch.combined[i],
      ]);
    }
    expect(events).toHaveLength(expected.size);
    let worst = 0;
    const missing: string[] = [];
    for (const e of events) {
      const want = expected.get(`${formatIsoDay(e.date)}|${e.instrument}`);
      if (want === undefined) {
        missing.push(`${formatIsoDay(e.date)} ${e.instrument}`);
        continue;
      }
      worst = Math.max(
        worst,
        Math.abs(e.alpha_21d - want[0]),
        Math.abs(e.alpha_63d - want[1]),
        Math.abs(e.alpha_combined - want[2]),
      );
      expect(e.model_version).toBe(run.modelVersion);
      expect(e.revision).toBe(0);
    }
    expect(missing.slice(0, 3)).toEqual([]);
    log(`alphas vs batch predictions: ${events.length} events, max |diff| ${worst.toExponential(2)} bps`);
    expect(worst).toBeLessThanOrEqual(1e-6);

    // 4. Replaying the same input again changes nothing: no new alpha events, no new rows.
    const storeRows = async (): Promise<number[]> => {
      const s = store ?? null;
      if (s === null) return [];
      const f = await s.read('features', { region: config.region });
      const a = await s.read(ALPHAS_TABLE.name, {
        region: config.region,
        tags: { model_version: run.modelVersion },
      });
      return [f.length, a.length];
    };
    const rowsBefore =
      store === null ? await questRows(o.kafka!.questdbUrl, run.modelVersion) : await storeRows();
    await replayPanel(bus, config, panel, { quiet: true });
    // Wait until every bar consumer committed the second copy of the markers (the date closer finds their bars unchanged: nothing to do).
    for (const service of ['features', 'labels', 'scorer']) {
      const group = `${config.streaming.kafka.group_prefix}-${service}`;
      await until(
        `${service} consumed the second replay`,
        () => committedMarkers(bus, group, topics.eod),
        (n) => n === 2 * T,
        300_000,
      );
    }
    expect(published.count).toBe(alphaCount);
    const again = await readTopic(bus, topics.alphas, alphaCount);
    expect(again).toHaveLength(alphaCount);
    const perKey = new Map<string, number>();
    for (const bytes of again) {
      const e = codecs.alpha.decode(bytes);
      const key = `${e.date}|${e.instrument}|${e.model_version}|${e.revision}`;
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
    }
    expect([...perKey.values()].filter((n) => n !== 1)).toEqual([]);
    const rowsAfter =
      store === null ? await questRows(o.kafka!.questdbUrl, run.modelVersion) : await storeRows();
    expect(rowsAfter).toEqual(rowsBefore);
    log(
      `second replay: ${again.length} alpha events (unchanged), store rows ${JSON.stringify(rowsAfter)} (unchanged)`,
    );

    // 5. Bad input never stops the pipeline and is never lost: it reaches the dead-letter topic with the reason.
    const good = {
      region: config.region,
      date: 20_000,
      instrument: 'ZZZ',
      open: 10,
      high: 11,
      low: 9,
      close: 10,
      volume: 1000,
      amount: null,
      shares_out: null,
      factor: null,
      industry: 'Banks',
    };
    await bus.publish(topics.bars, [
      { key: Buffer.from('X'), value: Buffer.from('not avro at all') },
      { key: Buffer.from('ZZZ'), value: codecs.bar.encode({ ...good, high: 5, low: 6 }) },
    ]);
    const dlq = `${topics.bars}${config.streaming.kafka.topics.dead_letter_suffix}`;
    // One letter per message and per bar-consuming service (features, labels, scorer, portfolio).
    const letters = (await readTopic(bus, dlq, 8)).map((b) => codecs.deadLetter.decode(b) as DeadLetterEvent);
    expect(letters).toHaveLength(8);
    const classes = letters.map((l) => `${l.service}:${l.reason.split(':')[0]}`).sort();
    expect(classes).toEqual([
      'features:invalid_bar',
      'features:undecodable',
      'labels:invalid_bar',
      'labels:undecodable',
      'portfolio:invalid_bar',
      'portfolio:undecodable',
      'scorer:invalid_bar',
      'scorer:undecodable',
    ]);
    expect(letters.find((l) => l.reason.startsWith('undecodable'))?.payload.toString()).toBe(
      'not avro at all',
    );
    log(`dead letters: ${classes.join(', ')}`);
    log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  } finally {
    if (ownBus !== null) await ownBus.close();
    if (running !== null) await running.close();
  }
}

/** Committed offset of a group on a one-partition topic, on either bus. */
async function committedMarkers(bus: BusPort, group: string, topic: string): Promise<number> {
  if (bus instanceof KafkaBus) return Number((await bus.committedOffsets(group, topic)).get(0) ?? -1);
  return (
    (bus as unknown as { committedOffsets(g: string, t: string): number[] }).committedOffsets(
      group,
      topic,
    )[0] ?? -1
  );
}

/** Row counts of the features table and of the model's alphas in QuestDB, read over its HTTP SQL endpoint. */
async function questRows(url: string, modelVersion: string): Promise<number[]> {
  const count = async (sql: string): Promise<number> => {
    const res = await fetch(`${url}/exec?query=${encodeURIComponent(sql)}`);
    const body = (await res.json()) as { dataset?: number[][]; error?: string };
    if (body.dataset === undefined) throw new Error(`QuestDB: ${body.error ?? res.status} for ${sql}`);
    return body.dataset[0][0];
  };
  return [
    await count(`select count() from features where region = 'us'`),
    await count(`select count() from alphas where region = 'us' and model_version = '${modelVersion}'`),
  ];
}
