/**
 * Scenario: the signal metrics of SPEC §12 on a hand-made five-name market:
 * IC and rank IC per date only where label_21d has matured inside the
 * backtest (t + 21 <= end), mean / std / ICIR over those dates, and the mean
 * next-day return of alpha quintiles (a name without a bar on t+1 returns 0).
 * Then the same figures on a random market against a naive twin written with
 * plain arrays and textbook formulas.
 */
import { handMarket } from './testing/hand-market';
import { randomMarket } from './testing/random-market';
import { signalMetrics, type AlphaRows } from './signal-metrics';

const H = 21;

function rowsOf(alpha: (number | null)[][]): AlphaRows {
  const date: number[] = [];
  const instrument: number[] = [];
  const values: number[] = [];
  alpha.forEach((row, t) =>
    row.forEach((a, i) => {
      if (a === null) return;
      date.push(t);
      instrument.push(i);
      values.push(a);
    }),
  );
  return {
    length: date.length,
    date: Int32Array.from(date),
    instrument: Int32Array.from(instrument),
    alpha: Float64Array.from(values),
  };
}

describe('five names, hand-checked', () => {
  // 23 dates: the label of date 0 matures on date 21, of date 1 on date 22 (the end), of date 2 never.
  const D = 23;
  const N = 5;
  const calendar = Array.from({ length: D }, (_, d) => `2024-02-${String(d + 1).padStart(2, '0')}`);
  // Next-day returns on date 1: 0.01 .. 0.05 for names 0..4, except name 4 has no bar on date 1.
  const returns = Array.from({ length: N }, (_, i) =>
    Array.from({ length: D }, (_, d) => (d === 0 ? NaN : d === 1 ? (i === 4 ? null : 0.01 * (i + 1)) : 0)),
  );
  const market = handMarket(calendar, ['A', 'B', 'C', 'D', 'E'], returns);
  const label = new Float64Array(D * N).fill(NaN);
  // Date 0: labels 0.1, 0.2, 0.3, 0.4, 0.5 (alpha increasing: IC = rank IC = 1).
  // Date 1: labels 0.5, 0.1, 0.4, 0.2, 0.3 against alphas 1..5.
  [0.1, 0.2, 0.3, 0.4, 0.5].forEach((l, i) => (label[0 * N + i] = l));
  [0.5, 0.1, 0.4, 0.2, 0.3].forEach((l, i) => (label[1 * N + i] = l));
  [0.3, 0.1, 0.2, 0.5, 0.4].forEach((l, i) => (label[2 * N + i] = l)); // immature at the end: unused
  const alpha: (number | null)[][] = Array.from({ length: D }, () => [null, null, null, null, null]);
  alpha[0] = [10, 20, 30, 40, 50];
  alpha[1] = [1, 2, 3, 4, 5];
  alpha[2] = [5, 4, 3, 2, 1];
  const { series, summary } = signalMetrics(rowsOf(alpha), market, label, { horizon: H });

  test('IC only where the label matured', () => {
    expect([...series.date]).toEqual([0, 1, 2]);
    expect(series.ic[0]).toBeCloseTo(1, 14);
    // Date 1: x = 1..5 (mean 3), y = .5 .1 .4 .2 .3 (mean .3); sum dx dy = (-2)(.2)+(-1)(-.2)+0+(1)(-.1)+(2)(0)
    // = -0.3; sum dx^2 = 10; sum dy^2 = .04+.04+.01+.01+0 = 0.1 -> IC = -0.3 / sqrt(1) = -0.3.
    expect(series.ic[1]).toBeCloseTo(-0.3, 14);
    // Ranks of y: 5 1 4 2 3, same deviations as y * 10 -> rank IC = -0.3 too.
    expect(series.rankIc[1]).toBeCloseTo(-0.3, 14);
    expect(series.ic[2]).toBeNaN();
    expect(summary.ic_dates).toBe(2);
    expect(summary.ic_mean).toBeCloseTo(0.35, 14);
    // std of [1, -0.3] with ddof 1: |1.3| / sqrt(2).
    expect(summary.ic_std).toBeCloseTo(1.3 / Math.SQRT2, 14);
    expect(summary.icir).toBeCloseTo(0.35 / (1.3 / Math.SQRT2), 12);
  });

  test('quintiles of five names are one name each; no bar next day returns 0', () => {
    // Date 0, alphas 10..50: quintile q holds name q; its next-day (date 1) return is 0.01 (q + 1), name E 0.
    expect([0, 1, 2, 3, 4].map((q) => series.quintile[q][0])).toEqual([0.01, 0.02, 0.03, 0.04, 0]);
    // Date 2 has alphas reversed; its next day's returns are all 0.
    expect([0, 1, 2, 3, 4].map((q) => series.quintile[q][2])).toEqual([0, 0, 0, 0, 0]);
    expect(summary.quintile_next_day_return[0]).toBeCloseTo((0.01 + 0 + 0) / 3, 15);
  });
});

describe('random market: equals a naive twin', () => {
  const m = randomMarket(200, 40, 7);
  const N = m.market.instruments.length;
  const end = 180;
  const { series } = signalMetrics(m.alphaRows, m.market, m.label, { horizon: H, start: 10, end });

  const pearson = (x: number[], y: number[]): number => {
    const n = x.length;
    const mx = x.reduce((a, b) => a + b, 0) / n;
    const my = y.reduce((a, b) => a + b, 0) / n;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let k = 0; k < n; k++) {
      sxy += (x[k] - mx) * (y[k] - my);
      sxx += (x[k] - mx) ** 2;
      syy += (y[k] - my) ** 2;
    }
    return sxy / Math.sqrt(sxx * syy);
  };
  const ranks = (x: number[]): number[] =>
    x.map((v) => {
      const below = x.filter((u) => u < v).length;
      const equal = x.filter((u) => u === v).length;
      return below + (equal + 1) / 2;
    });

  test('IC, rank IC and quintile returns per date', () => {
    let checked = 0;
    for (let k = 0; k < series.length; k++) {
      const t = series.date[k];
      expect(t).toBeGreaterThanOrEqual(10);
      expect(t).toBeLessThanOrEqual(end);
      const names = [...Array(N).keys()].filter((i) => Number.isFinite(m.alpha[t * N + i]));
      if (t + H <= end) {
        const pairs = names.filter((i) => Number.isFinite(m.label[t * N + i]));
        const x = pairs.map((i) => m.alpha[t * N + i]);
        const y = pairs.map((i) => m.label[t * N + i]);
        expect(series.ic[k]).toBeCloseTo(pearson(x, y), 12);
        expect(series.rankIc[k]).toBeCloseTo(pearson(ranks(x), ranks(y)), 12);
        checked++;
      } else {
        expect(series.ic[k]).toBeNaN();
      }
      if (t < end) {
        // pandas.qcut(alpha, 5, labels=False) by sorting: edges at linear quantiles.
        const sorted = names.map((i) => m.alpha[t * N + i]).sort((a, b) => a - b);
        const q = (p: number): number => {
          const pos = (sorted.length - 1) * p;
          const lo = Math.floor(pos);
          return lo + 1 < sorted.length
            ? sorted[lo] + (sorted[lo + 1] - sorted[lo]) * (pos - lo)
            : sorted[lo];
        };
        const edges = [0.2, 0.4, 0.6, 0.8].map(q);
        const bins: number[][] = [[], [], [], [], []];
        for (const i of names) {
          const a = m.alpha[t * N + i];
          const b = edges.findIndex((e) => a <= e);
          const r = m.market.bar[(t + 1) * N + i] === 1 ? m.market.ret[(t + 1) * N + i] : 0;
          bins[b < 0 ? 4 : b].push(Number.isFinite(r) ? r : 0);
        }
        bins.forEach((rs, b) =>
          expect(series.quintile[b][k]).toBeCloseTo(rs.reduce((s, r) => s + r, 0) / rs.length, 14),
        );
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
