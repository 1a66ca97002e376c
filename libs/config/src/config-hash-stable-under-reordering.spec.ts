import { configHash, canonicalConfigJson } from './config-hash';
import { loadConfig, parseConfig } from './load-config';
import { shippedConfig } from './test-helpers';

const A = `
region: us
cv:
  method: walk_forward
  embargo_days: 63
models:
  ridge: { alpha: 3 }
data:
  start_date: 2010-01-04
`;

/** The same settings: keys reordered, flow style, 3.0 for 3, quoted and timestamp dates, comments. */
const B = `
# same config, written differently
data: {start_date: "2010-01-04T00:00:00Z"}
models:
  ridge:
    alpha: 3.0
cv: {embargo_days: 63.0, method: "walk_forward"}
region: "us"
`;

describe('configHash is stable under key order and formatting', () => {
  it('gives the same hash for the same settings written differently', () => {
    expect(configHash(parseConfig(A, 'a'))).toBe(configHash(parseConfig(B, 'b')));
  });

  it('gives the same hash whether a default is written out or left out', () => {
    expect(configHash(parseConfig('region: us\n', 'minimal'))).toBe(
      configHash(loadConfig(shippedConfig('us'))),
    );
  });

  it('sorts keys itself, whatever order an object was built in', () => {
    const c = parseConfig(A, 'a');
    const reversed = reverseKeys(c) as typeof c;
    expect(Object.keys(reversed)[0]).toBe('log_level');
    expect(configHash(reversed)).toBe(configHash(c));
  });

  it('normalises a Date object to the same day', () => {
    const fromDate = parseConfig(
      { region: 'us', data: { start_date: new Date(Date.UTC(2010, 0, 4)) } },
      'obj',
    );
    expect(fromDate.data.start_date).toBe('2010-01-04');
    expect(configHash(fromDate)).toBe(configHash(parseConfig(A, 'a')));
  });

  it('is a sha256 hex digest of sorted-key canonical JSON', () => {
    const c = parseConfig(A, 'a');
    expect(configHash(c)).toMatch(/^[0-9a-f]{64}$/);
    const json = canonicalConfigJson(c);
    expect(json.startsWith('{"alpha_clip_bps":1000,"calibration":{"method":"isotonic"},"cv":{')).toBe(true);
    expect(json).not.toContain(' ');
  });

  it('separates the regions', () => {
    expect(configHash(loadConfig(shippedConfig('us')))).not.toBe(configHash(loadConfig(shippedConfig('cn'))));
  });
});

/** A deep copy with every object's keys in reverse insertion order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).reverse())
    out[key] = reverseKeys((value as Record<string, unknown>)[key]);
  return out;
}
