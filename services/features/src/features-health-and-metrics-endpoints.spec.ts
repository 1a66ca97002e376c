/**
 * The features service over HTTP: `/health/live`, `/health/ready` and
 * `/metrics` while it consumes a replay (ready; the counters move), then
 * after its store goes away: the failed write ends the consumer's term, it
 * restarts itself with a capped backoff (still live: restarting the process
 * would not bring the store back) and readiness says why.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { MemoryBus } from '@alphafeed/bus';
import { loadEventCodecs } from '@alphafeed/codec';
import { generateSyntheticBars } from '@alphafeed/data';
import { silentLogger } from '@alphafeed/ops';
import { codecReplayEncoders, replayBars } from '@alphafeed/pipeline';
import { EmbeddedStore } from '@alphafeed/store';
import { startServiceApp } from '@alphafeed/runtime';
import { testConfig, waitFor } from '@alphafeed/stream-testing';
import { FeaturesModule } from './features.module';

describe('features service health and metrics endpoints', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close().catch(() => undefined);
  });

  it('is ready and counts while consuming; still live but not ready while the store is gone (the consumer restarts with backoff, the reason in /health/ready)', async () => {
    const config = testConfig();
    const panel = generateSyntheticBars({ region: 'us', instruments: 20, years: 1, seed: 9 });
    const codecs = loadEventCodecs();
    const bus = new MemoryBus({ onError: () => undefined });
    const store = await EmbeddedStore.open({});
    await bus.connect();
    app = (await startServiceApp(
      FeaturesModule.forRoot(config, {
        backends: { bus, store, kind: { bus: 'memory', store: 'embedded' } },
        logger: silentLogger,
      }),
      0,
      silentLogger,
    )) as INestApplication;
    const port = (app.getHttpServer().address() as { port: number }).port;
    const get = async (path: string): Promise<{ status: number; text: string }> => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: res.status, text: await res.text() };
    };
    const json = async (path: string) => {
      const r = await get(path);
      return { status: r.status, body: JSON.parse(r.text) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    /** The value of the series `name` whose labels include `labels` (NaN if none). */
    const metric = async (name: string, labels: Record<string, string> = {}): Promise<number> => {
      const line = (await get('/metrics')).text
        .split('\n')
        .find(
          (l) =>
            (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) &&
            Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
        );
      return line === undefined ? NaN : Number(line.slice(line.lastIndexOf(' ') + 1));
    };

    expect(await json('/health/ready')).toEqual({ status: 200, body: { ready: true, reasons: [] } });
    await replayBars({ panel, region: config.region, sink: bus, ...codecReplayEncoders(codecs) });
    const last = panel.calendar[panel.calendar.length - 1];
    await waitFor(
      async () => (await json('/health')).body.components.features.last_date === last,
      'the last date on /health',
    );
    const health = await json('/health');
    expect(health.status).toBe(200);
    expect(health.body.components.features).toMatchObject({
      ok: true,
      ready: true,
      dates_processed: panel.calendar.length,
      last_date: last,
      last_revision: 0,
    });
    expect(await json('/health/live')).toEqual({ status: 200, body: { live: true, reasons: [] } });
    const features = { service: 'features', region: 'us' };
    expect(await metric('alphafeed_dates_processed_total', { ...features, kind: 'new' })).toBe(
      panel.calendar.length,
    );
    expect(await metric('alphafeed_bars_processed_total', { ...features, kind: 'new' })).toBe(panel.length);
    expect(await metric('alphafeed_eod_to_output_seconds_count', features)).toBe(panel.calendar.length);
    const lag = { group: 'alphafeed-us-features', topic: 'bars.daily.v1', partition: '0' };
    expect(await metric('alphafeed_consumer_lag_messages', lag)).toBe(0);
    expect(await metric('alphafeed_store_write_seconds_count', { table: 'features' })).toBeGreaterThan(0);
    expect(await metric('alphafeed_dependency_up', { dependency: 'store (embedded)' })).toBe(1);
    expect(await metric('process_resident_memory_bytes')).toBeGreaterThan(0);

    // The store goes away: the next batch cannot be written ahead, the consumer stops without committing.
    await store.close();
    await bus.publish(config.streaming.kafka.topics.bars, [
      {
        key: Buffer.from('X'),
        value: codecs.bar.encode({
          region: config.region,
          date: 20_000,
          instrument: 'X',
          open: 1,
          high: 1,
          low: 1,
          close: 1,
          volume: 1,
          amount: null,
          shares_out: null,
          factor: null,
          industry: 'Banks',
        }),
      },
    ]);
    // The consumer restarts itself with a capped backoff: the process stays live, readiness says why it is not ready.
    await waitFor(
      async () => (await get('/health/ready')).status === 503,
      '/health/ready to report the store outage',
    );
    expect((await get('/health/live')).status).toBe(200);
    const ready = await json('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/closed/)]));
    await waitFor(
      async () =>
        String(
          ((await json('/health')).body.components.features as { last_error?: string }).last_error,
        ).includes('closed'),
      'the consumer to report its failure',
    );
    expect((await get('/health/live')).status).toBe(200);
  });
});
