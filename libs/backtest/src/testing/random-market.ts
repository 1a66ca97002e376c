/**
 * Test support: a seeded random market (gaps, a listing, a delisting) with a
 * dense forward-return label, a weakly informative alpha and simple hooks
 * (a diagonal risk model, two made-up factors), fast enough for specs that
 * exercise the whole output path.
 */
import { Rng } from '@alphafeed/core';
import type { BacktestHooks } from '../backtest.engine';
import type { MarketPanel } from '../market-panel';
import type { AlphaRows } from '../signal-metrics';

export interface RandomMarket {
  readonly market: MarketPanel;
  /** Dense label_21d: the sum of the next 21 returns (0 without a bar), NaN past the end. */
  readonly label: Float64Array;
  /** Dense alpha (bps): 0.3 × the label plus noise, NaN without a bar. */
  readonly alpha: Float64Array;
  readonly alphaRows: AlphaRows;
}

export function randomMarket(dates = 260, names = 30, seed = 42): RandomMarket {
  const rng = new Rng(seed);
  const calendar: string[] = [];
  let day = Date.UTC(2021, 0, 4);
  while (calendar.length < dates) {
    const wd = new Date(day).getUTCDay();
    if (wd !== 0 && wd !== 6) calendar.push(new Date(day).toISOString().slice(0, 10));
    day += 86_400_000;
  }
  const instruments = Array.from({ length: names }, (_, i) => `SH6${String(i).padStart(5, '0')}`);
  const D = dates;
  const N = names;
  const ret = new Float64Array(D * N).fill(NaN);
  const bar = new Uint8Array(D * N);
  for (let i = 0; i < N; i++) {
    const first = i === 1 ? 40 : 0; // listed later
    const last = i === 2 ? 150 : D - 1; // delisted
    for (let d = first; d <= last; d++) {
      if (i === 3 && d >= 100 && d < 103) continue; // suspended three dates
      bar[d * N + i] = 1;
      ret[d * N + i] = d === first ? NaN : rng.normal() * 0.02;
    }
  }
  const H = 21;
  const label = new Float64Array(D * N).fill(NaN);
  const alpha = new Float64Array(D * N).fill(NaN);
  for (let t = 0; t < D; t++) {
    for (let i = 0; i < N; i++) {
      if (bar[t * N + i] !== 1) continue;
      if (t + H < D && bar[(t + H) * N + i] === 1) {
        let s = 0;
        for (let d = t + 1; d <= t + H; d++) {
          const r = ret[d * N + i];
          if (bar[d * N + i] === 1 && r === r) s += r;
        }
        label[t * N + i] = s;
      }
      const l = label[t * N + i];
      alpha[t * N + i] = 1e4 * (0.3 * (l === l ? l : 0) + 0.05 * rng.normal());
    }
  }
  const date: number[] = [];
  const instrument: number[] = [];
  const values: number[] = [];
  for (let t = 0; t < D; t++)
    for (let i = 0; i < N; i++)
      if (Number.isFinite(alpha[t * N + i])) {
        date.push(t);
        instrument.push(i);
        values.push(alpha[t * N + i]);
      }
  return {
    market: { calendar, instruments, ret, bar, member: bar },
    label,
    alpha,
    alphaRows: {
      length: date.length,
      date: Int32Array.from(date),
      instrument: Int32Array.from(instrument),
      alpha: Float64Array.from(values),
    },
  };
}

/** Diagonal risk (2 % daily specific vol) and two factors with fixed loadings. */
export function simpleRiskHooks(names: number): Pick<BacktestHooks, 'exAnteVol' | 'exposures'> {
  const active = (w: Float64Array, b: Float64Array | null): Float64Array =>
    b === null ? w : w.map((x, i) => x - b[i]);
  return {
    exAnteVol: (_d, w, b) => {
      const a = active(w, b);
      let v = 0;
      for (let i = 0; i < names; i++) v += a[i] * a[i] * 4e-4;
      return Math.sqrt(v);
    },
    exposures: {
      names: ['beta', 'size'],
      of: (_d, w, b) => {
        const a = active(w, b);
        let beta = 0;
        let size = 0;
        for (let i = 0; i < names; i++) {
          beta += a[i] * (0.5 + i / names);
          size += a[i] * (i % 3) - a[i];
        }
        return Float64Array.from([beta, size]);
      },
    },
  };
}
