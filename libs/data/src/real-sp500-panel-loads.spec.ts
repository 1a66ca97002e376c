import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadBars } from './load-bars';

const DIR = '/work/shared/data/us_sp500';
const present = existsSync(join(DIR, 'us_daily.csv.gz')) && existsSync(join(DIR, 'us_industry.csv'));
if (!present)
  console.warn(
    `SKIPPED: the real S&P 500 panel is not at ${DIR}; real-sp500-panel-loads.spec.ts did not run`,
  );
// describe.skip keeps the test visible as skipped in the report.
const describeIfPresent = present ? describe : describe.skip;

describeIfPresent('real S&P 500 panel (us_daily.csv.gz + us_industry.csv)', () => {
  it('loads as is: 619,015 rows, 505 instruments, 1,259 dates, no rejects', async () => {
    const res = await loadBars(
      { kind: 'csv', path: join(DIR, 'us_daily.csv.gz') },
      { region: 'us', industryTable: join(DIR, 'us_industry.csv') },
    );
    const p = res.panel;
    expect(p.length).toBe(619_015);
    expect(p.instruments.length).toBe(505);
    expect(p.calendar.length).toBe(1_259);
    expect(p.calendar[0]).toBe('2013-02-08');
    expect(p.calendar[p.calendar.length - 1]).toBe('2018-02-07');
    expect(res.rejects.rejected).toBe(0);
    expect(res.hasAmount).toBe(false);
    expect(p.industries).toContain('Unknown');
    expect(p.industries.length).toBe(126);
    // AAPL 2013-02-08, first row of the file for AAPL.
    const aapl = p.instruments.indexOf('AAPL');
    let row = -1;
    for (let i = 0; i < p.length && row < 0; i++) if (p.date[i] === 0 && p.instrument[i] === aapl) row = i;
    expect([p.open[row], p.high[row], p.low[row], p.close[row], p.volume[row]]).toEqual([
      67.7142, 68.4014, 66.8928, 67.8542, 158168416,
    ]);
    expect(p.industries[p.industry[row]]).toBe('Computer Hardware');
    for (let i = 1; i < p.length; i++) {
      if (
        p.date[i] < p.date[i - 1] ||
        (p.date[i] === p.date[i - 1] && p.instrument[i] <= p.instrument[i - 1])
      ) {
        throw new Error(`rows not sorted at ${i}`);
      }
    }
  });
});
