import { ServiceMetrics, memoryLogger } from '@alphafeed/ops';
import { DependencyMonitor } from './dependency.monitor';

async function until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('DependencyMonitor', () => {
  it('is ready while every dependency answers; says which one does not, once, and when it is back', async () => {
    let storeUp = true;
    const logger = memoryLogger();
    const metrics = new ServiceMetrics({ service: 'test' });
    const monitor = new DependencyMonitor(
      [
        { name: 'bus', ping: async () => undefined },
        {
          name: 'store',
          ping: async () => (storeUp ? undefined : Promise.reject(new Error('ECONNREFUSED'))),
        },
      ],
      { logger, metrics, intervalMs: 10, maxBackoffMs: 40 },
    );
    expect(monitor.ready).toBe(false);
    expect(monitor.reasons()).toEqual(['bus: not checked yet', 'store: not checked yet']);
    await monitor.start();
    expect(monitor.ready).toBe(true);

    storeUp = false;
    await until(() => !monitor.ready);
    expect(monitor.reasons()).toEqual(['store does not answer: ECONNREFUSED']);
    await new Promise((r) => setTimeout(r, 150)); // several failed checks: still one warning
    expect(await metrics.exposition()).toMatch(
      /alphafeed_dependency_up\{dependency="store",service="test"\} 0/,
    );
    storeUp = true;
    await until(() => monitor.ready);
    monitor.stop();
    const lines = logger.lines.map((l) => [l.level, l.msg]);
    expect(lines).toEqual([
      ['warn', 'store does not answer: ECONNREFUSED; not ready until it does'],
      ['info', expect.stringMatching(/^store answers again after \d+ s$/)],
    ]);
  });

  it('takes one failed ping in between good ones for a slow answer, not an outage', async () => {
    let calls = 0;
    const logger = memoryLogger();
    const monitor = new DependencyMonitor(
      [{ name: 'store', ping: async () => (++calls === 3 ? Promise.reject(new Error('slow')) : undefined) }],
      { logger, intervalMs: 5, maxBackoffMs: 5 },
    );
    let everDown = false;
    await monitor.start();
    while (calls < 6) {
      everDown ||= !monitor.ready;
      await new Promise((r) => setTimeout(r, 1));
    }
    monitor.stop();
    expect(everDown).toBe(false);
    expect(logger.lines).toEqual([]);
  });

  it('counts a ping that hangs as failed after the timeout', async () => {
    const monitor = new DependencyMonitor([{ name: 'bus', ping: () => new Promise<void>(() => undefined) }], {
      logger: memoryLogger(),
      timeoutMs: 20,
    });
    await monitor.start();
    monitor.stop();
    expect(monitor.reasons()).toEqual(['bus does not answer: bus did not answer within 20 ms']);
  });
});
