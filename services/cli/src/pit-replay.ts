/**
 * Replay with the trainer scheduled on the SPEC §9 retrain dates: the bars
 * are published in segments that end at the retrain dates; after the
 * segment ending at T the replay waits until the features, labels and
 * scorer services recorded T, has the trainer train on what the store holds
 * (features of dates <= T, the labels matured by T: cut-off T, exactly what
 * the point-in-time batch trains on), and waits until the scorer swapped the
 * new model in before it publishes T + 1. So the scorer scores
 * `(T_j, T_j+1]` with model j, as `computePointInTimeAlphas` does.
 */
import type { BusPort } from '@alphafeed/bus';
import { loadEventCodecs } from '@alphafeed/codec';
import type { RegionConfig } from '@alphafeed/config';
import type { BarPanel, FeatureFrame, LabelFrame, MemberOracle } from '@alphafeed/core';
import { Progress, parseIsoDay } from '@alphafeed/core';
import { computeFeatureFrame } from '@alphafeed/features';
import type { FeatureName } from '@alphafeed/features';
import { computeLabelFrame } from '@alphafeed/labels';
import { poll } from '@alphafeed/ops';
import { codecReplayEncoders, replayBars } from '@alphafeed/pipeline';
import { pointInTimeSchedule } from '@alphafeed/pit-alphas';
import type { RetrainSchedule } from '@alphafeed/pit-alphas';
import type { StorePort } from '@alphafeed/store';
import { ALPHAS_TABLE, DATES_TABLE, ensureStreamingTopics, readServiceCalendar } from '@alphafeed/streaming';

/** The batch frames of a panel, configured as `alphafeed train` / the point-in-time batch configure them. */
export function batchFrames(
  config: RegionConfig,
  panel: BarPanel,
  membership: MemberOracle | null = null,
): { features: FeatureFrame; labels: LabelFrame } {
  const hasSharesOut = panel.sharesOut !== null;
  const names = config.features.names.filter((n) => hasSharesOut || n !== 'turnover_20') as FeatureName[];
  return {
    features: computeFeatureFrame(panel, {
      features: names,
      minIndustrySize: config.features.min_industry_size,
      ffillLimit: config.features.ffill_limit,
      winsorize: config.features.winsorize,
      membership,
    }),
    labels: computeLabelFrame(panel, {
      horizons: config.labels.horizons,
      ffillLimit: config.features.ffill_limit,
      membership,
    }),
  };
}

/** SPEC §9's schedule of a panel with `portfolio.retrain_every` / `portfolio.min_train_dates`. */
export function pitScheduleOf(
  config: RegionConfig,
  frames: { features: FeatureFrame; labels: LabelFrame },
): RetrainSchedule {
  return pointInTimeSchedule(
    { ...frames, config },
    { retrainEvery: config.portfolio.retrain_every, minTrainDates: config.portfolio.min_train_dates },
  );
}

export interface PitReplayHooks {
  /** Trains now on what the store holds and publishes ModelTrained; resolves with the model version. */
  train(retrainDate: string): Promise<string>;
}

export interface PitReplayOptions {
  readonly quiet?: boolean;
  /** Longest wait for a service to record a date or for the scorer to swap a model in (default 10 min). */
  readonly timeoutMs?: number;
  readonly log?: (message: string) => void;
  /** Services that must have recorded T before the training (default features, labels, scorer). */
  readonly services?: readonly string[];
}

export interface PitReplayResult {
  readonly dates: number;
  readonly bars: number;
  readonly retrainDates: readonly string[];
  readonly models: readonly string[];
  readonly ms: number;
}

/** Publishes `panel` segment by segment with a training at each retrain date of `schedule` (see the file comment). */
export async function replayPointInTime(
  bus: BusPort,
  store: StorePort,
  config: RegionConfig,
  panel: BarPanel,
  schedule: RetrainSchedule,
  hooks: PitReplayHooks,
  options: PitReplayOptions = {},
): Promise<PitReplayResult> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 600_000;
  const services = options.services ?? ['features', 'labels', 'scorer'];
  const log = options.log ?? (() => undefined);
  await ensureStreamingTopics(bus, config);
  await store.ensureTables([DATES_TABLE, ALPHAS_TABLE]);
  const encoders = codecReplayEncoders(loadEventCodecs());
  const topics = config.streaming.kafka.topics;
  const calendar = panel.calendar;
  const ends = [...Array.from(schedule.retrainDates), calendar.length - 1];
  const progress = new Progress('replay (pit)', calendar.length, { unit: 'dates', quiet: options.quiet });
  let dates = 0;
  let bars = 0;
  let from = 0;
  const models: string[] = [];
  for (let j = 0; j < ends.length; j++) {
    const end = ends[j];
    if (end >= from) {
      const r = await replayBars({
        panel,
        region: config.region,
        from: calendar[from],
        to: calendar[end],
        sink: bus,
        ...encoders,
        topics: { bars: topics.bars, eod: topics.eod },
      });
      dates += r.dates;
      bars += r.bars;
      progress.update(end + 1);
    }
    from = end + 1;
    if (j === ends.length - 1) break;
    const T = calendar[end];
    const day = parseIsoDay(T);
    for (const service of services)
      await poll(
        () => readServiceCalendar(store, config.region, service),
        (c) => c.days.includes(day),
        { initialMs: 20, maxMs: 250, timeoutMs, what: `the ${service} service to record ${T}` },
      );
    const modelVersion = await hooks.train(T);
    models.push(modelVersion);
    // The scorer's swap rescores the stored features up to T with the new model, then scores later dates with it.
    await poll(
      () =>
        store.read(ALPHAS_TABLE.name, {
          region: config.region,
          from: T,
          to: T,
          tags: { model_version: modelVersion },
        }),
      (rows) => rows.length > 0,
      { initialMs: 20, maxMs: 250, timeoutMs, what: `the scorer to swap ${modelVersion} in` },
    );
    log(
      `pit replay: retrained at ${T} (${modelVersion}), scorer swapped; publishing from ${calendar[from] ?? '-'}`,
    );
  }
  progress.finish();
  return {
    dates,
    bars,
    retrainDates: Array.from(schedule.retrainDates, (p) => calendar[p]),
    models,
    ms: Date.now() - started,
  };
}
