import { cronFixedTime, cronProblem } from './cron-expression';

describe('5-field cron expressions', () => {
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
    ['', 'a cron expression has 5 fields (minute hour day-of-month month day-of-week), found 0'],
    [
      '0 30 17 * * 1-5',
      'a cron expression has 5 fields (minute hour day-of-month month day-of-week), found 6',
    ],
    ['60 17 * * *', 'minute field "60": "60" is out of range: use 0-59'],
    ['0 0 0 * *', 'day of month field "0": "0" is out of range: use 1-31'],
    ['0 0 * 13 *', 'month field "13": "13" is out of range: use 1-12 or jan-dec'],
    ['0 0 * * 8', 'day of week field "8": "8" is out of range: use 0-7 or sun-sat'],
    ['0 0 * * 5-1', 'day of week field "5-1": range "5-1" runs backwards'],
    ['*/0 * * * *', 'minute field "*/0": a step must be at least 1'],
    ['@daily * * * *', 'minute field "@daily": "@daily" is out of range: use 0-59'],
  ])('rejects %j', (expr, problem) => {
    expect(cronProblem(expr)).toBe(problem);
  });

  it('reads the fixed firing time when minute and hour are single numbers', () => {
    expect(cronFixedTime('30 17 * * 1-5')).toEqual({ hour: 17, minute: 30 });
    expect(cronFixedTime('*/5 17 * * *')).toBeNull();
    expect(cronFixedTime('0 9-17 * * *')).toBeNull();
  });
});
