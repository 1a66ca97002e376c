import { EMPTY, from, lastValueFrom, toArray } from 'rxjs';
import type { BarEvent } from './events';
import { Checkpoint } from './checkpoint';
import type { DeadLetter, MarketEvent, Routed } from './events';
import { bar, barEvent, eodEvent, message } from './fixtures.testing';
import { validateBars } from './validate-bars.operator';

const run = (inputs: (Routed<MarketEvent> | Checkpoint)[], industryFromTable = false) =>
  lastValueFrom(from(inputs).pipe(validateBars({ regions: ['US', 'CN'], industryFromTable }), toArray()));

const ok = (value: MarketEvent): Routed<MarketEvent> => ({ kind: 'ok', value });

describe('validateBars', () => {
  it('completes on an empty source', async () => {
    expect(await lastValueFrom(EMPTY.pipe(validateBars({ regions: ['US'] }), toArray()))).toEqual([]);
  });

  it('passes valid bars without a factor, markers, checkpoints and earlier dead letters unchanged', async () => {
    const cp = new Checkpoint(() => undefined);
    const earlier: Routed<MarketEvent> = {
      kind: 'dead',
      letter: { reason: 'undecodable', code: 'DECODE_FAILED', detail: '' },
    };
    const inputs = [
      ok(barEvent('2024-01-02', 'A')),
      ok(barEvent('2024-01-02', 'B', 5, { amount: 0, shares_out: 0, region: 'CN' })),
      ok(eodEvent('2024-01-02', 0)),
      cp,
      earlier,
    ];
    const out = await run(inputs);
    expect(out).toEqual(inputs);
    expect(out[0]).toBe(inputs[0]);
  });

  it('applies the factor once, at admission: OHLC x factor, volume / factor, factor null after it (SPEC §1)', async () => {
    const raw = barEvent('2024-01-02', 'B', 5, { amount: 7, shares_out: 9, factor: 0.3, region: 'CN' });
    const source = message('bars.daily.v1', 'raw', 3);
    const [out] = await run([{ kind: 'ok', value: raw, source }]);
    const b = raw.kind === 'bar' ? raw.bar : (undefined as never);
    expect(out).toEqual({
      kind: 'ok',
      source,
      value: {
        kind: 'bar',
        bar: {
          ...b,
          open: b.open * 0.3,
          high: b.high * 0.3,
          low: b.low * 0.3,
          close: b.close * 0.3,
          volume: b.volume / 0.3,
          amount: 7,
          shares_out: 9,
          factor: null,
        },
      },
    });
  });

  it('dead-letters markers dated outside the admitted dates', async () => {
    const [old, future] = await run([ok(eodEvent('1899-12-31', 3)), ok(eodEvent('2100-01-04', 3))]);
    for (const out of [old, future]) {
      expect(out).toMatchObject({
        kind: 'dead',
        letter: { reason: 'invalid_eod', code: 'date_out_of_range' },
      });
    }
  });

  const cases: [string, Partial<BarEvent>, string][] = [
    ['an unknown region', { region: 'XX' }, 'unknown_region/unknown_region'],
    ['a non-integer date', { date: 19724.5 }, 'invalid_bar/bad_date'],
    ['an empty instrument', { instrument: '' }, 'invalid_bar/bad_instrument'],
    ['an empty industry', { industry: '' }, 'invalid_bar/no_industry'],
    ['a null industry without a table', { industry: null }, 'invalid_bar/no_industry'],
    ['a NaN open', { open: NaN }, 'invalid_bar/price_not_positive_finite'],
    ['an infinite high', { high: Infinity }, 'invalid_bar/price_not_positive_finite'],
    ['a zero low', { low: 0 }, 'invalid_bar/price_not_positive_finite'],
    ['a negative close', { close: -1 }, 'invalid_bar/price_not_positive_finite'],
    ['high below low', { high: 8, low: 9, open: 8.5, close: 8.5 }, 'invalid_bar/high_below_low'],
    ['close above high', { close: 12 }, 'invalid_bar/ohlc_inconsistent'],
    ['a NaN volume', { volume: NaN }, 'invalid_bar/volume_negative_or_nan'],
    ['a negative volume', { volume: -1 }, 'invalid_bar/volume_negative_or_nan'],
    ['a negative amount', { amount: -5 }, 'invalid_bar/amount_or_shares_out_negative'],
    ['an infinite shares_out', { shares_out: Infinity }, 'invalid_bar/amount_or_shares_out_negative'],
    ['a date in 2100', { date: 47482 }, 'invalid_bar/date_out_of_range'],
    [
      'a 999,000-character instrument',
      { instrument: 'A'.repeat(999_000) },
      'invalid_bar/instrument_not_allowed',
    ],
    ['a price of 1e12', { open: 1e12, high: 1e12, low: 1e12, close: 1e12 }, 'invalid_bar/value_out_of_range'],
    ['a zero factor', { factor: 0 }, 'invalid_bar/factor_not_positive_finite'],
  ];

  it.each(cases)(
    'dead-letters a bar with %s, keeping its source and event',
    async (_name, overrides, expected) => {
      const event: MarketEvent = { kind: 'bar', bar: bar('2024-01-02', 'A', 10, overrides) };
      const source = message('bars.daily.v1', 'raw', 9);
      const [out] = await run([{ kind: 'ok', value: event, source }]);
      expect(out).toMatchObject({ kind: 'dead' });
      const letter = (out as { letter: DeadLetter }).letter;
      expect(`${letter.reason}/${letter.code}`).toBe(expected);
      expect(letter.source).toBe(source);
      expect(letter.event).toBe(event);
      expect(letter.detail).toMatch(/^bar "(|A|A{64}…)" (\d{4}-\d{2}-\d{2}|19724.5): /);
      expect(letter.detail.length).toBeLessThan(1000);
    },
  );

  it('accepts a null industry when the industry comes from a table', async () => {
    const [out] = await run([ok(barEvent('2024-01-02', 'A', 10, { industry: null }))], true);
    expect(out).toMatchObject({ kind: 'ok' });
  });

  it.each([
    ['an unknown region', eodEvent('2024-01-02', 1, 'XX'), 'unknown_region/UNKNOWN_REGION'],
    ['a negative bar_count', eodEvent('2024-01-02', -1), 'invalid_eod/INVALID_BAR_COUNT'],
    ['a fractional bar_count', eodEvent('2024-01-02', 2.5), 'invalid_eod/INVALID_BAR_COUNT'],
    ['a NaN date', eodEvent('not a date', 2), 'invalid_eod/INVALID_DATE'],
  ])('dead-letters a marker with %s', async (_name, event, expected) => {
    const [out] = await run([ok(event)]);
    const letter = (out as { letter: DeadLetter }).letter;
    expect(`${letter.reason}/${letter.code}`).toBe(expected);
  });
});
