import { readFileSync } from 'node:fs';

import { parse } from 'yaml';

import { loadConfig, parseConfig } from './load-config';
import { regionConfigSchema } from './region-config.schema';
import { leafPaths } from './schema-keys';
import { shippedConfig } from './test-helpers';

function hasPath(obj: unknown, path: string): boolean {
  let v = obj;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object' || !(key in v)) return false;
    v = (v as Record<string, unknown>)[key];
  }
  return true;
}

describe.each(['us', 'cn'] as const)('shipped config/%s.yaml', (region) => {
  it('parses into a deeply frozen config of its region', () => {
    const config = loadConfig(shippedConfig(region));
    expect(config.region).toBe(region);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.cv)).toBe(true);
    expect(Object.isFrozen(config.features.names)).toBe(true);
  });

  it('lists every key of the schema explicitly', () => {
    const raw = parse(readFileSync(shippedConfig(region), 'utf8'));
    const missing = leafPaths(regionConfigSchema)
      .filter(
        (p) => !p.startsWith('data.synthetic.price_limits.') || raw.data.synthetic.price_limits !== null,
      )
      .filter((p) => !p.startsWith('portfolio.price_limits.') || raw.portfolio.price_limits !== null)
      .filter((p) => !hasPath(raw, p));
    expect(missing).toEqual([]);
  });

  it('holds exactly the defaults (the file is the default, written out)', () => {
    expect(loadConfig(shippedConfig(region))).toEqual(parseConfig({ region }, 'defaults'));
  });
});

describe('us and cn differ only where the market differs', () => {
  it('has the CN clock, schedule after the 15:00 close, and price limits', () => {
    const cn = loadConfig(shippedConfig('cn'));
    expect(cn.calendar).toEqual({ timezone: 'Asia/Shanghai', close_time: '15:00' });
    expect(cn.training.schedule).toBe('30 16 * * 1-5');
    expect(cn.data.synthetic.price_limits).toEqual({ main: 0.1, growth: 0.2, growth_share: 0.25 });
    const us = loadConfig(shippedConfig('us'));
    expect(us.calendar).toEqual({ timezone: 'America/New_York', close_time: '16:00' });
    expect(us.data.synthetic.price_limits).toBeNull();
    expect(us.data.source).toBe('synthetic');
    expect(cn.data.source).toBe('synthetic');
  });
});
