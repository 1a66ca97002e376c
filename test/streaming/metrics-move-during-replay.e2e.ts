/**
 * A running features service on real Kafka and QuestDB, scraped over HTTP as
 * Prometheus would: `/metrics` counters move while a replay is consumed
 * (dates, bars, marker → output, store writes), the consumer lag per
 * partition drops to zero, both dependencies are up, and `/health/ready`
 * answers 200. Region cn with its own topics (the other specs share the
 * servers).
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { KafkaBus } from '@alphafeed/bus';
import { generateSyntheticBars } from '@alphafeed/data';
import { replayPanel, startServices } from '@alphafeed/service-cli';
import type { RunningServices } from '@alphafeed/service-cli';
import { env, unique, until } from '../infra/poll';
import { dropServiceTables } from '../infra/questdb-tables';
import { flowConfig } from './streaming.flow';

/** Series of `name` with all of `labels`, summed (NaN when none). */
function value(exposition: string, name: string, labels: Record<string, string> = {}): number {
  let sum = NaN;
  for (const line of exposition.split('\n')) {
    if (!(line.startsWith(`${name}{`) || line.startsWith(`${name} `))) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum = (Number.isNaN(sum) ? 0 : sum) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

describe('metrics of a running service on Kafka + QuestDB', () => {
  let running: RunningServices | null = null;
  let bus: KafkaBus | null = null;
  afterEach(async () => {
    await bus?.close();
    await running?.close();
  });

  it('counters move during a replay; lag drops to zero; dependencies up; ready', async () => {
    await dropServiceTables(env('ALPHAFEED_QUESTDB_URL'));
    const config = flowConfig({
      region: 'cn',
      kafka: { brokers: env('ALPHAFEED_KAFKA_BROKERS').split(','), questdbUrl: env('ALPHAFEED_QUESTDB_URL') },
      instruments: 40,
      years: 1,
      trees: 5,
    });
    const panel = generateSyntheticBars({
      region: 'cn',
      instruments: 40,
      years: 1,
      seed: 5,
      startDate: '2016-01-01',
    });
    const T = panel.calendar.length;
    const half = Math.floor(T / 2);
    running = await startServices(config, { only: ['features'], basePort: 0 });
    const app = running.apps.features as INestApplication;
    const port = (app.getHttpServer().address() as { port: number }).port;
    const scrape = async (): Promise<string> => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const dates = (text: string) => value(text, 'alphafeed_dates_processed_total', { service: 'features' });
    bus = new KafkaBus({ brokers: config.streaming.kafka.brokers, clientId: unique('e2e-metrics') });
    await bus.connect();

    await replayPanel(bus, config, panel, { to: panel.calendar[half - 1], quiet: true });
    const first = await until('the first half on /metrics', scrape, (t) => dates(t) === half, 180_000);
    expect(value(first, 'alphafeed_bars_processed_total', { service: 'features' })).toBeGreaterThan(0);
    expect(value(first, 'alphafeed_eod_to_output_seconds_count')).toBe(half);
    expect(value(first, 'alphafeed_store_write_seconds_count', { table: 'bars_ahead' })).toBeGreaterThan(0);
    expect(value(first, 'alphafeed_dependency_up', { dependency: 'bus (kafka)' })).toBe(1);
    expect(value(first, 'alphafeed_dependency_up', { dependency: 'store (questdb)' })).toBe(1);

    await replayPanel(bus, config, panel, { from: panel.calendar[half], quiet: true });
    const second = await until('every date on /metrics', scrape, (t) => dates(t) === T, 180_000);
    expect(value(second, 'alphafeed_bars_processed_total', { service: 'features' })).toBe(panel.length);
    expect(value(second, 'alphafeed_bars_processed_total', { service: 'features' })).toBeGreaterThan(
      value(first, 'alphafeed_bars_processed_total', { service: 'features' }),
    );
    expect(value(second, 'alphafeed_eod_to_output_seconds_count')).toBe(T);
    // Lag per partition of the bars topic (3 partitions) and the marker topic; zero once everything is committed.
    const bars = config.streaming.kafka.topics.bars;
    const lagged = await until(
      'the consumer lag to drop to zero',
      scrape,
      (t) => value(t, 'alphafeed_consumer_lag_messages', { topic: bars }) === 0,
      60_000,
    );
    for (const partition of ['0', '1', '2'])
      expect(value(lagged, 'alphafeed_consumer_lag_messages', { topic: bars, partition })).toBe(0);
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
    expect(ready.status).toBe(200);
  });
});
