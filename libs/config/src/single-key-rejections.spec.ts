import { parseConfig } from './load-config';
import { configErrorOf } from './test-helpers';

const msg = (c: object): string => configErrorOf(() => parseConfig(c, 'c.yaml')).message;

/** One row per rule on a single key: the config and the one message expected. */
const CASES: [string, object, string][] = [
  ['missing region', { cv: {} }, 'c.yaml: region is missing: must be one of "us", "cn"'],
  ['unknown region', { region: 'eu' }, 'c.yaml: region = "eu" is not allowed: must be one of "us", "cn"'],
  [
    'unknown cv method',
    { region: 'us', cv: { method: 'kfold' } },
    'c.yaml: cv.method = "kfold" is not allowed: must be one of "walk_forward", "cpcv"',
  ],
  [
    'unknown model',
    { region: 'us', models: { names: ['ridge', 'lgbm'] } },
    'c.yaml: models.names[1] = "lgbm" is not allowed: must be one of "ridge", "xgboost"',
  ],
  [
    'section of the wrong type',
    { region: 'us', cv: 5 },
    'c.yaml: cv = 5 is not allowed: must be a mapping of keys',
  ],
  [
    'impossible date',
    { region: 'us', data: { start_date: '2020-02-30' } },
    'c.yaml: data.start_date = "2020-02-30" is not allowed: must be a valid calendar date written YYYY-MM-DD',
  ],
  [
    'unknown source kind',
    { region: 'us', data: { source: 'xls:foo' } },
    'c.yaml: data.source = "xls:foo" is not allowed: a source is "synthetic", "csv:PATH" (also .csv.gz), "parquet:PATH" or "qlib:DIR[:MARKET]"',
  ],
  [
    'unknown time zone',
    { region: 'us', calendar: { timezone: 'Mars/Olympus' } },
    'c.yaml: calendar.timezone = "Mars/Olympus" is not allowed: must be an IANA time zone such as America/New_York or Asia/Shanghai',
  ],
  [
    'close time not HH:MM',
    { region: 'us', calendar: { close_time: '4pm' } },
    'c.yaml: calendar.close_time = "4pm" is not allowed: must be a 24-hour time written HH:MM',
  ],
  [
    'cron with 4 fields',
    { region: 'us', training: { schedule: '30 17 * *' } },
    'c.yaml: training.schedule = "30 17 * *" is not allowed: not a cron expression (it has 4 fields); write 5 fields (minute hour day-of-month month day-of-week), e.g. "30 17 * * 1-5"',
  ],
  [
    'cron hour out of range',
    { region: 'us', training: { schedule: '30 25 * * 1-5' } },
    'c.yaml: training.schedule = "30 25 * * 1-5" is not allowed: not a cron expression (Invalid value for hour: 25); write 5 fields (minute hour day-of-month month day-of-week), e.g. "30 17 * * 1-5"',
  ],
  [
    'xgboost eta 0',
    { region: 'us', models: { xgboost: { eta: 0 } } },
    'c.yaml: models.xgboost.eta = 0 is not allowed: must be a number in (0, 1]',
  ],
  [
    'negative nthread',
    { region: 'us', models: { xgboost: { nthread: -1 } } },
    'c.yaml: models.xgboost.nthread = -1 is not allowed: must be an integer >= 0 (0 = all cores)',
  ],
  [
    'negative clip',
    { region: 'us', alpha_clip_bps: -1 },
    'c.yaml: alpha_clip_bps = -1 is not allowed: must be a number of basis points > 0',
  ],
  [
    'min industry size 0',
    { region: 'us', features: { min_industry_size: 0 } },
    'c.yaml: features.min_industry_size = 0 is not allowed: must be a positive integer',
  ],
  [
    'reject ratio above 1',
    { region: 'us', data: { max_reject_ratio: 1.5 } },
    'c.yaml: data.max_reject_ratio = 1.5 is not allowed: must be a number in [0, 1]',
  ],
  [
    'negative seed',
    { region: 'us', seed: -1 },
    'c.yaml: seed = -1 is not allowed: must be an integer in [0, 4294967295]',
  ],
  [
    'negative xgboost lambda',
    { region: 'us', models: { xgboost: { lambda: -1 } } },
    'c.yaml: models.xgboost.lambda = -1 is not allowed: must be >= 0',
  ],
  [
    'broker without port',
    { region: 'us', streaming: { kafka: { brokers: ['localhost'] } } },
    'c.yaml: streaming.kafka.brokers[0] = "localhost" is not allowed: a broker is host:port, e.g. 127.0.0.1:9092',
  ],
  [
    'QuestDB URL not http',
    { region: 'us', streaming: { questdb: { http_url: 'tcp://q:9009' } } },
    'c.yaml: streaming.questdb.http_url = "tcp://q:9009" is not allowed: must be an http(s) URL such as http://127.0.0.1:9000',
  ],
  [
    'style_neutral not boolean',
    { region: 'us', neutralization: { style_neutral: 'yes' } },
    'c.yaml: neutralization.style_neutral = "yes" is not allowed: must be true or false',
  ],
  [
    'calibration other than isotonic',
    { region: 'us', calibration: { method: 'platt' } },
    'c.yaml: calibration.method = "platt" is not allowed: must be one of "isotonic"',
  ],
];

describe('each rule on a single key gives its one message', () => {
  it.each(CASES)('%s', (_name, config, expected) => {
    expect(msg(config)).toBe(expected);
  });
});
