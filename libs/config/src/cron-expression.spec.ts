import { cronFixedTime, cronProblem, cronSchedule } from './cron-expression';

const HINT = 'write 5 fields (minute hour day-of-month month day-of-week), e.g. "30 17 * * 1-5"';

describe('training.schedule cron expressions (croner, 5 fields)', () => {
  it.each([
    '30 17 * * 1-5',
    '0 16 * * mon-fri',
    '*/15 9-17 * * 1,3,5',
    '0 0 1 jan *',
    '5 4 * * 7',
    '0 6 1-31/2 * *',
  ])('accepts %s', (expr) => {
    expect(cronProblem(expr)).toBeNull();
  });

  it.each([
    ['', '(it has 0 fields)'],
    ['0 30 17 * * 1-5', '(it has 6 fields)'],
    ['60 17 * * *', 'Invalid value for minute: 60'],
    ['0 0 0 * *', 'Invalid value for day'],
    ['0 0 * 13 *', 'Invalid value for month'],
    ['0 0 * * 8', 'Invalid value for dayOfWeek: 8'],
    ['0 0 * * 5-1', "From value is larger than to value: '5-1'"],
    ['*/0 * * * *', 'illegal stepping: 0'],
    ['@daily * * * *', 'contains illegal characters'],
  ])('rejects %j with the reason and the hint', (expr, reason) => {
    const problem = cronProblem(expr);
    expect(problem).toContain(reason);
    expect(problem).toMatch(/^not a cron expression \(/);
    expect(problem?.endsWith(HINT)).toBe(true);
  });

  it('reads the fixed firing time in the exchange zone; null when it fires at several times of day', () => {
    expect(cronFixedTime('30 17 * * 1-5', 'America/New_York')).toEqual({ hour: 17, minute: 30 });
    expect(cronFixedTime('30 16 * * 1-5', 'Asia/Shanghai')).toEqual({ hour: 16, minute: 30 });
    expect(cronFixedTime('*/5 17 * * *')).toBeNull();
    expect(cronFixedTime('0 9-17 * * *')).toBeNull();
    expect(cronFixedTime('not cron')).toBeNull();
  });

  // The scenarios of the trainer's former hand-written matcher, now against the library's next-run computation.
  it('fires 17:30 New York on weekdays only, across the DST change', () => {
    const cron = cronSchedule('30 17 * * 1-5', 'America/New_York');
    // Fri 20 Nov 2026 17:30 EST, then Mon 23 Nov (the weekend skipped).
    expect(cron.nextRuns(2, new Date('2026-11-20T22:00:00Z')).map((d) => d.toISOString())).toEqual([
      '2026-11-20T22:30:00.000Z',
      '2026-11-23T22:30:00.000Z',
    ]);
    // Wed 15 Jul 2026 17:30 EDT (UTC-4).
    expect(cron.nextRun(new Date('2026-07-15T20:00:00Z'))?.toISOString()).toBe('2026-07-15T21:30:00.000Z');
    // Over the switch back to standard time (Sun 1 Nov 2026): Fri 30 Oct at 21:30 UTC, Mon 2 Nov at 22:30 UTC.
    expect(cron.nextRuns(2, new Date('2026-10-30T12:00:00Z')).map((d) => d.toISOString())).toEqual([
      '2026-10-30T21:30:00.000Z',
      '2026-11-02T22:30:00.000Z',
    ]);
  });

  it('handles lists, steps, names, Sunday as 7, and day-of-month OR day-of-week', () => {
    const next = (expr: string, from: string): string | undefined =>
      cronSchedule(expr, 'UTC').nextRun(new Date(from))?.toISOString();
    expect(next('*/15 * * * *', '2026-01-01T10:31:00Z')).toBe('2026-01-01T10:45:00.000Z');
    expect(next('0 9 * jan sun', '2026-01-01T00:00:00Z')).toBe('2026-01-04T09:00:00.000Z'); // first Sunday of Jan 2026
    expect(next('0 9 * * 7', '2026-01-01T00:00:00Z')).toBe('2026-01-04T09:00:00.000Z');
    // Vixie cron: both restricted → either matches; Thu 15 Jan (dom 15) comes before Mon 19 Jan.
    expect(next('0 9 1,15 * mon', '2026-01-13T00:00:00Z')).toBe('2026-01-15T09:00:00.000Z');
    expect(next('0 9 1,15 * mon', '2026-01-16T00:00:00Z')).toBe('2026-01-19T09:00:00.000Z');
    expect(() => cronSchedule('0 25 * * *', 'UTC')).toThrow(/hour: 25/);
  });
});
