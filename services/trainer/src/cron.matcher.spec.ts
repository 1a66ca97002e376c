import { CronMatcher } from './cron.matcher';

describe('CronMatcher', () => {
  it('fires 17:30 New York on weekdays only, across the DST change', () => {
    const cron = new CronMatcher('30 17 * * 1-5', 'America/New_York');
    expect(cron.matches(new Date('2026-11-20T22:30:00Z'))).toBe(true); // Fri 17:30 EST
    expect(cron.matches(new Date('2026-11-21T22:30:00Z'))).toBe(false); // Sat
    expect(cron.matches(new Date('2026-11-20T22:31:00Z'))).toBe(false);
    expect(cron.matches(new Date('2026-07-15T21:30:00Z'))).toBe(true); // Wed 17:30 EDT
    expect(cron.matches(new Date('2026-07-15T22:30:00Z'))).toBe(false);
  });

  it('handles lists, steps, names and Sunday as 7', () => {
    expect(new CronMatcher('*/15 * * * *', 'UTC').matches(new Date('2026-01-01T10:45:00Z'))).toBe(true);
    expect(new CronMatcher('*/15 * * * *', 'UTC').matches(new Date('2026-01-01T10:46:00Z'))).toBe(false);
    expect(new CronMatcher('0 9 * jan sun', 'UTC').matches(new Date('2026-01-04T09:00:00Z'))).toBe(true);
    expect(new CronMatcher('0 9 * * 7', 'UTC').matches(new Date('2026-01-04T09:00:00Z'))).toBe(true);
    expect(new CronMatcher('0 9 1,15 * mon', 'UTC').matches(new Date('2026-01-15T09:00:00Z'))).toBe(true); // dom or dow
    expect(() => new CronMatcher('0 25 * * *', 'UTC')).toThrow(/outside 0-23/);
  });
});
