import { Inject, Injectable } from '@nestjs/common';
import type { ModelTrainedEvent } from '@alphafeed/codec';
import type { RegionConfig } from '@alphafeed/config';
import type { FeatureFrame } from '@alphafeed/core';
import { formatIsoDay } from '@alphafeed/core';
import type { StorePort } from '@alphafeed/store';
import { PollTimeoutError, poll } from '@alphafeed/ops';
import type { Logger, ServiceMetrics } from '@alphafeed/ops';
import { CONFIG, LOGGER, METRICS, MODEL_REGISTRY, STORE } from '@alphafeed/runtime';
import {
  ALPHAS_TABLE,
  DATES_TABLE,
  featuresTable,
  ModelRegistry,
  readConsistent,
  readFeatureFrame,
  readServiceCalendar,
  recordedRows,
} from '@alphafeed/streaming';
import { AlphasPublisher } from './alphas.publisher';
import { ModelSetHolder } from './model-set.holder';

/**
 * Use case "a model was trained": hot-swap the scorer's model set, then
 * (re)score the closed dates the new model has no alphas for yet.
 *
 * Rescoring rule: alphas exist for every feature row from the model's
 * `data_start` up to the last date the scorer closed, one set per
 * model_version. On a swap the scorer reads the stored features of that range
 * and scores the dates that have no alpha row for this model_version yet
 * (so a redelivered or repeated ModelTrained publishes nothing twice); later
 * dates are scored live as they close. The range ends at the last date both
 * the scorer closed and the features service stored (the swap waits up to a
 * minute for the features service to catch up with the scorer; a date only
 * the scorer had closed by then stays without alphas for this model).
 */
@Injectable()
export class ModelSwapUseCase {
  /** Model version scoring live dates now. */
  current: string | null = null;
  /** Model version whose swap (incl. rescoring) finished last. */
  completed: string | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: RegionConfig,
    @Inject(STORE) private readonly store: StorePort,
    @Inject(MODEL_REGISTRY) private readonly registry: ModelRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ModelSetHolder) private readonly holder: ModelSetHolder,
    @Inject(AlphasPublisher) private readonly publisher: AlphasPublisher,
    @Inject(METRICS) private readonly metrics: ServiceMetrics,
  ) {}

  async onModelTrained(event: ModelTrainedEvent, lastClosedDay: () => number | null): Promise<void> {
    if (event.region !== this.config.region) return;
    let set;
    try {
      set = await this.registry.get(event.model_version, event.artifact_path);
    } catch (error) {
      this.logger.warn(`ModelTrained ${event.model_version} skipped: ${String(error)}`);
      return;
    }
    await this.holder.exclusive(async () => {
      const started = Date.now();
      // This store client may not have seen the tables yet (the bars consumer creates them concurrently at start-up).
      await this.store.ensureTables([DATES_TABLE, ALPHAS_TABLE, featuresTable(this.config.features.names)]);
      this.holder.current = { ...set, dataStartDay: event.data_start };
      this.current = event.model_version;
      this.logger.bind({ model_id: event.model_version });
      this.metrics.setModel(event.model_version, Number(event.trained_at));
      // The stored features cover what the features service closed; later dates the scorer scores live.
      const scorerLast = lastClosedDay();
      // Give the features service a moment to store what the scorer already closed, so no closed date is left unscored.
      let featureCalendar = await readServiceCalendar(this.store, this.config.region, 'features');
      if (scorerLast !== null && (featureCalendar.days.at(-1) ?? -Infinity) < scorerLast)
        featureCalendar = await poll(
          () => readServiceCalendar(this.store, this.config.region, 'features'),
          (c) => (c.days.at(-1) ?? -Infinity) >= scorerLast,
          {
            initialMs: 50,
            maxMs: 250,
            timeoutMs: 60_000,
            what: 'the features service to store what the scorer closed',
          },
        ).catch(async (error: unknown) => {
          if (!(error instanceof PollTimeoutError)) throw error;
          return readServiceCalendar(this.store, this.config.region, 'features');
        });
      const storedLast =
        featureCalendar.days.length === 0 ? null : featureCalendar.days[featureCalendar.days.length - 1];
      const last = scorerLast === null || storedLast === null ? null : Math.min(scorerLast, storedLast);
      if (last === null || last < event.data_start) {
        this.completed = event.model_version;
        this.logger.info(`model ${event.model_version} loaded; no closed date to rescore yet`);
        return;
      }
      const frame = await readConsistent(
        'features to rescore',
        () =>
          readFeatureFrame(this.store, this.config, featureCalendar.days, {
            from: event.data_start,
            to: last,
          }),
        (f) => f.length,
        recordedRows(featureCalendar, event.data_start, last),
      );
      const done = await this.store.read(ALPHAS_TABLE.name, {
        region: this.config.region,
        from: formatIsoDay(event.data_start),
        to: formatIsoDay(last),
        tags: { model_version: event.model_version },
      });
      const scoredDays = new Set(Array.from(done.date));
      const keep = new Uint8Array(frame.length);
      for (let r = 0; r < frame.length; r++) keep[r] = scoredDays.has(dayOf(frame, r)) ? 0 : 1;
      const sub = subFrame(frame, keep);
      if (sub.length > 0) {
        const day = Int32Array.from(sub.date, (p) => dayOfPosition(sub, p));
        await this.publisher.publish(this.holder.score(sub, day, sub.revision));
      }
      this.completed = event.model_version;
      this.logger.info(
        `model ${event.model_version} swapped in; scored ${sub.length} stored feature rows ` +
          `(${formatIsoDay(event.data_start)} .. ${formatIsoDay(last)}, ${scoredDays.size} dates already had alphas) in ${Date.now() - started} ms`,
      );
    });
  }
}

function dayOf(frame: FeatureFrame, row: number): number {
  return dayOfPosition(frame, frame.date[row]);
}

function dayOfPosition(frame: FeatureFrame, position: number): number {
  return Date.parse(frame.calendar[position]) / 86_400_000;
}

/**
 * The rows of `frame` with keep[r] = 1, same calendar and dictionaries, and
 * only what scoring reads: the raw `vol60` (a risk-model input) is left
 * behind. O(rows × columns).
 */
function subFrame(
  frame: FeatureFrame & { readonly revision: Int32Array },
  keep: Uint8Array,
): FeatureFrame & { readonly revision: Int32Array } {
  const idx: number[] = [];
  for (let r = 0; r < keep.length; r++) if (keep[r] === 1) idx.push(r);
  const pick = <T extends Float64Array | Int32Array | Uint8Array>(col: T): T => {
    const out = new (col.constructor as { new (n: number): T })(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = col[idx[i]];
    return out;
  };
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- dropped on purpose
  const { vol60, ...scored } = frame;
  return {
    ...scored,
    length: idx.length,
    date: pick(frame.date),
    instrument: pick(frame.instrument),
    industry: pick(frame.industry),
    carried: pick(frame.carried),
    features: frame.features.map(pick),
    beta252: pick(frame.beta252),
    size: pick(frame.size),
    momentum: pick(frame.momentum),
    revision: pick(frame.revision),
  };
}
