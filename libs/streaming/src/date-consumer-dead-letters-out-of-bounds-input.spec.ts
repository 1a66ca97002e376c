/**
 * Input beyond the admission bounds (issue 9 "bounded input") reaches the
 * dead-letter topic with a reason and never the archive, in both consumer
 * modes, and the consumer keeps closing dates: dates before the calendar and
 * after today + 1 (bars and markers), instrument codes failing the pattern,
 * values out of range, a message over the size limit.
 */
import { join } from 'node:path';
import { MemoryBus } from '@alphafeed/bus';
import { loadEventCodecs } from '@alphafeed/codec';
import type { BarEvent } from '@alphafeed/codec';
import { loadConfig, overrideConfig } from '@alphafeed/config';
import type { RegionConfig } from '@alphafeed/config';
import { parseIsoDay } from '@alphafeed/core';
import { silentLogger } from '@alphafeed/ops';
import { codecReplayEncoders, replayBars } from '@alphafeed/pipeline';
import { EmbeddedStore } from '@alphafeed/store';
import type { DateProcessor } from './closed-date.runner';
import { DateConsumer } from './date.consumer';
import { panelBar, smallPanel } from './fixtures.testing';
import { BARS_TABLE, MARKERS_TABLE } from './tables';

function configFor(consumers: 'single' | 'shared'): RegionConfig {
  const base = loadConfig(join(__dirname, '..', '..', '..', 'config', 'us.yaml'));
  return overrideConfig(base, { region: 'us', streaming: { consumers, eod_timeout_ms: 60_000 } }, 'test');
}

async function until(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe.each<'single' | 'shared'>(['single', 'shared'])('DateConsumer with out-of-bounds input, consumers: %s', (mode) => {
  const codecs = loadEventCodecs();

  it('dead-letters every bad message with a reason, archives none of them, and keeps closing dates', async () => {
    const bus = new MemoryBus({ maxBatchSize: 5, onError: () => undefined });
    await bus.connect();
    const store = await EmbeddedStore.open({});
    const panel = smallPanel(8, 5);
    const processed: string[] = [];
    const processor: DateProcessor = {
      reset: () => undefined,
      step: (closed, _p, _c, publish) => {
        if (publish !== null) processed.push(closed.date);
        return Promise.resolve(closed.length);
      },
    };
    const consumer = new DateConsumer({
      service: 'test',
      config: configFor(mode),
      bus,
      store,
      codecs,
      logger: silentLogger,
      tables: [],
    });
    try {
      await consumer.start(processor);
      const letters: { topic: string; reason: string }[] = [];
      await bus.subscribe(
        { groupId: 'dlq-reader', topics: ['bars.daily.v1.dlq', 'bars.eod.v1.dlq'], fromBeginning: true },
        async (batch) => {
          for (const m of batch) letters.push({ topic: m.topic, reason: codecs.deadLetter.decode(m.value).reason });
          return Promise.resolve();
        },
      );
      const replay = (range: { from?: string; to?: string }) =>
        replayBars({ panel, region: 'us', sink: bus, ...codecReplayEncoders(codecs), batchSize: 4, ...range });
      await replay({ to: panel.calendar[3] });
      const base: BarEvent = { ...panelBar(panel, 0), region: 'us', date: parseIsoDay(panel.calendar[4]) };
      const bad: [string, Partial<BarEvent>][] = [
        ['date before 1900', { date: parseIsoDay('1900-01-02') - 17 }],
        ['date in 2100', { date: parseIsoDay('2100-01-04') }],
        ['instrument too long', { instrument: `X${'A'.repeat(40)}` }],
        ['instrument with a space', { instrument: 'A B' }],
        ['empty instrument', { instrument: '' }],
        ['negative volume', { volume: -3 }],
        ['NaN close', { close: Number.NaN }],
        ['negative factor', { factor: -0.5 }],
        ['over 64 KiB', { industry: 'I'.repeat(66_000) }],
      ];
      await bus.publish(
        'bars.daily.v1',
        bad.map(([, b]) => ({ key: Buffer.from('FUZZ'), value: codecs.bar.encode({ ...base, ...b }) })),
      );
      const markers = [parseIsoDay('1900-01-02') - 5, parseIsoDay('2100-01-04') + 3].map((date) => ({
        key: Buffer.from('us'),
        value: codecs.endOfDay.encode({ region: 'us', date, bar_count: 5 }),
      }));
      await bus.publish('bars.eod.v1', markers);
      await replay({ from: panel.calendar[4] });
      await until(() => processed.length === panel.calendar.length, 'every date closed');
      expect(processed).toEqual(panel.calendar);
      await until(() => letters.length >= bad.length + 2, 'the dead letters');
      await new Promise((r) => setTimeout(r, 50));
      expect(letters.filter((l) => l.topic === 'bars.daily.v1.dlq').length).toBe(bad.length);
      expect(letters.filter((l) => l.topic === 'bars.eod.v1.dlq').length).toBe(2);
      for (const l of letters) expect(l.reason.trim()).not.toBe('');
      const archived = await store.read(BARS_TABLE.name, { region: 'us' });
      const known = new Set(panel.instruments);
      const calendar = new Set(panel.calendar.map(parseIsoDay));
      for (let r = 0; r < archived.length; r++) {
        expect(known.has(archived.instruments[archived.instrument[r]])).toBe(true);
        expect(calendar.has(archived.date[r])).toBe(true);
      }
      const archivedMarkers = await store.read(MARKERS_TABLE.name, { region: 'us' });
      for (let r = 0; r < archivedMarkers.length; r++) expect(calendar.has(archivedMarkers.date[r])).toBe(true);
      expect(consumer.report()).toMatchObject({ ok: true, ready: true, restarts: 0 });
    } finally {
      await consumer.stop();
      await bus.close();
      await store.close();
    }
  });
});
