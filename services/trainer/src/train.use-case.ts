import { Inject, Injectable } from '@nestjs/common';
import type { RegionConfig } from '@alphafeed/config';
import { formatIsoDay } from '@alphafeed/core';
import type { StorePort } from '@alphafeed/store';
import { trainModel2, writeArtifacts } from '@alphafeed/training';
import { gitSha } from '@alphafeed/ops';
import type { Logger, ServiceMetrics } from '@alphafeed/ops';
import { CONFIG, LOGGER, METRICS, MODEL_REGISTRY, STORE } from '@alphafeed/runtime';
import {
  DATES_TABLE,
  LABELS_TABLE,
  ModelRegistry,
  featuresTable,
  readConsistent,
  readFeatureFrame,
  readLabelFrame,
  readServiceCalendar,
  recordedRows,
} from '@alphafeed/streaming';
import { NothingToTrainError, TrainingBusyError } from './errors';
import { ModelTrainedPublisher } from './model-trained.publisher';

export interface TrainingRun {
  readonly modelVersion: string;
  readonly artifactPath: string;
  readonly labelCutoff: string;
  readonly dataStart: string;
  readonly dataEnd: string;
  readonly rows: number;
  readonly ms: number;
}

/**
 * Use case "retrain" (schedule or on demand): features and labels from the
 * store, cut off at the last date both services closed — a label is in the
 * store only once matured (the labels service writes label_k(t) at the close
 * of t + k), so nothing after the cut-off can leak — then `trainModel2`
 * (embargoed CV, stacking, calibration), the artifact directory, the model
 * set in the registry and `ModelTrained` on `models.v1`.
 *
 * One run at a time: a request during a run gets the running one. Training
 * is synchronous CPU work and blocks this process's event loop for its
 * duration; run the trainer as its own process when the others must not
 * pause.
 */
@Injectable()
export class TrainUseCase {
  private running: Promise<TrainingRun> | null = null;
  private runningSince: { readonly reason: string; readonly startedAt: string } | null = null;
  private last: TrainingRun | null = null;
  private lastError: string | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: RegionConfig,
    @Inject(STORE) private readonly store: StorePort,
    @Inject(MODEL_REGISTRY) private readonly registry: ModelRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ModelTrainedPublisher) private readonly publisher: ModelTrainedPublisher,
    @Inject(METRICS) private readonly metrics: ServiceMetrics,
  ) {}

  get lastRun(): TrainingRun | null {
    return this.last;
  }

  get lastFailure(): string | null {
    return this.lastError;
  }

  get busy(): boolean {
    return this.running !== null;
  }

  run(reason: string): Promise<TrainingRun> {
    if (this.running === null) {
      this.runningSince = { reason, startedAt: new Date().toISOString() };
      this.running = this.train(reason).finally(() => {
        this.running = null;
        this.runningSince = null;
      });
    }
    return this.running;
  }

  /** A new run, or TrainingBusyError while one is going (what `POST /train` answers with 409). */
  start(reason: string): Promise<TrainingRun> {
    if (this.runningSince !== null) return Promise.reject(new TrainingBusyError(this.runningSince));
    return this.run(reason);
  }

  private async train(reason: string): Promise<TrainingRun> {
    const started = Date.now();
    const { config } = this;
    try {
      await this.store.ensureTables([DATES_TABLE, LABELS_TABLE, featuresTable(config.features.names)]);
      const featureCalendar = await readServiceCalendar(this.store, config.region, 'features');
      const labelCalendar = await readServiceCalendar(this.store, config.region, 'labels');
      const featureDays = featureCalendar.days;
      const labelDays = labelCalendar.days;
      if (featureDays.length === 0 || labelDays.length === 0) {
        throw new NothingToTrainError(
          'nothing to train on yet: the features and labels services have not closed any date (replay some history first)',
        );
      }
      const cutoff = Math.min(featureDays[featureDays.length - 1], labelDays[labelDays.length - 1]);
      const calendar = featureDays.filter((d) => d <= cutoff);
      this.logger.info(
        `training (${reason}): cut-off ${formatIsoDay(cutoff)}, ${calendar.length} closed dates`,
      );
      // Rows of other processes become visible asynchronously (QuestDB WAL): read until the counts the services recorded show.
      const features = await readConsistent(
        'features',
        () => readFeatureFrame(this.store, config, calendar, { to: cutoff }),
        (f) => f.length,
        recordedRows(featureCalendar, -Infinity, cutoff),
      );
      const labels = await readConsistent(
        'labels',
        () => readLabelFrame(this.store, config, calendar),
        (l) => l.storedRows,
        recordedRows(labelCalendar, -Infinity, cutoff),
      );
      const result = trainModel2(
        { features, labels, config, labelCutoff: formatIsoDay(cutoff) },
        { logger: { info: (m) => this.logger.info(m), warn: (m) => this.logger.warn(m) } },
      );
      // The standard artifact set (as `alphafeed train` writes it), replaced atomically: another process loads it with loadModelSet.
      const written = await writeArtifacts(result, {
        modelsDir: config.output.models_dir,
        dataDir: config.output.data_dir,
        gitSha: gitSha(),
        runtime: { streaming_read: Date.now() - started },
      });
      const artifactPath = written.modelDir;
      this.registry.put({
        modelVersion: result.modelVersion,
        configHash: result.configHash,
        models: result.models,
        dispose: () => result.dispose(),
      });
      await this.publisher.publish(result, artifactPath);
      const run: TrainingRun = {
        modelVersion: result.modelVersion,
        artifactPath,
        labelCutoff: result.labelCutoff,
        dataStart: result.dataRange.first,
        dataEnd: result.dataRange.last,
        rows: features.length,
        ms: Date.now() - started,
      };
      this.last = run;
      this.lastError = null;
      this.logger.bind({ model_id: run.modelVersion });
      this.metrics.trainingDuration.observe(run.ms / 1000);
      this.metrics.setModel(run.modelVersion, Date.now());
      this.logger.info(
        `trained ${run.modelVersion} on ${run.rows} rows (${run.dataStart} .. ${run.dataEnd}) in ${run.ms} ms; published on ${config.streaming.kafka.topics.models}`,
      );
      return run;
    } catch (error) {
      this.lastError = String(error);
      this.logger.error(`training (${reason}) failed: ${String(error)}`);
      throw error;
    }
  }
}
