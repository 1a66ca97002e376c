/**
 * Issue 9 "bounded input" as admission rules, the same for a file row and a
 * stream bar: dates outside [min_date, today in the exchange zone + 1],
 * instrument codes failing the length limit or pattern, values above their
 * maxima, text in numeric fields. A refused code is never stored.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIsoDay } from '@alphafeed/core';
import { BarAdmission, BarRecord, todayIn } from './bar-admission';
import type { IncomingBar } from './bar-admission';
import { loadBars } from './load-bars';
import { tempDir } from './test-helpers';

/** 2026-06-30 23:30 UTC: already 07-01 in Shanghai, still 06-30 in New York. */
const NOW = Date.UTC(2026, 5, 30, 23, 30);
const day = (iso: string): number => parseIsoDay(iso);

const good = (over: Partial<Record<keyof IncomingBar, unknown>> = {}): IncomingBar => ({
  date: day('2026-06-30'),
  instrument: 'AAPL',
  industry: 'Tech',
  open: 10,
  high: 11,
  low: 9,
  close: 10.5,
  volume: 1000,
  amount: null,
  shares_out: null,
  factor: null,
  ...over,
});

describe('bar admission bounds its input (issue 9)', () => {
  it('takes "today" in the exchange zone: +1 day allowed, +2 refused', () => {
    expect(todayIn('Asia/Shanghai', NOW)).toBe(day('2026-07-01'));
    expect(todayIn('America/New_York', NOW)).toBe(day('2026-06-30'));
    const cn = new BarAdmission({ timezone: 'Asia/Shanghai', now: () => NOW });
    const us = new BarAdmission({ timezone: 'America/New_York', now: () => NOW });
    const rec = new BarRecord();
    expect(cn.admitEvent(good({ date: day('2026-07-02') }), rec)).toBeNull();
    expect(us.admitEvent(good({ date: day('2026-07-02') }), rec)).toBe('date_out_of_range');
    expect(us.admitEvent(good({ date: day('2026-07-01') }), rec)).toBeNull();
    expect(us.admitEvent(good({ date: day('2100-01-04') }), rec)).toBe('date_out_of_range');
    expect(us.admitEvent(good({ date: day('1899-12-31') }), rec)).toBe('date_out_of_range');
    expect(us.admitEvent(good({ date: 20000.5 }), rec)).toBe('bad_date');
    const unbounded = new BarAdmission({ limits: { maxDaysAhead: null }, now: () => NOW });
    expect(unbounded.admitEvent(good({ date: day('2100-01-04') }), rec)).toBeNull();
  });

  it.each([
    ['an empty code', { instrument: '' }, 'bad_instrument'],
    ['a code of 999,000 characters', { instrument: 'A'.repeat(999_000) }, 'instrument_not_allowed'],
    ['a code of 33 characters', { instrument: 'A'.repeat(33) }, 'instrument_not_allowed'],
    ['a code with a space', { instrument: 'BRK B' }, 'instrument_not_allowed'],
    ['a code with a comma', { instrument: 'A,B' }, 'instrument_not_allowed'],
    ['text in a price', { close: '10.5' }, 'bad_number'],
    ['a number as the instrument', { instrument: 42 }, 'bad_instrument'],
    ['a price of 1e12', { open: 1e12, high: 1e12, low: 1e12, close: 1e12 }, 'value_out_of_range'],
    ['a volume of 1e14', { volume: 1e14 }, 'value_out_of_range'],
    ['an amount of 1e17', { amount: 1e17 }, 'value_out_of_range'],
    ['shares_out of 1e14', { shares_out: 1e14 }, 'value_out_of_range'],
    ['a factor of 1e7', { factor: 1e7 }, 'value_out_of_range'],
    ['a factor of 1e-7', { factor: 1e-7 }, 'value_out_of_range'],
    ['an industry name of 10,000 characters', { industry: 'x'.repeat(10_000) }, 'value_out_of_range'],
    ['an empty industry', { industry: '' }, 'no_industry'],
    ['a zero low', { low: 0 }, 'price_not_positive_finite'],
    ['high below low', { high: 8, low: 9, open: 8.5, close: 8.5 }, 'high_below_low'],
    ['a negative volume', { volume: -1 }, 'volume_negative_or_nan'],
    ['a zero factor', { factor: 0 }, 'factor_not_positive_finite'],
  ])('refuses %s as %s', (_label, over, reason) => {
    const admission = new BarAdmission({ now: () => NOW });
    expect(admission.admitEvent(good(over), new BarRecord())).toBe(reason);
    expect(admission.instruments.every((code) => code.length <= 32)).toBe(true);
    expect(admission.industries.every((name) => name.length <= 128)).toBe(true);
  });

  it('applies the factor and resolves the industry once admitted', () => {
    const admission = new BarAdmission({ now: () => NOW });
    const rec = new BarRecord();
    expect(admission.admitEvent(good({ factor: 2, volume: 1000 }), rec)).toBeNull();
    expect([rec.open, rec.high, rec.low, rec.close, rec.volume]).toEqual([20, 22, 18, 21, 500]);
    expect(admission.industries[rec.industry]).toBe('Tech');
    expect(admission.instruments[rec.instrument]).toBe('AAPL');
    const later = new BarAdmission({ now: () => NOW, industryResolvedLater: true });
    expect(later.admitEvent(good({ industry: null }), rec)).toBeNull();
    expect(new BarAdmission({ now: () => NOW }).admitEvent(good({ industry: null }), rec)).toBe(
      'no_industry',
    );
  });

  it('refuses the same rows in a CSV file, with the reasons in the rejects file', async () => {
    const tmp = tempDir('admission');
    try {
      const path = join(tmp.dir, 'bars.csv');
      const long = 'X'.repeat(5000);
      writeFileSync(
        path,
        'date,instrument,open,high,low,close,volume,industry\n' +
          '2020-01-02,AAA,10,11,9,10,100,Tech\n' +
          '2100-01-04,AAA,10,11,9,10,100,Tech\n' +
          `2020-01-02,${long},10,11,9,10,100,Tech\n` +
          '2020-01-02,BB B,10,11,9,10,100,Tech\n' +
          '2020-01-03,AAA,10,2e9,9,10,100,Tech\n' +
          '2020-01-06,AAA,10,11,9,10,1e14,Tech\n' +
          '1850-01-02,AAA,10,11,9,10,100,Tech\n',
      );
      const rejectsPath = join(tmp.dir, 'rejects.csv');
      const res = await loadBars({ kind: 'csv', path }, { region: 'us', maxRejectRatio: 1, rejectsPath });
      expect(res.panel.length).toBe(1);
      expect(res.panel.instruments).toEqual(['AAA']);
      expect(res.rejects.byReason).toMatchObject({
        date_out_of_range: 2,
        instrument_not_allowed: 2,
        value_out_of_range: 2,
      });
      const reasons = readFileSync(rejectsPath, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',').slice(0, 2).join(','));
      expect(reasons).toEqual([
        '3,date_out_of_range',
        '4,instrument_not_allowed',
        '5,instrument_not_allowed',
        '6,value_out_of_range',
        '7,value_out_of_range',
        '8,date_out_of_range',
      ]);
    } finally {
      tmp.cleanup();
    }
  });

  it('refuses bad limits with the key and the value', () => {
    expect(() => new BarAdmission({ limits: { instrumentPattern: '([' } })).toThrow(
      /instrumentPattern .* is not a regular expression/,
    );
    expect(() => new BarAdmission({ limits: { minFactor: 2, maxFactor: 1 } })).toThrow(
      /minFactor 2 is above maxFactor 1/,
    );
    expect(() => new BarAdmission({ limits: { maxDaysAhead: -1 } })).toThrow(
      /maxDaysAhead must be an integer >= 0 or null/,
    );
    expect(() => new BarAdmission({ timezone: 'Mars/Olympus' })).toThrow(/unknown time zone "Mars\/Olympus"/);
  });
});
