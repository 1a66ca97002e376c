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
    // SPEC §11: long-short, 5 bps a side, no stamp duty, no price limits.
    portfolio: { mode: 'long_short', cost_bps: 5, stamp_duty: [], price_limits: null },
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
    // SPEC §11–12: long-only against the equal-weighted universe; 2.5 bps a
    // side plus stamp duty on sells (10 bps, 5 bps from 2023-08-28); Qlib's
    // limit rule: ±10 %, ±20 % on ChiNext (SZ300) from 2020-08-24 and STAR (SH688).
    portfolio: {
      mode: 'long_only',
      cost_bps: 2.5,
      stamp_duty: [
        { from: null, bps: 10 },
        { from: '2023-08-28', bps: 5 },
      ],
      price_limits: {
        main: 0.1,
        growth: 0.2,
        margin: 0.005,
        growth_boards: [
          { prefix: 'SZ300', from: '2020-08-24' },
          { prefix: 'SH688', from: null },
        ],
      },
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
