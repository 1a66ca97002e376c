import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { cronJob } from '@alphafeed/config';
import type { RegionConfig } from '@alphafeed/config';
import type { Logger } from '@alphafeed/ops';
import { CONFIG, HealthRegistry, LOGGER } from '@alphafeed/runtime';
import { TrainUseCase } from './train.use-case';

/** The part of a croner job the scheduler uses. */
interface ScheduledJob {
  nextRun(): Date | null;
  stop(): void;
}

/**
 * Fires the training run at each time `training.schedule` names in the
 * exchange time zone (`calendar.timezone`). The next run is computed by the
 * cron library (croner, the same grammar the config validates) and slept
 * until — one timer, no polling. A run missed while the process was down is
 * not caught up (trigger `POST /train` instead); a run due while the
 * previous one is still training is skipped.
 */
@Injectable()
export class TrainingScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private job: ScheduledJob | null = null;
  private readonly expression: string;
  private readonly timeZone: string;

  constructor(
    @Inject(CONFIG) config: RegionConfig,
    @Inject(TrainUseCase) private readonly train: TrainUseCase,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
  ) {
    this.expression = config.training.schedule;
    this.timeZone = config.calendar.timezone;
  }

  /** When the schedule fires next (null before bootstrap or after shutdown). */
  get nextRun(): Date | null {
    return this.job?.nextRun() ?? null;
  }

  onApplicationBootstrap(): void {
    this.job = cronJob(this.expression, this.timeZone, () => this.fire());
    this.health.register('trainer', () => ({
      ok: true,
      schedule: `${this.expression} (${this.timeZone})`,
      next_run: this.nextRun?.toISOString() ?? null,
      busy: this.train.busy,
      last_run: this.train.lastRun,
      last_failure: this.train.lastFailure,
    }));
    this.logger.info(
      `training schedule "${this.expression}" in ${this.timeZone}, next run ${this.nextRun?.toISOString() ?? 'never'}; POST /train to train now`,
    );
  }

  beforeApplicationShutdown(): void {
    this.job?.stop();
    this.job = null;
  }

  private fire(): void {
    if (this.train.busy) {
      this.logger.warn(`scheduled training (${this.expression}) skipped: a training run is still going`);
      return;
    }
    // Failures are logged and kept in lastFailure by the use case.
    this.train.run(`schedule ${this.expression}`).catch(() => undefined);
  }
}
