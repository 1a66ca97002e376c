import { Rng } from '@alphafeed/core';
import { IndustryZScoreKernel } from './industry-zscore.kernel';
import { InstrumentRing } from './instrument-ring';
import { RollingMaxKernel } from './rolling-max.kernel';
import { RollingSumKernel } from './rolling-sum.kernel';
import { agrees } from '@alphafeed/testing';
import { sortedPercentile } from './testing/naive-features';
import { WindowDrawdownKernel } from './window-drawdown.kernel';
import { WindowRegressionKernel } from './window-regression.kernel';
import { linearPercentile, winsorizeInPlace } from './winsorize.kernel';

/** Random series with runs of zeros, repeats and occasional NaN, per instrument. */
function series(rng: Rng, length: number, withNaN: boolean): number[] {
  const out: number[] = [];
  for (let t = 0; t < length; t++) {
    const u = rng.uniform();
    if (withNaN && u < 0.02) out.push(NaN);
    else if (u < 0.15) out.push(0);
    else if (u < 0.2 && t > 0) out.push(out[t - 1]);
    else out.push(100 * rng.normal());
  }
  return out;
}

const INSTRUMENTS = 7;
const LENGTH = 700;

describe('optimised kernels against their naive twins on random data', () => {
  it('every window kernel declares its look-back and looks forward 0', () => {
    expect([new RollingMaxKernel(252).lookBack, new RollingMaxKernel(252).lookForward]).toEqual([252, 0]);
    expect([new WindowDrawdownKernel(126).lookBack, new WindowDrawdownKernel(126).lookForward]).toEqual([
      126, 0,
    ]);
    const beta = new WindowRegressionKernel(252, 126);
    expect([beta.lookBack, beta.lookForward]).toEqual([252, 0]);
  });

  it('RollingSumKernel (add/remove and slide) equals the re-summed window, exactly 0 for all-zero windows and NaN with a NaN inside', () => {
    const rng = new Rng(1);
    const windows = [1, 5, 20, 63];
    const kernel = new RollingSumKernel(windows.length);
    kernel.ensureInstruments(INSTRUMENTS);
    const data = Array.from({ length: INSTRUMENTS }, () => series(rng, LENGTH, true));
    for (let t = 0; t < LENGTH; t++) {
      for (let i = 0; i < INSTRUMENTS; i++) {
        windows.forEach((w, s) => {
          // Odd sums take the fused steady-state step once their window is full.
          if (t >= w && s % 2 === 1) kernel.slide(i, s, data[i][t], data[i][t - w]);
          else {
            kernel.add(i, s, data[i][t]);
            if (t >= w) kernel.remove(i, s, data[i][t - w]);
          }
          const window = data[i].slice(Math.max(0, t - w + 1), t + 1);
          const expected = window.some(Number.isNaN) ? NaN : window.reduce((a, b) => a + b, 0);
          const actual = kernel.value(i, s);
          if (window.every((x) => x === 0)) expect(actual).toBe(0);
          expect(agrees(actual, expected)).toBe(true);
        });
      }
    }
  });

  it('InstrumentRing returns the value pushed `lag` pushes ago for every instrument, across a capacity growth', () => {
    const ring = new InstrumentRing(10, 2);
    ring.ensureInstruments(3);
    const pushed: number[][] = [[], [], [], [], [], []];
    for (let t = 0; t < 40; t++) {
      if (t === 15) ring.ensureInstruments(6);
      const active = t < 15 ? 3 : 6;
      for (let i = 0; i < active; i++) {
        const at = ring.push(i);
        ring.values[at] = 1000 * i + t;
        ring.values[at + 1] = -(1000 * i + t);
        pushed[i].push(1000 * i + t);
        for (let lag = 0; lag < Math.min(10, pushed[i].length); lag++) {
          const index = ring.lag(i, lag);
          expect(ring.values[index]).toBe(pushed[i][pushed[i].length - 1 - lag]);
          expect(ring.values[index + 1]).toBe(-pushed[i][pushed[i].length - 1 - lag]);
        }
      }
    }
  });

  it('RollingMaxKernel (monotonic deque) equals Math.max over the window', () => {
    const rng = new Rng(2);
    const kernel = new RollingMaxKernel(25);
    kernel.ensureInstruments(INSTRUMENTS);
    const data = Array.from({ length: INSTRUMENTS }, () => series(rng, LENGTH, false));
    for (let t = 0; t < LENGTH; t++) {
      for (let i = 0; i < INSTRUMENTS; i++) {
        kernel.push(i, data[i][t]);
        expect(kernel.max(i)).toBe(Math.max(...data[i].slice(Math.max(0, t - 24), t + 1)));
      }
    }
  });

  it('WindowDrawdownKernel (two-stack queue) equals the re-scanned window drawdown bit for bit', () => {
    const rng = new Rng(3);
    const w = 30;
    const kernel = new WindowDrawdownKernel(w);
    kernel.ensureInstruments(INSTRUMENTS);
    const closes = Array.from({ length: INSTRUMENTS }, () => {
      let c = 50;
      return Array.from({ length: LENGTH }, () => (c *= Math.exp(0.05 * rng.normal())));
    });
    for (let t = 0; t < LENGTH; t++) {
      for (let i = 0; i < INSTRUMENTS; i++) {
        kernel.push(i, closes[i][t]);
        let peak = -Infinity;
        let mdd = Infinity;
        for (const c of closes[i].slice(Math.max(0, t - w + 1), t + 1)) {
          peak = Math.max(peak, c);
          mdd = Math.min(mdd, c / peak - 1);
        }
        expect(kernel.value(i)).toBe(mdd);
      }
    }
  });

  it('WindowRegressionKernel equals a two-pass cov/var, NaN below min pairs and for a constant market', () => {
    const rng = new Rng(4);
    const kernel = new WindowRegressionKernel(40, 20);
    kernel.ensureInstruments(3);
    const xs: number[] = [];
    const ys: number[][] = [[], [], []];
    for (let t = 0; t < 300; t++) {
      // A stretch of constant market: the slope is undefined there.
      const x = t >= 100 && t < 160 ? 0.003 : 0.01 * rng.normal();
      xs.push(x);
      for (let i = 0; i < 3; i++) {
        const y = (i + 0.5) * x + 0.01 * rng.normal();
        ys[i].push(y);
        kernel.push(i, x, y);
        const n = Math.min(40, t + 1);
        const wx = xs.slice(t + 1 - n);
        const wy = ys[i].slice(t + 1 - n);
        let expected = NaN;
        if (n >= 20 && !wx.every((v) => v === wx[0])) {
          const mx = wx.reduce((a, b) => a + b, 0) / n;
          const my = wy.reduce((a, b) => a + b, 0) / n;
          let cov = 0;
          let vx = 0;
          for (let k = 0; k < n; k++) {
            cov += (wx[k] - mx) * (wy[k] - my);
            vx += (wx[k] - mx) ** 2;
          }
          expected = cov / vx;
        }
        expect(agrees(kernel.slope(i), expected)).toBe(true);
      }
    }
  });

  it('quickselect percentiles equal the sort-based numpy percentile exactly, ties and tiny inputs included', () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 300; trial++) {
      // Small inputs for the edge ranks, large ones for Floyd–Rivest's sampling step (> 600 values).
      const n = 1 + rng.int(trial < 50 ? 5 : trial < 250 ? 400 : 5000);
      const xs = Float64Array.from({ length: n }, () => (rng.uniform() < 0.2 ? 1 : rng.normal()));
      const scratch = new Float64Array(n);
      for (const q of [0, 0.01, 0.25, 0.5, 0.99, 1]) {
        expect(linearPercentile(xs, n, q, scratch)).toBe(sortedPercentile([...xs], q));
      }
      for (const [lower, upper] of [
        [0.01, 0.99],
        [0.2, 0.21],
        [0.5, 0.5],
        [0, 1],
      ]) {
        const clipped = Float64Array.from(xs);
        winsorizeInPlace(clipped, n, lower, upper, scratch);
        const lo = sortedPercentile([...xs], lower);
        const hi = sortedPercentile([...xs], upper);
        expect([...clipped]).toEqual([...xs].map((x) => Math.min(Math.max(x, lo), hi)));
      }
    }
  });

  it('IndustryZScoreKernel equals per-group mean/std (ddof 0) with the small-industry fallback', () => {
    const rng = new Rng(6);
    for (let trial = 0; trial < 100; trial++) {
      const n = 1 + rng.int(60);
      const industry = Int32Array.from({ length: n }, () => rng.int(6));
      const values = Float64Array.from({ length: n }, () => (rng.uniform() < 0.1 ? 2 : rng.normal()));
      const expected = [...values].map((x, k) => {
        let group = [...values].filter((_, j) => industry[j] === industry[k]);
        if (group.length < 5) group = [...values];
        if (group.every((y) => y === group[0])) return 0;
        const m = group.reduce((a, b) => a + b, 0) / group.length;
        return (x - m) / Math.sqrt(group.reduce((a, b) => a + (b - m) ** 2, 0) / group.length);
      });
      new IndustryZScoreKernel(5).apply(values, industry, n);
      [...values].forEach((z, k) => expect(agrees(z, expected[k])).toBe(true));
    }
  });
});
