/**
 * Test support: a tiny market written by hand. Each instrument's row lists
 * its return per date: a number, NaN for a bar without a previous close (its
 * first bar), null for no bar (suspended, delisted, not listed yet).
 */
import type { MarketPanel } from '../market-panel';
import type { BacktestHooks } from '../backtest.engine';

export function handMarket(
  calendar: readonly string[],
  instruments: readonly string[],
  returns: readonly (readonly (number | null)[])[],
): MarketPanel {
  const D = calendar.length;
  const N = instruments.length;
  const ret = new Float64Array(D * N).fill(NaN);
  const bar = new Uint8Array(D * N);
  for (let i = 0; i < N; i++) {
    if (returns[i].length !== D) throw new Error(`row ${i} has ${returns[i].length} returns for ${D} dates`);
    for (let d = 0; d < D; d++) {
      const r = returns[i][d];
      if (r === null) continue;
      bar[d * N + i] = 1;
      ret[d * N + i] = r;
    }
  }
  return { calendar, instruments, ret, bar, member: bar };
}

/** A decision rule from a table of targets by calendar position (keep elsewhere). */
export function scriptedTargets(
  targets: Readonly<Record<number, readonly number[]>>,
): BacktestHooks['decide'] {
  return (t) => (t in targets ? Float64Array.from(targets[t]) : null);
}

/**
 * The three-name market of the hand-computed cases: P delisted after d2, Q
 * trading every date, R suspended d3-d4 and resuming d5 (returns per date).
 */
export function threeNameMarket(): ReturnType<typeof handMarket> {
  return handMarket(
    [
      '2024-03-01',
      '2024-03-04',
      '2024-03-05',
      '2024-03-06',
      '2024-03-07',
      '2024-03-08',
      '2024-03-11',
      '2024-03-12',
    ],
    ['P', 'Q', 'R'],
    [
      [NaN, 0.02, -0.01, null, null, null, null, null],
      [NaN, 0.01, 0.02, -0.01, 0, 0.01, -0.02, 0.03],
      [NaN, 0.01, 0.02, null, null, 0.1, 0.01, -0.01],
    ],
  );
}
