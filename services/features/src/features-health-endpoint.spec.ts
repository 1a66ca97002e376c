/**
 * GET /health of the features service over HTTP: 200 with the last closed
 * date while consuming, 503 with the error once the consumer stopped (here:
 * the store became unwritable), so an orchestrator restarts it.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { MemoryBus } from '@alphafeed/bus';
import { loadEventCodecs } from '@alphafeed/codec';
import { generateSyntheticBars } from '@alphafeed/data';
import { codecReplayEncoders, replayBars } from '@alphafeed/pipeline';
import { EmbeddedStore } from '@alphafeed/store';
import { silentLogger } from '@alphafeed/ops';
import { startServiceApp } from '@alphafeed/runtime';
import { testConfig, waitFor } from '@alphafeed/stream-testing';
import { FeaturesModule } from './features.module';

describe('features service health endpoint', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close().catch(() => undefined);
  });

  it('answers 200 with progress, then 503 once the consumer stopped', async () => {
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
    const health = async (): Promise<{
      status: number;
      body: { ok: boolean; components: { features: Record<string, unknown> } };
    }> => {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      return { status: res.status, body: (await res.json()) as never };
    };

    await replayBars({ panel, region: config.region, sink: bus, ...codecReplayEncoders(codecs) });
    const last = panel.calendar[panel.calendar.length - 1];
    await waitFor(
      async () => (await health()).body.components.features.last_date === last,
      'the last date on /health',
    );
    const ok = await health();
    expect(ok.status).toBe(200);
    expect(ok.body.components.features).toMatchObject({
      ok: true,
      dates_processed: panel.calendar.length,
      last_date: last,
      last_revision: 0,
    });

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
    await waitFor(async () => (await health()).status === 503, '/health to report the stopped consumer');
    const down = await health();
    expect(down.body.ok).toBe(false);
    expect(String(down.body.components.features.error)).toMatch(/closed/);
  });
});
