import { IndustryZScoreKernel } from './industry-zscore.kernel';
import { nextCapacity } from './typed-growth';
import { winsorizeInPlace } from './winsorize.kernel';

/**
 * SPEC §3 preprocessing of one date's rows, in place: each model feature
 * column winsorised to its cross-sectional percentiles, then industry
 * z-scored (groups fixed once per date). The incremental engine runs it on
 * its output buffers; the parallel batch runs the same code on worker
 * threads over the frame's rows of a date, so both give the same bits.
 * O(rows x features) expected; the scratch and the z-score accumulators are
 * reused across dates.
 */
export class CrossSectionPreprocessor {
  private readonly zscore: IndustryZScoreKernel;
  private scratch = new Float64Array(0);

  constructor(
    minIndustrySize: number,
    private readonly lower: number,
    private readonly upper: number,
  ) {
    this.zscore = new IndustryZScoreKernel(minIndustrySize);
  }

  /** Preprocesses rows [0, n) of every column in `features`; `industry[r]` is row r's industry id. */
  apply(features: readonly Float64Array[], industry: Int32Array, n: number): void {
    if (this.scratch.length < n) this.scratch = new Float64Array(nextCapacity(this.scratch.length, n));
    this.zscore.setGroups(industry, n);
    for (let f = 0; f < features.length; f++) {
      winsorizeInPlace(features[f], n, this.lower, this.upper, this.scratch);
      this.zscore.score(features[f]);
    }
  }
}
