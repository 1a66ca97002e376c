import { parseConfig } from './load-config';
import { configErrorOf } from './test-helpers';

const msg = (c: object): string => configErrorOf(() => parseConfig(c, 'c.yaml')).message;

describe('checks across keys reject the key to change', () => {
  it('cpcv needs fewer test groups than groups', () => {
    expect(msg({ region: 'us', cv: { method: 'cpcv', n_groups: 4, n_test_groups: 4 } })).toBe(
      'c.yaml: cv.n_test_groups = 4 is not allowed: must be below cv.n_groups (4) so every split keeps a train group',
    );
  });

  it('the retrain schedule must fire after the close', () => {
    expect(msg({ region: 'cn', training: { schedule: '0 14 * * 1-5' } })).toBe(
      'c.yaml: training.schedule = "0 14 * * 1-5" is not allowed: it fires at 14:00, not after the 15:00 close ' +
        "(calendar.close_time, Asia/Shanghai); retrain after the close so the day's bars are in",
    );
    expect(parseConfig({ region: 'cn', training: { schedule: '1 15 * * 1-5' } }, 'c').training.schedule).toBe(
      '1 15 * * 1-5',
    );
    expect(parseConfig({ region: 'cn', training: { schedule: '*/30 * * * *' } }, 'c').training.schedule).toBe(
      '*/30 * * * *',
    );
  });

  it('moving the close moves the check', () => {
    expect(msg({ region: 'us', calendar: { close_time: '18:00' } })).toMatch(
      /^c\.yaml: training\.schedule = "30 17 \* \* 1-5" is not allowed: it fires at 17:30, not after the 18:00 close/,
    );
  });

  it('winsorising needs lower below upper', () => {
    expect(msg({ region: 'us', features: { winsorize: { lower: 0.5, upper: 0.5 } } })).toBe(
      'c.yaml: features.winsorize.lower = 0.5 is not allowed: must be below features.winsorize.upper (0.5)',
    );
  });

  it('the data range must not run backwards', () => {
    expect(msg({ region: 'us', data: { start_date: '2015-01-02', end_date: '2014-12-31' } })).toBe(
      'c.yaml: data.end_date = "2014-12-31" is not allowed: must not be before data.start_date (2015-01-02)',
    );
  });

  it('a QuestDB ILP URL needs the HTTP URL', () => {
    expect(msg({ region: 'us', streaming: { questdb: { ilp_url: 'http://127.0.0.1:9009' } } })).toBe(
      'c.yaml: streaming.questdb.ilp_url = "http://127.0.0.1:9009" is not allowed: needs streaming.questdb.http_url too ' +
        '(reads go over HTTP); leave both empty for the embedded store',
    );
  });

  it('a model listed twice is rejected', () => {
    expect(msg({ region: 'us', models: { names: ['ridge', 'ridge'] } })).toBe(
      'c.yaml: models.names = ["ridge","ridge"] is not allowed: model "ridge" is listed twice',
    );
  });
});
