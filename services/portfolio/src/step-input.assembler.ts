import type { DateBars, FeatureRows } from '@alphafeed/features';
import type { PortfolioDateAlphas, PortfolioStepInput } from './portfolio-engine.port';

/**
 * Builds the portfolio engine's input of one closed date from what the
 * service computed itself, so that it equals the batch input bit for bit:
 * the feature rows of its own incremental FeatureEngine (the engine the
 * batch feature frame runs in a loop: members after carry-forward and the
 * NaN drop, raw styles), and the date's bars for returns and bar presence.
 *
 * One entry per instrument that has a feature row or a bar, sorted by
 * instrument id: feature rows are the cross-section (`member` 1, `carried`
 * as the engine says, no bar when carried); a bar without a feature row is
 * a non-member's (or not yet complete) bar, given for its return (`member`
 * 0, styles NaN). `dailyReturn` is `close / previous close - 1` on the
 * instrument's own bars (SPEC §1), NaN on its first bar and without a bar.
 * State: the last close per instrument id, O(instruments) memory.
 */
export class StepInputAssembler {
  private lastClose = new Float64Array(1024).fill(NaN);

  reset(): void {
    this.lastClose.fill(NaN);
  }

  assemble(
    dateIndex: number,
    day: string,
    bars: DateBars,
    rows: FeatureRows,
    alphas: PortfolioDateAlphas | null,
  ): PortfolioStepInput {
    let maxId = -1;
    for (let b = 0; b < bars.length; b++) maxId = Math.max(maxId, bars.instrument[b]);
    for (let r = 0; r < rows.length; r++) maxId = Math.max(maxId, rows.instrument[r]);
    this.ensureCapacity(maxId + 1);
    // Slot per instrument id: row index + 1 of its feature row, bar index + 1 of its bar.
    const rowOf = new Int32Array(maxId + 1);
    const barOf = new Int32Array(maxId + 1);
    for (let r = 0; r < rows.length; r++) rowOf[rows.instrument[r]] = r + 1;
    for (let b = 0; b < bars.length; b++) barOf[bars.instrument[b]] = b + 1;
    let n = 0;
    for (let id = 0; id <= maxId; id++) if (rowOf[id] !== 0 || barOf[id] !== 0) n++;
    const instrument = new Int32Array(n);
    const industry = new Int32Array(n);
    const member = new Uint8Array(n);
    const carried = new Uint8Array(n);
    const hasBar = new Uint8Array(n);
    const close = new Float64Array(n).fill(NaN);
    const dailyReturn = new Float64Array(n).fill(NaN);
    const beta252 = new Float64Array(n).fill(NaN);
    const size = new Float64Array(n).fill(NaN);
    const momentum = new Float64Array(n).fill(NaN);
    const vol60 = new Float64Array(n).fill(NaN);
    let k = 0;
    for (let id = 0; id <= maxId; id++) {
      const r = rowOf[id] - 1;
      const b = barOf[id] - 1;
      if (r < 0 && b < 0) continue;
      instrument[k] = id;
      if (r >= 0) {
        member[k] = 1;
        carried[k] = rows.carried[r];
        industry[k] = rows.industry[r];
        beta252[k] = rows.beta252[r];
        size[k] = rows.size[r];
        momentum[k] = rows.momentum[r];
        vol60[k] = rows.vol60[r];
      } else {
        industry[k] = bars.industry[b];
      }
      if (b >= 0 && (r < 0 || carried[k] === 0)) {
        hasBar[k] = 1;
        close[k] = bars.close[b];
        dailyReturn[k] = bars.close[b] / this.lastClose[id] - 1; // NaN on the first bar
        this.lastClose[id] = bars.close[b];
      }
      k++;
    }
    return {
      dateIndex,
      day,
      instrument,
      industry,
      member,
      carried,
      hasBar,
      close,
      dailyReturn,
      beta252,
      size,
      momentum,
      vol60,
      alphas,
    };
  }

  private ensureCapacity(n: number): void {
    if (n <= this.lastClose.length) return;
    const grown = new Float64Array(Math.max(n, this.lastClose.length * 2)).fill(NaN);
    grown.set(this.lastClose);
    this.lastClose = grown;
  }
}
