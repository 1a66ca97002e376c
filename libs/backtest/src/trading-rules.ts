/**
 * Costs and price limits of SPEC §11–12, as plain numbers by date. The
 * accounting charges the fill date's rates; the optimizer asks for the
 * decision date's (`costRatesOn`). Dates are day numbers (days since
 * 1970-01-01) so a lookup is a comparison, not a string parse.
 */
import { parseIsoDay } from '@alphafeed/core';
import type { RegionConfig } from '@alphafeed/config';

export interface StampDutyStep {
  /** First day number it applies to; -Infinity for "from the start". */
  readonly fromDay: number;
  /** Fraction of the amount sold. */
  readonly rate: number;
}

export interface PriceLimits {
  readonly main: number;
  readonly growth: number;
  /** A buy is blocked when `r >= limit - margin`, a sell when `r <= -(limit - margin)`. */
  readonly margin: number;
  readonly growthBoards: readonly { readonly prefix: string; readonly fromDay: number }[];
}

export interface TradingRules {
  /** Cost of a buy (and, before stamp duty, of a sell) per unit traded, as a fraction. */
  readonly cost: number;
  /** Sell-side stamp duty steps, ascending by `fromDay`. */
  readonly stampDuty: readonly StampDutyStep[];
  /** Null: no price limits (US). */
  readonly priceLimits: PriceLimits | null;
}

/** The rules of a validated config's `portfolio:` section (bps → fractions). */
export function tradingRulesFromConfig(portfolio: RegionConfig['portfolio']): TradingRules {
  const day = (iso: string | null): number => (iso === null ? -Infinity : parseIsoDay(iso));
  const limits = portfolio.price_limits;
  return {
    cost: portfolio.cost_bps * 1e-4,
    stampDuty: portfolio.stamp_duty.map((s) => ({ fromDay: day(s.from), rate: s.bps * 1e-4 })),
    priceLimits:
      limits === null
        ? null
        : {
            main: limits.main,
            growth: limits.growth,
            margin: limits.margin,
            growthBoards: limits.growth_boards.map((b) => ({ prefix: b.prefix, fromDay: day(b.from) })),
          },
  };
}

/** Stamp duty on `day` (a day number): the last step starting on or before it, else 0. */
export function stampDutyOn(rules: TradingRules, day: number): number {
  let rate = 0;
  for (const s of rules.stampDuty) if (s.fromDay <= day) rate = s.rate;
  return rate;
}

/** Buy and sell cost per unit traded on `day` (SPEC §11: US buy = sell; CN sell adds stamp duty). */
export function costRatesOn(rules: TradingRules, day: number): { buy: number; sell: number } {
  return { buy: rules.cost, sell: rules.cost + stampDutyOn(rules, day) };
}

/**
 * Day number from which `code` takes the growth limit (Infinity: never).
 * The first matching board wins.
 */
export function growthLimitFrom(limits: PriceLimits, code: string): number {
  for (const b of limits.growthBoards) if (code.startsWith(b.prefix)) return b.fromDay;
  return Infinity;
}

/** The daily price limit of `code` on `day`; Infinity without price limits. */
export function priceLimitOn(rules: TradingRules, code: string, day: number): number {
  const l = rules.priceLimits;
  if (l === null) return Infinity;
  return day >= growthLimitFrom(l, code) ? l.growth : l.main;
}
