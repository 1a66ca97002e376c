import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import type { RegionConfig } from '@alphafeed/config';
import type { Logger } from '@alphafeed/ops';
import { CONFIG, HealthRegistry, LOGGER } from '@alphafeed/runtime';
import { CronMatcher } from './cron.matcher';
import { TrainUseCase } from './train.use-case';

/**
 * Fires the training run when `training.schedule` matches the current minute
 * in the exchange time zone (`calendar.timezone`). Checked every 15 s, at
 * most once per matching minute; a missed minute (process down) is not
 * caught up — trigger `POST /train` instead.
 */
@Injectable()
export class TrainingScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private lastFired = '';
  private readonly cron: CronMatcher;

  constructor(
    @Inject(CONFIG) config: RegionConfig,
    @Inject(TrainUseCase) private readonly train: TrainUseCase,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
  ) {
    this.cron = new CronMatcher(config.training.schedule, config.calendar.timezone);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(new Date()), 15_000);
    this.timer.unref();
    this.health.register('trainer', () => ({
      ok: true,
      schedule: `${this.cron.expression} (${this.cron.timeZone})`,
      busy: this.train.busy,
      last_run: this.train.lastRun,
      last_failure: this.train.lastFailure,
    }));
    this.logger.info(
      `training schedule "${this.cron.expression}" in ${this.cron.timeZone}; POST /train to train now`,
    );
  }

  beforeApplicationShutdown(): void {
    if (this.timer !== null) clearInterval(this.timer);
  }

  tick(now: Date): void {
    const minute = now.toISOString().slice(0, 16);
    if (minute === this.lastFired || !this.cron.matches(now)) return;
    this.lastFired = minute;
    this.train.run(`schedule ${this.cron.expression}`).catch(() => undefined);
  }
}
