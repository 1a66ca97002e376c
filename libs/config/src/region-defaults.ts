import type { Region } from './spec-names';

/**
 * Defaults that depend on the region: the exchange clock, the retraining
 * time after the close, the synthetic generator's daily price limits, and
 * names that keep two regions apart on one broker or disk. Everything else
 * has one default, in the schema.
 *
 * Times are exchange-local (`calendar.timezone`). The retrain runs 90 minutes
 * after the close so the day's end-of-day markers have arrived.
 */
const REGION_DEFAULTS: Readonly<Record<Region, Readonly<Record<string, unknown>>>> = {
  us: {
    calendar: { timezone: 'America/New_York', close_time: '16:00' },
    training: { schedule: '30 17 * * 1-5' },
    data: { synthetic: { price_limits: null } },
    streaming: {
      kafka: { client_id: 'alphafeed-us', group_prefix: 'alphafeed-us' },
      embedded: { store_path: 'data/embedded/us.store' },
    },
  },
  cn: {
    calendar: { timezone: 'Asia/Shanghai', close_time: '15:00' },
    training: { schedule: '30 16 * * 1-5' },
    // Main boards ±10 %, growth boards (ChiNext, STAR) ±20 % a day.
    data: { synthetic: { price_limits: { main: 0.1, growth: 0.2, growth_share: 0.25 } } },
    streaming: {
      kafka: { client_id: 'alphafeed-cn', group_prefix: 'alphafeed-cn' },
      embedded: { store_path: 'data/embedded/cn.store' },
    },
  },
};

/**
 * A copy of `raw` with the region's defaults filled in wherever a key is
 * absent. An explicit value (including `null`) always wins. Values of the
 * wrong shape are left alone for the schema to reject with a clear message.
 * Without a valid `region` nothing is filled: the schema reports the region.
 */
export function withRegionDefaults(raw: unknown): unknown {
  if (!isPlainObject(raw)) return raw;
  const region = raw.region;
  if (region !== 'us' && region !== 'cn') return raw;
  return fillMissing(raw, REGION_DEFAULTS[region]);
}

function fillMissing(
  target: Record<string, unknown>,
  defaults: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(defaults)) {
    const current = out[key];
    if (current === undefined) {
      out[key] = structuredClone(value);
    } else if (isPlainObject(current) && isPlainObject(value)) {
      out[key] = fillMissing(current, value);
    }
  }
  return out;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
