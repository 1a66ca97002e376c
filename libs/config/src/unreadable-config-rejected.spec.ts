import { loadConfig, parseConfig } from './load-config';
import { configErrorOf } from './test-helpers';

describe('a config that is not a readable YAML mapping is rejected before validation', () => {
  it('a missing file names the path', () => {
    const err = configErrorOf(() => loadConfig('/nonexistent/eu.yaml'));
    expect(err.message).toBe(
      '/nonexistent/eu.yaml: cannot read the config file (no such file); pass --config with a path such as config/us.yaml',
    );
  });

  it('broken YAML gives the line and column', () => {
    const err = configErrorOf(() => parseConfig('region: us\ncv: [1, 2\n', 'bad.yaml'));
    expect(err.message).toMatch(/^bad\.yaml: not valid YAML \(line \d+, column \d+\): /);
  });

  it('a duplicate key is an error, not a silent override', () => {
    const err = configErrorOf(() => parseConfig('region: us\nregion: cn\n', 'dup.yaml'));
    expect(err.message).toBe('dup.yaml: not valid YAML (line 2, column 1): Map keys must be unique');
  });

  it.each([
    ['- region: us\n', 'a list'],
    ['', 'an empty document'],
    ['just text\n', 'string'],
  ])('%j is not a mapping', (text, found) => {
    expect(configErrorOf(() => parseConfig(text, 'x.yaml')).message).toBe(
      `x.yaml: a config must be a YAML mapping of keys (starting with region: us|cn), found ${found}`,
    );
  });
});
