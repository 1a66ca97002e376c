/**
 * Messages every bar consumer must dead-letter (issue 9 "bounded input"):
 * random bytes, truncated Avro, wrong schema fingerprints, a wrong magic, and
 * well-formed Avro whose values are beyond the limits — non-finite and
 * negative prices, high < low, negative volume, dates far in the future and
 * before the calendar, instrument codes that fail `^[A-Za-z0-9._-]{1,32}$`
 * (too long, bad characters, empty, 800,000 characters), messages over the
 * 64 KiB size limit, another region. Values *at* a limit are valid input and
 * would change the output, so they belong to admitBar's unit tests, not here.
 * Seeded: the same messages on every run.
 */
import type { BarEvent, EndOfDayEvent, EventCodecs } from '@alphafeed/codec';
import { Rng } from '@alphafeed/core';
import { parseIsoDay } from '@alphafeed/core';

export interface FuzzMessage {
  readonly key: Buffer | null;
  readonly value: Buffer;
  /** What is wrong with it, for messages. */
  readonly kind: string;
}

const FAR_FUTURE = parseIsoDay('2100-01-04');
const LONG_PAST = parseIsoDay('1900-01-02');

export function fuzzBars(codecs: EventCodecs, base: BarEvent, count: number, seed: number): FuzzMessage[] {
  const rng = new Rng(seed);
  const valid = (b: Partial<BarEvent>): Buffer => codecs.bar.encode({ ...base, ...b });
  const cases: ((i: number) => FuzzMessage)[] = [
    () => randomBytes(rng, 'random bytes'),
    () => {
      const whole = valid({});
      return { key: null, value: whole.subarray(0, 1 + rng.int(whole.length - 1)), kind: 'truncated avro' };
    },
    () => wrongFingerprint(rng, valid({})),
    () => ({
      key: null,
      value: Buffer.concat([Buffer.from([0xc3, 0x02]), valid({}).subarray(2)]),
      kind: 'wrong magic',
    }),
    () => bar(valid({ close: Number.NaN }), 'NaN close'),
    () => bar(valid({ open: Number.POSITIVE_INFINITY }), 'infinite open'),
    () => bar(valid({ low: -1 - rng.uniform() }), 'negative low'),
    () => bar(valid({ high: base.low * 0.5 }), 'high below low'),
    () => bar(valid({ volume: -1 - rng.int(1000) }), 'negative volume'),
    () => bar(valid({ factor: -0.5 }), 'negative factor'),
    () => bar(valid({ shares_out: -5 }), 'negative shares_out'),
    () => bar(valid({ amount: Number.NEGATIVE_INFINITY }), 'infinite amount'),
    () => bar(valid({ date: FAR_FUTURE + rng.int(1000) }), 'date in 2100'),
    () => bar(valid({ date: LONG_PAST - rng.int(1000) }), 'date before 1900'),
    () =>
      bar(valid({ instrument: `X${'A'.repeat(32 + rng.int(40))}` }), 'instrument code over 32 characters'),
    () =>
      bar(
        valid({ instrument: ['A B', '../etc', 'Ä1', 'a;b', 'x\n'][rng.int(5)] }),
        'instrument code with bad characters',
      ),
    () => bar(valid({ instrument: '' }), 'empty instrument code'),
    // One huge string (the 999,000-character code, kept under the 900 kB produce request of KafkaBus), the rest just over 64 KiB.
    (i) =>
      i < 20
        ? bar(valid({ instrument: 'H'.repeat(800_000) }), 'instrument code of 800,000 characters')
        : i % 40 < 20
          ? bar(valid({ instrument: `FZ${i}${'q'.repeat(66_000)}` }), 'message over 64 KiB (instrument)')
          : bar(valid({ industry: 'I'.repeat(66_000) }), 'message over 64 KiB (industry)'),
    () => bar(valid({ region: 'cn' }), 'another region'),
  ];
  return Array.from({ length: count }, (_, i) => cases[i % cases.length](i));
}

export function fuzzMarkers(
  codecs: EventCodecs,
  base: EndOfDayEvent,
  count: number,
  seed: number,
): FuzzMessage[] {
  const rng = new Rng(seed);
  const valid = (e: Partial<EndOfDayEvent>): Buffer => codecs.endOfDay.encode({ ...base, ...e });
  const marker = (value: Buffer, kind: string): FuzzMessage => ({ key: Buffer.from('us'), value, kind });
  const cases: ((i: number) => FuzzMessage)[] = [
    () => randomBytes(rng, 'random bytes'),
    () => {
      const whole = valid({});
      return { key: null, value: whole.subarray(0, 1 + rng.int(whole.length - 1)), kind: 'truncated avro' };
    },
    () => wrongFingerprint(rng, valid({})),
    () => marker(valid({ date: FAR_FUTURE + rng.int(1000) }), 'marker in 2100'),
    () => marker(valid({ date: LONG_PAST - rng.int(1000) }), 'marker before 1900'),
    () => marker(valid({ bar_count: -1 - rng.int(100) }), 'negative bar_count'),
    () => marker(valid({ region: 'cn' }), 'another region'),
    () => marker(valid({ region: 'r'.repeat(66_000) }), 'marker over 64 KiB'),
  ];
  return Array.from({ length: count }, (_, i) => cases[i % cases.length](i));
}

function bar(value: Buffer, kind: string): FuzzMessage {
  return { key: Buffer.from('FUZZ'), value, kind };
}

function randomBytes(rng: Rng, kind: string): FuzzMessage {
  const n = rng.int(200);
  const value = Buffer.alloc(n);
  for (let i = 0; i < n; i++) value[i] = rng.int(256);
  return { key: null, value, kind };
}

function wrongFingerprint(rng: Rng, message: Buffer): FuzzMessage {
  const value = Buffer.from(message);
  for (let i = 2; i < 10; i++) value[i] = rng.int(256);
  return { key: null, value, kind: 'wrong fingerprint' };
}
