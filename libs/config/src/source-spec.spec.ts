import { parseSourceSpec } from './source-spec';

describe('data source spec strings', () => {
  it.each([
    ['synthetic', { kind: 'synthetic' }],
    ['csv:data/us.csv.gz', { kind: 'csv', path: 'data/us.csv.gz' }],
    ['parquet:/srv/bars.parquet', { kind: 'parquet', path: '/srv/bars.parquet' }],
    ['qlib:C:/qlib/cn_data', { kind: 'qlib', path: 'C:/qlib/cn_data' }],
  ])('parses %s', (text, spec) => {
    expect(parseSourceSpec(text)).toEqual(spec);
  });

  it.each(['', 'csv:', 'xls:a.xls', 'synthetic:us', 'data/us.csv'])('rejects %j', (text) => {
    expect(parseSourceSpec(text)).toBeNull();
  });
});
