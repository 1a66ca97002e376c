/**
 * The DateConsumer (the whole bars path of a date-driven service, no Nest)
 * in both consumer modes on the MemoryBus and the embedded store, with a
 * processor that records what it is given: every date exactly once, in
 * order, with the panel's bars; a restart continues; a correction restates
 * the date and the later ones; a second replay changes nothing; in `shared`
 * mode two instances split the ingestion, one closes, and the standby takes
 * over when the closer stops.
 */
import { join } from 'node:path';
import { MemoryBus } from '@alphafeed/bus';
import { loadEventCodecs } from '@alphafeed/codec';
import { loadConfig, overrideConfig } from '@alphafeed/config';
import type { RegionConfig } from '@alphafeed/config';
import { dateOffsets, formatIsoDay, parseIsoDay } from '@alphafeed/core';
import type { BarPanel } from '@alphafeed/core';
import { silentLogger } from '@alphafeed/ops';
import { codecReplayEncoders, replayBars } from '@alphafeed/pipeline';
import { EmbeddedStore } from '@alphafeed/store';
import type { ClosedDate } from './closed-date';
import type { DateProcessor } from './closed-date.runner';
import { DateConsumer } from './date.consumer';
import { panelBar, smallPanel } from './fixtures.testing';

interface Step {
  readonly date: string;
  readonly position: number;
  readonly revision: number | null;
  readonly close: number[];
}

function recordingProcessor(steps: Step[]): DateProcessor {
  return {
    reset: () => undefined,
    step: async (closed: ClosedDate, position, _calendar, publish) => {
      steps.push({
        date: closed.date,
        position,
        revision: publish?.revision ?? null,
        close: Array.from(closed.close),
      });
      return publish === null ? 0 : closed.length;
    },
  };
}

const published = (steps: readonly Step[]): Step[] => steps.filter((s) => s.revision !== null);

async function until(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function configFor(consumers: 'single' | 'shared'): RegionConfig {
  const base = loadConfig(join(__dirname, '..', '..', '..', 'config', 'us.yaml'));
  return overrideConfig(base, { region: 'us', streaming: { consumers, eod_timeout_ms: 60_000 } }, 'test');
}

/** The panel's close column of date d, in instrument order (the rows are sorted by code). */
function closesOf(panel: BarPanel, d: number): number[] {
  const offsets = dateOffsets(panel.date, panel.calendar.length);
  return Array.from(panel.close.subarray(offsets[d], offsets[d + 1]));
}

describe.each<'single' | 'shared'>(['single', 'shared'])('DateConsumer, consumers: %s', (mode) => {
  const codecs = loadEventCodecs();
  let bus: MemoryBus;
  let store: EmbeddedStore;
  const consumers: DateConsumer[] = [];
  beforeEach(async () => {
    bus = new MemoryBus({ maxBatchSize: 6, onError: () => undefined });
    await bus.connect();
    store = await EmbeddedStore.open({});
  });
  afterEach(async () => {
    for (const c of consumers.splice(0)) await c.stop();
    await bus.close();
    await store.close();
  });

  const start = async (steps: Step[]): Promise<DateConsumer> => {
    const consumer = new DateConsumer({
      service: 'test',
      config: configFor(mode),
      bus,
      store,
      codecs,
      logger: silentLogger,
      tables: [],
    });
    consumers.push(consumer);
    await consumer.start(recordingProcessor(steps));
    return consumer;
  };
  const panel = smallPanel(12, 9);
  const usPanel = { ...panel };
  const replay = (range: { from?: string; to?: string } = {}) =>
    replayBars({
      panel: usPanel,
      region: 'us',
      sink: bus,
      ...codecReplayEncoders(codecs),
      batchSize: 4,
      ...range,
    });
  const T = panel.calendar.length;

  it('processes every date once, in order, with its bars; continues after a restart; replays idempotently; restates a correction', async () => {
    const first: Step[] = [];
    const a = await start(first);
    const others: Step[] = [];
    if (mode === 'shared') await start(others); // a second member: both ingest, one closes
    await replay({ to: panel.calendar[5] });
    await until(() => published(first).length + published(others).length === 6, 'the first six dates');
    const closer = published(first).length > 0 ? first : others;
    expect(published(closer).map((s) => [s.date, s.position, s.revision])).toEqual(
      panel.calendar.slice(0, 6).map((date, d) => [date, d, 0]),
    );
    published(closer).forEach((s, d) => expect(s.close).toEqual(closesOf(panel, d)));
    if (mode === 'shared') expect(published(closer === first ? others : first)).toEqual([]);
    if (mode === 'shared') expect(a.barsIngested).toBeGreaterThan(0);

    // Stop everything, publish the rest while down, start again: the archive and closed_dates carry on.
    for (const c of consumers.splice(0)) await c.stop();
    await replay({ from: panel.calendar[6] });
    const second: Step[] = [];
    const resumed = await start(second);
    await until(() => resumed.datesProcessed === T, 'every date after the restart');
    // The restart rebuilds the engine silently over the six processed dates, then publishes the rest.
    expect(second.slice(0, 6).map((s) => s.revision)).toEqual([null, null, null, null, null, null]);
    expect(published(second).map((s) => s.date)).toEqual(panel.calendar.slice(6));
    published(second).forEach((s, k) => expect(s.close).toEqual(closesOf(panel, 6 + k)));

    // Replaying everything again changes nothing.
    const before = second.length;
    await replay();
    const ends = (topic: string) => bus.endOffsets(topic);
    await until(
      () =>
        bus.committedOffsets(
          mode === 'shared' ? 'alphafeed-us-test-close' : 'alphafeed-us-test',
          'bars.eod.v1',
        )[0] === ends('bars.eod.v1')[0],
      'the second replay consumed',
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(second.length).toBe(before);
    // A correction of date 9: dates 9..11 are re-published with revision 1, the others not.
    const row = dateOffsets(panel.date, T)[9];
    const corrected = { ...panelBar(panel, row), region: 'us', close: 99, high: 100 };
    await bus.publish('bars.daily.v1', [
      { key: Buffer.from(corrected.instrument), value: codecs.bar.encode(corrected) },
    ]);
    await until(() => published(second).filter((s) => s.revision === 1).length === 3, 'the restatement');
    const restated = published(second).filter((s) => s.revision === 1);
    expect(restated.map((s) => s.date)).toEqual(panel.calendar.slice(9));
    expect(restated[0].close[0]).toBe(99);

    expect(formatIsoDay(resumed.lastDay as number)).toBe(panel.calendar[T - 1]);
    expect(resumed.report()).toMatchObject({ ok: true, dates_processed: T, open_dates: 0 });
  });

  if (mode === 'shared')
    it('hands the closing over to the standby when the closer stops', async () => {
      const steps = [[], []] as Step[][];
      const members = [await start(steps[0]), await start(steps[1])];
      await replay({ to: panel.calendar[3] });
      await until(() => members.some((m) => m.datesProcessed === 4), 'four dates');
      const closer = members.findIndex((m) => m.datesProcessed === 4);
      await members[closer].stop();
      await replay({ from: panel.calendar[4] });
      const standby = members[1 - closer];
      await until(() => standby.datesProcessed === T, 'the standby to finish');
      expect(published(steps[1 - closer]).map((s) => s.date)).toEqual(panel.calendar.slice(4));
      expect(parseIsoDay(panel.calendar[T - 1])).toBe(standby.lastDay);
    });
});
