import { InputError } from '@alphafeed/core';
import { linearPercentile } from '@alphafeed/features';
import { RiskModelStateError } from './errors';
import { FactorCovarianceKernel, ewmaWeights } from './factor-covariance.kernel';
import { FactorRegressionKernel } from './factor-regression.kernel';
import { resolveRiskModelOptions } from './risk-model.options';
import { STYLE_FACTORS } from './risk.types';
import type { FactorRisk, RiskDateInput, RiskDateState, RiskModelOptions } from './risk.types';
import { SpecificVarianceKernel } from './specific-variance.kernel';
import { StyleExposureKernel } from './style-exposures.kernel';

const STYLES = STYLE_FACTORS.length;

/**
 * The factor risk model of SPEC §10 as one incremental state: feed it each
 * closed date in calendar order (`closeDate`) and it updates, in this order,
 * the factor returns of t (returns of t on the exposures of t - 1), the
 * residual and factor-return windows, the exposures X_t, F_t and s^2_t. A
 * batch run is the same class in a loop over dates, so batch and stream agree
 * by construction; the specs compare both with a from-scratch recompute.
 *
 * Per date: O(rows) for exposures and the regression's normal equations,
 * O(K^3) for the solve, O(window K^2) for F, O(rows window) for s^2 (~4 ms
 * for 3,000 rows, see `npm run bench -- portfolio`). Never an N x N matrix.
 *
 * Readings of the SPEC (see README): statistics "over the universe on t" are
 * over members with a real bar (carried rows excluded, but exposed with the
 * universe's numbers); the regression of d takes members with a real row on
 * d - 1 and a return on d; the specific-variance medians and the floor are
 * over the universe's own estimates (instruments with >= minResiduals).
 */
export class RiskModel {
  readonly options: RiskModelOptions;
  readonly factors: number;
  readonly industryFactors: number;
  readonly factorNames: readonly string[];

  private readonly styleKernel: StyleExposureKernel;
  private readonly regression: FactorRegressionKernel;
  private readonly covariance: FactorCovarianceKernel;
  private readonly specific: SpecificVarianceKernel;

  private lastDate = -1;
  private capacity = 0;
  /** Date stamp of each instrument's row on the last closed date, and its row index. */
  private rowStamp = new Int32Array(0);
  private rowOf = new Int32Array(0);
  /** Per instrument: industry of its last row (-1 = never had one). */
  private lastIndustry = new Int32Array(0);
  private seenStamp = new Int32Array(0);
  private callStamp = 0;

  // The last closed date's rows (current) and the one before (previous), swapped each date.
  private current = new DateRows(0, 0);
  private previous = new DateRows(0, 0);
  private readonly F: Float64Array;
  private readonly f: Float64Array;
  private hasFactorReturn = false;
  private regressionRows = 0;
  private industryMedian: Float64Array;
  private universeMedian = NaN;
  private floor = NaN;
  private scratch = new Float64Array(0);
  private scratch2 = new Float64Array(0);

  constructor(options: Partial<RiskModelOptions> & Pick<RiskModelOptions, 'industries'>) {
    this.options = resolveRiskModelOptions(options);
    this.industryFactors = this.options.industries.length;
    this.factors = this.industryFactors + STYLES;
    this.factorNames = [...this.options.industries, ...STYLE_FACTORS];
    const weights = ewmaWeights(this.options.window, this.options.halfLife);
    this.styleKernel = new StyleExposureKernel(this.options.winsorize.lower, this.options.winsorize.upper);
    this.regression = new FactorRegressionKernel(this.industryFactors, STYLES);
    this.covariance = new FactorCovarianceKernel(this.factors, weights);
    this.specific = new SpecificVarianceKernel(weights);
    this.F = new Float64Array(this.factors * this.factors);
    this.f = new Float64Array(this.factors);
    this.industryMedian = new Float64Array(this.industryFactors);
  }

  /** Calendar position of the last closed date, -1 before the first. */
  get lastDateIndex(): number {
    return this.lastDate;
  }

  /**
   * Closes calendar position `dateIndex` (the first call may start anywhere,
   * then consecutive positions; a date with no entry is fed with length 0).
   */
  closeDate(dateIndex: number, input: RiskDateInput): RiskDateState {
    if (
      !Number.isInteger(dateIndex) ||
      dateIndex < 0 ||
      (this.lastDate >= 0 && dateIndex !== this.lastDate + 1)
    ) {
      throw new RiskModelStateError(
        `closeDate needs the next calendar position: got ${dateIndex} after ${this.lastDate}; feed dates in calendar order, once each`,
      );
    }
    this.validate(input);
    const t = dateIndex;
    const hadPrevious = this.lastDate >= 0;
    const previousDate = this.lastDate;
    this.lastDate = t;

    // 1. Factor returns of t: returns of t on X_{t-1} (members with a real row on t - 1).
    this.regressionRows = 0;
    if (hadPrevious) {
      // Until the swap below, `current` still holds the rows of t - 1.
      const prev = this.current;
      const reg = this.regression;
      reg.reset();
      for (let e = 0; e < input.length; e++) {
        const r = input.dailyReturn[e];
        if (r !== r) continue;
        const row = this.previousRow(input.instrument[e], previousDate);
        if (row < 0 || prev.carried[row] === 1) continue;
        reg.add(prev.industry[row], prev.styles, row * STYLES, r);
      }
      this.regressionRows = reg.rowCount;
      reg.solve(this.f);
      this.hasFactorReturn = true;
      const f = this.f;
      const G = this.industryFactors;
      for (let e = 0; e < input.length; e++) {
        const r = input.dailyReturn[e];
        if (r !== r) continue;
        const instrument = input.instrument[e];
        const row = this.previousRow(instrument, previousDate);
        if (row < 0 || prev.carried[row] === 1) continue;
        let fitted = f[prev.industry[row]];
        for (let a = 0; a < STYLES; a++) fitted += f[G + a] * prev.styles[row * STYLES + a];
        this.specific.push(instrument, t, r - fitted);
      }
      this.covariance.push(t, f);
    } else {
      this.hasFactorReturn = false;
    }

    // 2. X_t of t's rows.
    const swap = this.previous;
    this.previous = this.current;
    this.current = swap;
    const rows = this.current;
    rows.reset(input, this.factors);
    this.exposures(input, rows);

    // 3. s^2_t and F_t.
    this.specificVariances(t, rows);
    this.covariance.covariance(t, this.F);

    // Index t's rows by instrument.
    for (let r = 0; r < rows.length; r++) {
      const instrument = rows.instrument[r];
      this.rowStamp[instrument] = t + 1;
      this.rowOf[instrument] = r;
      this.lastIndustry[instrument] = rows.industry[r];
    }
    return this.state();
  }

  /** The state after the last closed date (views, valid until the next `closeDate`). */
  state(): RiskDateState {
    if (this.lastDate < 0) throw new RiskModelStateError('no date closed yet: call closeDate first');
    const rows = this.current;
    const K = this.factors;
    return {
      dateIndex: this.lastDate,
      factors: K,
      industryFactors: this.industryFactors,
      factorReturn: this.hasFactorReturn ? this.f : null,
      regressionRows: this.regressionRows,
      length: rows.length,
      instrument: rows.instrument.subarray(0, rows.length),
      exposures: rows.exposures.subarray(0, rows.length * K),
      specificVariance: rows.specificVariance.subarray(0, rows.length),
      residualCount: rows.residualCount.subarray(0, rows.length),
      factorCovariance: this.F,
    };
  }

  /**
   * X, F and s^2 of the last closed date for `instruments` (copies), the
   * optimizer's input. A name with a row on t gets its row. A name without
   * one (a held name that left the universe or the carry limit) gets the
   * 0/1 column of its last industry and style exposures 0 (the SPEC's
   * "missing -> 0"), and s^2 from its own residuals if it has enough, else
   * the fallbacks of t (its last industry's median, the universe median),
   * floored like every row; a name never seen has no industry column.
   * O(names * (K + window)).
   */
  factorRisk(instruments: Int32Array): FactorRisk {
    if (this.lastDate < 0)
      throw new RiskModelStateError('no date closed yet: call closeDate before factorRisk');
    const t = this.lastDate;
    const K = this.factors;
    const N = instruments.length;
    const exposures = new Float64Array(N * K);
    const specificVariance = new Float64Array(N);
    const rows = this.current;
    const own = new Float64Array(1);
    for (let i = 0; i < N; i++) {
      const instrument = instruments[i];
      if (!Number.isInteger(instrument) || instrument < 0) {
        throw new InputError(
          `factorRisk: instrument ids must be integers >= 0, got ${instrument} at position ${i}`,
        );
      }
      if (instrument < this.capacity && this.rowStamp[instrument] === t + 1) {
        const r = this.rowOf[instrument];
        exposures.set(rows.exposures.subarray(r * K, r * K + K), i * K);
        specificVariance[i] = rows.specificVariance[r];
        continue;
      }
      const g = instrument < this.capacity ? this.lastIndustry[instrument] : -1;
      if (g >= 0) exposures[i * K + g] = 1;
      const count = this.specific.estimate(instrument, t, own, 0);
      specificVariance[i] = this.finishSpecific(count >= this.options.minResiduals ? own[0] : NaN, g);
    }
    return {
      length: N,
      factors: K,
      industryFactors: this.industryFactors,
      factorNames: this.factorNames,
      exposures,
      factorCovariance: Float64Array.from(this.F),
      specificVariance,
    };
  }

  private exposures(input: RiskDateInput, rows: DateRows): void {
    const K = this.factors;
    const G = this.industryFactors;
    const n = rows.length;
    const raws = [input.beta252, input.size, input.momentum, input.vol60];
    for (let a = 0; a < STYLES; a++) {
      this.styleKernel.standardize(raws[a], rows.entry, rows.inUniverse, n, rows.exposures, K, G + a);
    }
    for (let r = 0; r < n; r++) {
      rows.exposures[r * K + rows.industry[r]] = 1;
      for (let a = 0; a < STYLES; a++) rows.styles[r * STYLES + a] = rows.exposures[r * K + G + a];
    }
  }

  private specificVariances(t: number, rows: DateRows): void {
    const n = rows.length;
    const minResiduals = this.options.minResiduals;
    for (let r = 0; r < n; r++) {
      rows.residualCount[r] = this.specific.estimate(rows.instrument[r], t, rows.specificVariance, r);
    }
    // Fallback statistics from the universe's own estimates.
    if (this.scratch.length < n) {
      this.scratch = new Float64Array(n);
      this.scratch2 = new Float64Array(n);
    }
    const values = this.scratch;
    let count = 0;
    for (let r = 0; r < n; r++) {
      if (rows.inUniverse[r] === 1 && rows.residualCount[r] >= minResiduals)
        values[count++] = rows.specificVariance[r];
    }
    this.universeMedian = linearPercentile(values, count, 0.5, this.scratch2);
    this.floor = linearPercentile(values, count, this.options.specificFloorQuantile, this.scratch2);
    this.industryMedian.fill(NaN);
    if (count > 0) {
      // Group the own estimates by industry: a counting sort of the universe rows.
      const G = this.industryFactors;
      const start = new Int32Array(G + 1);
      for (let r = 0; r < n; r++) {
        if (rows.inUniverse[r] === 1 && rows.residualCount[r] >= minResiduals) start[rows.industry[r] + 1]++;
      }
      for (let g = 0; g < G; g++) start[g + 1] += start[g];
      const next = start.slice(0, G);
      for (let r = 0; r < n; r++) {
        if (rows.inUniverse[r] === 1 && rows.residualCount[r] >= minResiduals)
          values[next[rows.industry[r]]++] = rows.specificVariance[r];
      }
      for (let g = 0; g < G; g++) {
        const size = start[g + 1] - start[g];
        if (size > 0)
          this.industryMedian[g] = linearPercentile(values.subarray(start[g]), size, 0.5, this.scratch2);
      }
    }
    for (let r = 0; r < n; r++) {
      const own = rows.residualCount[r] >= minResiduals ? rows.specificVariance[r] : NaN;
      rows.specificVariance[r] = this.finishSpecific(own, rows.industry[r]);
    }
  }

  /** Own estimate, else industry median, else universe median; then the floor. NaN before any own estimate exists. */
  private finishSpecific(own: number, industry: number): number {
    let s2 = own;
    if (s2 !== s2) s2 = industry >= 0 ? this.industryMedian[industry] : NaN;
    if (s2 !== s2) s2 = this.universeMedian;
    return s2 < this.floor ? this.floor : s2;
  }

  /** Row of `instrument` on the previous date, -1 when it had none. */
  private previousRow(instrument: number, previousDate: number): number {
    return instrument < this.capacity && this.rowStamp[instrument] === previousDate + 1
      ? this.rowOf[instrument]
      : -1;
  }

  private validate(input: RiskDateInput): void {
    const n = input.length;
    if (!Number.isInteger(n) || n < 0)
      throw new InputError(`risk input length must be an integer >= 0, got ${n}`);
    const columns: [string, ArrayLike<number> | null][] = [
      ['instrument', input.instrument],
      ['industry', input.industry],
      ['member', input.member],
      ['carried', input.carried],
      ['beta252', input.beta252],
      ['size', input.size],
      ['momentum', input.momentum],
      ['vol60', input.vol60],
      ['dailyReturn', input.dailyReturn],
    ];
    for (const [name, column] of columns) {
      if (column === null && (name === 'member' || name === 'carried')) continue;
      if (column === null || column === undefined || column.length < n) {
        throw new InputError(
          `risk input column ${name} has ${column?.length ?? 'no'} values for length ${n}; every column needs one value per entry`,
        );
      }
    }
    let maxInstrument = -1;
    for (let e = 0; e < n; e++) {
      const instrument = input.instrument[e];
      if (instrument < 0)
        throw new InputError(
          `risk input: instrument id ${instrument} at entry ${e} is negative; ids are integers >= 0`,
        );
      if (instrument > maxInstrument) maxInstrument = instrument;
    }
    this.reserve(maxInstrument + 1);
    this.callStamp++;
    const G = this.industryFactors;
    for (let e = 0; e < n; e++) {
      const instrument = input.instrument[e];
      if (this.seenStamp[instrument] === this.callStamp) {
        throw new InputError(
          `risk input: instrument ${instrument} appears twice in one date; give one entry per instrument`,
        );
      }
      this.seenStamp[instrument] = this.callStamp;
      const member = input.member === null || input.member[e] === 1;
      const carried = input.carried !== null && input.carried[e] === 1;
      const r = input.dailyReturn[e];
      if (r === Infinity || r === -Infinity)
        throw new InputError(
          `risk input: dailyReturn of instrument ${instrument} is ${r}; returns are finite or NaN`,
        );
      if (carried && !member)
        throw new InputError(
          `risk input: instrument ${instrument} is carried but not a member; carried rows are member rows`,
        );
      if (carried && r === r) {
        throw new InputError(
          `risk input: carried instrument ${instrument} has a return (${r}); a carried row has no real bar, so its return is NaN`,
        );
      }
      if (!member) continue;
      const g = input.industry[e];
      if (!Number.isInteger(g) || g < 0 || g >= G) {
        throw new InputError(
          `risk input: industry ${g} of instrument ${instrument} is outside [0, ${G}); ids index options.industries`,
        );
      }
      for (const [name, column] of [
        ['beta252', input.beta252],
        ['size', input.size],
        ['momentum', input.momentum],
        ['vol60', input.vol60],
      ] as const) {
        const v = column[e];
        if (v === Infinity || v === -Infinity) {
          throw new InputError(
            `risk input: ${name} of instrument ${instrument} is ${v}; raw styles are finite or NaN (missing)`,
          );
        }
      }
    }
  }

  private reserve(instruments: number): void {
    if (instruments <= this.capacity) return;
    const capacity = Math.max(instruments, Math.ceil(this.capacity * 1.5), 64);
    const grow = (a: Int32Array, fill: number): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(capacity).fill(fill);
      b.set(a);
      return b;
    };
    this.rowStamp = grow(this.rowStamp, 0);
    this.rowOf = grow(this.rowOf, -1);
    this.lastIndustry = grow(this.lastIndustry, -1);
    this.seenStamp = grow(this.seenStamp, 0);
    this.specific.reserve(capacity);
    this.capacity = capacity;
  }
}

/** One date's rows (member entries), reused across dates. */
class DateRows {
  length = 0;
  entry = new Int32Array(0);
  instrument = new Int32Array(0);
  industry = new Int32Array(0);
  carried = new Uint8Array(0);
  inUniverse = new Uint8Array(0);
  exposures = new Float64Array(0);
  styles = new Float64Array(0);
  specificVariance = new Float64Array(0);
  residualCount = new Int32Array(0);

  constructor(rows: number, factors: number) {
    this.grow(rows, factors);
  }

  reset(input: RiskDateInput, factors: number): void {
    let n = 0;
    for (let e = 0; e < input.length; e++) if (input.member === null || input.member[e] === 1) n++;
    if (this.entry.length < n) this.grow(Math.max(n, Math.ceil(this.entry.length * 1.5)), factors);
    n = 0;
    for (let e = 0; e < input.length; e++) {
      if (input.member !== null && input.member[e] !== 1) continue;
      this.entry[n] = e;
      this.instrument[n] = input.instrument[e];
      this.industry[n] = input.industry[e];
      const carried = input.carried !== null && input.carried[e] === 1 ? 1 : 0;
      this.carried[n] = carried;
      this.inUniverse[n] = 1 - carried;
      n++;
    }
    this.length = n;
    this.exposures.fill(0, 0, n * factors);
  }

  private grow(rows: number, factors: number): void {
    this.entry = new Int32Array(rows);
    this.instrument = new Int32Array(rows);
    this.industry = new Int32Array(rows);
    this.carried = new Uint8Array(rows);
    this.inUniverse = new Uint8Array(rows);
    this.exposures = new Float64Array(rows * factors);
    this.styles = new Float64Array(rows * STYLES);
    this.specificVariance = new Float64Array(rows);
    this.residualCount = new Int32Array(rows);
  }
}
