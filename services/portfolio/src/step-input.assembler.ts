import type { DateBars, FeatureRows } from '@alphafeed/features';
import { portfolioDateInput } from '@alphafeed/portfolio';
import type { DateAlphas, DateBarRows, PortfolioDateInput } from '@alphafeed/portfolio';

/**
 * The portfolio engine's input of one closed date, from what the service
 * computed itself, through `portfolioDateInput` — the merge the batch side
 * (`PanelStepInputs`) runs on the bar panel and the feature frame:
 * - member rows: the rows of the service's own incremental FeatureEngine
 *   (the engine the batch feature frame runs in a loop: members after
 *   carry-forward and the NaN drop, the raw styles), ascending ids;
 * - bars: the date's real bars, sorted by id, with `close / previous close
 *   - 1` on the instrument's own bars (SPEC §1; NaN on its first bar).
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
    alphas: DateAlphas | null,
  ): PortfolioDateInput {
    const n = bars.length;
    let maxId = -1;
    for (let b = 0; b < n; b++) maxId = Math.max(maxId, bars.instrument[b]);
    this.ensureCapacity(maxId + 1);
    const order = Int32Array.from({ length: n }, (_, b) => b).sort(
      (x, y) => bars.instrument[x] - bars.instrument[y],
    );
    const sorted: DateBarRows = {
      length: n,
      instrument: new Int32Array(n),
      industry: new Int32Array(n),
      dailyReturn: new Float64Array(n),
    };
    for (let k = 0; k < n; k++) {
      const b = order[k];
      const id = bars.instrument[b];
      sorted.instrument[k] = id;
      sorted.industry[k] = bars.industry[b];
      sorted.dailyReturn[k] = bars.close[b] / this.lastClose[id] - 1; // NaN on the first bar
      this.lastClose[id] = bars.close[b];
    }
    return portfolioDateInput(dateIndex, day, rows, sorted, alphas);
  }

  private ensureCapacity(n: number): void {
    if (n <= this.lastClose.length) return;
    const grown = new Float64Array(Math.max(n, this.lastClose.length * 2)).fill(NaN);
    grown.set(this.lastClose);
    this.lastClose = grown;
  }
}
