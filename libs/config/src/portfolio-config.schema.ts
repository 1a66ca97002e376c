import { parseIsoDay } from '@alphafeed/core';
import { z } from 'zod';

/**
 * The `portfolio:` section: every number of SPEC §9–12 (point-in-time
 * retraining, risk model, optimizer, backtest accounting). The market-
 * dependent defaults (`mode`, `cost_bps`, `stamp_duty`, `price_limits`) are
 * region defaults (region-defaults.ts); the rest have one default here.
 * Cross-field checks live in `portfolioCrossFieldChecks`, called from the
 * region schema's own checks so that every problem names its key.
 */

const positiveInt = z
  .int({ error: 'must be a positive integer' })
  .positive({ error: 'must be a positive integer' });
const positive = z.number({ error: 'must be a number > 0' }).gt(0, { error: 'must be a number > 0' });
const nonNegative = z.number({ error: 'must be a number >= 0' }).min(0, { error: 'must be a number >= 0' });
const weightFraction = z
  .number({ error: 'must be a fraction of capital in (0, 1]' })
  .gt(0, { error: 'must be a fraction of capital in (0, 1]' })
  .max(1, { error: 'must be a fraction of capital in (0, 1]' });
const limitFraction = z
  .number({ error: 'a daily price limit is a fraction in (0, 1), e.g. 0.1 for ±10 %' })
  .gt(0, { error: 'a daily price limit is a fraction in (0, 1), e.g. 0.1 for ±10 %' })
  .lt(1, { error: 'a daily price limit is a fraction in (0, 1), e.g. 0.1 for ±10 %' });

/** A date written YYYY-MM-DD, or null for "from the start of the data". */
const startDate = z
  .string({ error: 'must be a date written YYYY-MM-DD, or null for the start of the data' })
  .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(parseIsoDay(s)), {
    error: 'must be a valid calendar date written YYYY-MM-DD',
  })
  .nullable();

const stampDutyStep = z.strictObject({
  from: startDate,
  bps: nonNegative,
});

const growthBoard = z.strictObject({
  prefix: z.string({ error: 'must be a code prefix such as SZ300' }).min(1, { error: 'must not be empty' }),
  from: startDate,
});

const priceLimitsSchema = z.strictObject({
  main: limitFraction,
  growth: limitFraction,
  margin: z
    .number({ error: 'must be a fraction >= 0, e.g. 0.005' })
    .min(0, { error: 'must be a fraction >= 0, e.g. 0.005' })
    .default(0.005),
  growth_boards: z.array(growthBoard, { error: 'must be a list of { prefix, from }' }),
});

const riskSchema = z.strictObject({
  half_life: positive.default(90),
  window: positiveInt.default(252),
  min_residuals: positiveInt.default(63),
  specific_floor_quantile: z
    .number({ error: 'must be a fraction in [0, 1]' })
    .min(0, { error: 'must be a fraction in [0, 1]' })
    .max(1, { error: 'must be a fraction in [0, 1]' })
    .default(0.05),
});

export const portfolioSchema = z.strictObject({
  retrain_every: positiveInt.default(63),
  min_train_dates: positiveInt.default(504),
  horizon_days: positiveInt.default(21),
  rebalance_every: positiveInt.default(5),
  mode: z.enum(['long_short', 'long_only'], { error: 'must be "long_short" or "long_only"' }),
  lambda: positive.default(50),
  gross: positive.default(2.0),
  max_weight: weightFraction.default(0.01),
  style_bound: nonNegative.default(0.05),
  active_max: weightFraction.default(0.02),
  industry_bound: nonNegative.default(0.03),
  max_turnover: z
    .number({ error: 'must be a one-sided fraction > 0 per rebalance, or null for no limit' })
    .gt(0, { error: 'must be a one-sided fraction > 0 per rebalance, or null for no limit' })
    .nullable()
    .default(0.25),
  cost_bps: nonNegative,
  stamp_duty: z.array(stampDutyStep, { error: 'must be a list of { from, bps } steps ([] = none)' }),
  price_limits: priceLimitsSchema.nullable(),
  risk: riskSchema.prefault({}),
});

type Portfolio = z.output<typeof portfolioSchema>;
type Fail = (path: (string | number)[], value: unknown, message: string) => void;

/** Checks across the section's keys; `fail` reports at the key to change. */
export function portfolioCrossFieldChecks(p: Portfolio, fail: Fail): void {
  const steps = p.stamp_duty;
  for (let i = 0; i < steps.length; i++) {
    const from = steps[i].from;
    if (from === null && i > 0) {
      fail(
        ['portfolio', 'stamp_duty', i, 'from'],
        from,
        'only the first step may start at null (the start of the data)',
      );
      return;
    }
    const prev = i > 0 ? steps[i - 1].from : null;
    if (from !== null && prev !== null && !(prev < from)) {
      fail(
        ['portfolio', 'stamp_duty', i, 'from'],
        from,
        `steps must be in ascending date order; the step before starts ${prev}`,
      );
      return;
    }
  }

  const limits = p.price_limits;
  if (limits !== null) {
    const smaller = Math.min(limits.main, limits.growth);
    if (!(limits.margin < smaller)) {
      fail(
        ['portfolio', 'price_limits', 'margin'],
        limits.margin,
        `must be below the smaller limit (${smaller})`,
      );
    }
  }

  if (p.risk.min_residuals > p.risk.window) {
    fail(
      ['portfolio', 'risk', 'min_residuals'],
      p.risk.min_residuals,
      `must not exceed portfolio.risk.window (${p.risk.window}): no instrument could ever reach it`,
    );
  }
}
