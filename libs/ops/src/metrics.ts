import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Consumer lag of one partition: messages published and not yet committed by the group. */
export interface PartitionLag {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly lag: number;
}

/**
 * The Prometheus metrics of one alphafeed service (prom-client), on its own
 * registry so that several services in one process (`alphafeed serve`) each
 * answer `/metrics` with their own figures. Every series carries
 * `service` (and `region`) as a default label. Names follow Prometheus's
 * conventions: `_total` counters, `_seconds` durations, `_bytes` sizes.
 *
 * Updates are O(1) (a counter increment, a histogram bucket); the consumer
 * lag and the model age are computed when scraped.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  /** Bars of the dates the service processed (new dates; a restatement counts its dates again). */
  readonly barsProcessed: Counter<'kind'>;
  /** Dates processed: `kind` new | restated. */
  readonly datesProcessed: Counter<'kind'>;
  /** End-of-day marker consumed → the date's output stored (the scorer: last alpha published and acknowledged). */
  readonly eodToOutput: Histogram;
  readonly deadLetters: Counter<'reason' | 'code'>;
  /** Restatements handled (one per restated date emitted by the closer; later dates are rewritten with it). */
  readonly restatements: Counter;
  readonly storeWrite: Histogram<'table'>;
  /** 1 for the model set in use (scorer) or last trained (trainer), labelled with its id. */
  readonly modelInfo: Gauge<'model_id'>;
  readonly modelAge: Gauge;
  readonly trainingDuration: Histogram;
  /** 1 while a dependency (bus, store) answers, 0 while it does not. */
  readonly dependencyUp: Gauge<'dependency'>;
  readonly consumerLag: Gauge<'group' | 'topic' | 'partition'>;
  private readonly lagSources: (() => Promise<readonly PartitionLag[]>)[] = [];
  private modelTrainedAt: number | null = null;

  constructor(labels: { readonly service: string; readonly region?: string }) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({
      service: labels.service,
      ...(labels.region ? { region: labels.region } : {}),
    });
    collectDefaultMetrics({ register: this.registry });
    this.barsProcessed = new Counter({
      name: 'alphafeed_bars_processed_total',
      help: 'Bars of the closed dates the service processed',
      labelNames: ['kind'],
      registers,
    });
    this.datesProcessed = new Counter({
      name: 'alphafeed_dates_processed_total',
      help: 'Closed dates the service processed, new or restated',
      labelNames: ['kind'],
      registers,
    });
    this.eodToOutput = new Histogram({
      name: 'alphafeed_eod_to_output_seconds',
      help: "End-of-day marker consumed to the date's output stored (scorer: last alpha published)",
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'alphafeed_dead_letters_total',
      help: 'Messages sent to a dead-letter topic, by reason and code',
      labelNames: ['reason', 'code'],
      registers,
    });
    this.restatements = new Counter({
      name: 'alphafeed_restatements_total',
      help: 'Restated dates handled (each re-publishes it and the later dates with revision + 1)',
      registers,
    });
    this.storeWrite = new Histogram({
      name: 'alphafeed_store_write_seconds',
      help: 'Latency of one store write (upsert of a columnar batch), by table',
      labelNames: ['table'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers,
    });
    this.modelInfo = new Gauge({
      name: 'alphafeed_model_info',
      help: 'The model set in use (scorer) or last trained (trainer): 1 with its id',
      labelNames: ['model_id'],
      registers,
    });
    const trainedAt = (): number | null => this.modelTrainedAt;
    const lagSources = this.lagSources;
    this.modelAge = new Gauge({
      name: 'alphafeed_model_age_seconds',
      help: 'Seconds since the model set in use was trained',
      registers,
      collect() {
        const at = trainedAt();
        if (at !== null) this.set((Date.now() - at) / 1000);
      },
    });
    this.trainingDuration = new Histogram({
      name: 'alphafeed_training_duration_seconds',
      help: 'Duration of a training run (read, fit, artifacts, publish)',
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 2400],
      registers,
    });
    this.dependencyUp = new Gauge({
      name: 'alphafeed_dependency_up',
      help: '1 while the dependency answers, 0 while it does not',
      labelNames: ['dependency'],
      registers,
    });
    this.consumerLag = new Gauge({
      name: 'alphafeed_consumer_lag_messages',
      help: 'Messages published and not yet committed by the consumer group, per partition',
      labelNames: ['group', 'topic', 'partition'],
      registers,
      async collect() {
        this.reset();
        for (const source of lagSources) {
          let lags: readonly PartitionLag[];
          try {
            lags = await source();
          } catch {
            continue; // the bus does not answer: no lag series this scrape (alphafeed_dependency_up says why)
          }
          for (const l of lags)
            this.set({ group: l.group, topic: l.topic, partition: String(l.partition) }, l.lag);
        }
      },
    });
  }

  /** A source of consumer lag, asked at each scrape (a consumer group of the service). */
  addLagSource(source: () => Promise<readonly PartitionLag[]>): void {
    this.lagSources.push(source);
  }

  /** The model set now in use (or last trained) and when it was trained (ms since the epoch). */
  setModel(modelId: string, trainedAt: number): void {
    this.modelInfo.reset();
    this.modelInfo.set({ model_id: modelId }, 1);
    this.modelTrainedAt = trainedAt;
  }

  /** The Prometheus text exposition of every metric. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
