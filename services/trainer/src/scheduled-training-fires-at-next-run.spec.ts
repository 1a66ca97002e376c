import 'reflect-metadata';
import type { RegionConfig } from '@alphafeed/config';
import { HealthRegistry } from '@alphafeed/runtime';
import { silentLogger } from '@alphafeed/ops';
import type { TrainUseCase } from './train.use-case';
import { TrainingScheduler } from './training.scheduler';

/** A TrainUseCase stand-in that records when it was asked to run (the scheduler's only collaborator). */
function fakeTrain(): { train: TrainUseCase; runs: string[]; busy: { value: boolean } } {
  const runs: string[] = [];
  const busy = { value: false };
  const train = {
    get busy() {
      return busy.value;
    },
    lastRun: null,
    lastFailure: null,
    run: (reason: string) => {
      runs.push(`${new Date().toISOString()} ${reason}`);
      return Promise.resolve();
    },
  } as unknown as TrainUseCase;
  return { train, runs, busy };
}

const quiet = silentLogger;
const config = {
  training: { schedule: '30 17 * * 1-5' },
  calendar: { timezone: 'America/New_York' },
} as unknown as RegionConfig;

describe('TrainingScheduler', () => {
  afterEach(() => jest.useRealTimers());

  it('sleeps until the next run the cron library computes and fires once, on weekdays at 17:30 New York', async () => {
    // Thu 19 Nov 2026 12:00 EST.
    jest.useFakeTimers({ now: new Date('2026-11-19T17:00:00Z') });
    const { train, runs } = fakeTrain();
    const health = new HealthRegistry();
    const scheduler = new TrainingScheduler(config, train, quiet, health);
    scheduler.onApplicationBootstrap();
    expect(scheduler.nextRun?.toISOString()).toBe('2026-11-19T22:30:00.000Z');
    expect(health.report().components.trainer.next_run).toBe('2026-11-19T22:30:00.000Z');
    // One pending timer, not a polling interval.
    expect(jest.getTimerCount()).toBe(1);

    await jest.advanceTimersByTimeAsync(5.5 * 3600_000 - 1000);
    expect(runs).toEqual([]);
    await jest.advanceTimersByTimeAsync(2000);
    expect(runs).toEqual(['2026-11-19T22:30:00.000Z schedule 30 17 * * 1-5']);

    // Friday fires, the weekend does not; Monday does.
    await jest.advanceTimersByTimeAsync(4 * 86_400_000);
    expect(runs.map((r) => r.slice(0, 16))).toEqual([
      '2026-11-19T22:30',
      '2026-11-20T22:30',
      '2026-11-23T22:30',
    ]);
    scheduler.beforeApplicationShutdown();
    expect(scheduler.nextRun).toBeNull();
    await jest.advanceTimersByTimeAsync(7 * 86_400_000);
    expect(runs).toHaveLength(3);
  });

  it('skips a run that falls due while the previous one is still training', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-19T22:29:00Z') });
    const { train, runs, busy } = fakeTrain();
    const scheduler = new TrainingScheduler(config, train, quiet, new HealthRegistry());
    scheduler.onApplicationBootstrap();
    busy.value = true;
    await jest.advanceTimersByTimeAsync(120_000);
    expect(runs).toEqual([]);
    busy.value = false;
    await jest.advanceTimersByTimeAsync(86_400_000);
    expect(runs).toHaveLength(1);
    scheduler.beforeApplicationShutdown();
  });
});
