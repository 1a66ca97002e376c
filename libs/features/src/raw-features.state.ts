import { InstrumentRing } from './instrument-ring';
import { RollingMaxKernel } from './rolling-max.kernel';
import { RollingSumKernel } from './rolling-sum.kernel';
import { WindowDrawdownKernel } from './window-drawdown.kernel';
import { WindowRegressionKernel } from './window-regression.kernel';
import { RAW_BETA_COLUMN, RAW_COLUMN, RAW_SIZE_COLUMN, RAW_WIDTH } from './feature-names';
import { BETA_MIN_PAIRS, BETA_WINDOW_RETURNS, MAX_LOOK_BACK_BARS } from './look-window';
import { growFloat64, growInt32, nextCapacity } from './typed-growth';

const SQRT_252 = Math.sqrt(252);
const MOM = RAW_COLUMN.mom_12_1;
const REV = RAW_COLUMN.rev_1m;
const MA20 = RAW_COLUMN.ma_gap_20;
const MA50 = RAW_COLUMN.ma_gap_50;
const MA200 = RAW_COLUMN.ma_gap_200;
const RSI = RAW_COLUMN.rsi_14;
const VOL20 = RAW_COLUMN.vol_20;
const VOL60 = RAW_COLUMN.vol_60;
const DD = RAW_COLUMN.dd_252;
const MDD = RAW_COLUMN.mdd_126;
const VLM = RAW_COLUMN.vlm_ratio_5_20;
const AMIHUD = RAW_COLUMN.amihud_20;
const TURNOVER = RAW_COLUMN.turnover_20;

/** Sums in the bank, one window each. */
const SMA20 = 0;
const SMA50 = 1;
const SMA200 = 2;
const GAINS14 = 3;
const LOSSES14 = 4;
const RET20 = 5;
const SQ20 = 6;
const RET60 = 7;
const SQ60 = 8;
const VOLUME5 = 9;
const VOLUME20 = 10;
const TURNOVER20 = 11;
const AMIHUD20 = 12;
const DOLLAR_VOLUME20 = 13;
const SUM_COUNT = 14;

/** Fields of a flow record: one per bar, the last 20 bars kept. */
const F_VOLUME = 0;
const F_DOLLAR_VOLUME = 1;
const F_TURNOVER = 2;
/** |r| / dv for a bar with dv > 0, -1 for a bar that does not count. */
const F_AMIHUD = 3;

/**
 * Per-instrument state of every raw feature (SPEC §2), struct of arrays
 * indexed by instrument id: time-major rings of the last closes, returns and
 * per-bar flows, a bank of compensated rolling sums, a monotonic deque
 * (dd_252), a two-stack drawdown queue (mdd_126) and a rolling regression
 * (beta_252). One bar costs O(1) amortised (each leaving value is read once);
 * memory is about 10 KB per instrument.
 *
 * `pushBar` writes the bar's raw row (features then beta then size) into
 * `rawRow`; `pushMarket` completes beta once the date's universe mean return
 * is known. The row stays in place until the instrument's next bar, which is
 * what carry-forward copies.
 */
export class RawFeatureState {
  /** The latest raw row of each instrument, `RAW_WIDTH` values per instrument. */
  rawRow = new Float64Array(0);
  private instrumentCapacity = 0;
  private bars = new Int32Array(0);
  private amihudCount = new Int32Array(0);

  private readonly closes = new InstrumentRing(MAX_LOOK_BACK_BARS);
  private readonly returns = new InstrumentRing(61);
  private readonly flows = new InstrumentRing(21, 4);
  private readonly sums = new RollingSumKernel(SUM_COUNT);
  private readonly max252 = new RollingMaxKernel(252);
  private readonly drawdown126 = new WindowDrawdownKernel(126);
  private readonly beta = new WindowRegressionKernel(BETA_WINDOW_RETURNS, BETA_MIN_PAIRS);

  constructor(private readonly hasSharesOut: boolean) {}

  ensureInstruments(needed: number): void {
    if (needed <= this.instrumentCapacity) return;
    const capacity = nextCapacity(this.instrumentCapacity, needed);
    this.rawRow = growFloat64(this.rawRow, capacity * RAW_WIDTH, NaN);
    this.bars = growInt32(this.bars, capacity);
    this.amihudCount = growInt32(this.amihudCount, capacity);
    this.closes.ensureInstruments(capacity);
    this.returns.ensureInstruments(capacity);
    this.flows.ensureInstruments(capacity);
    this.sums.ensureInstruments(capacity);
    this.max252.ensureInstruments(capacity);
    this.drawdown126.ensureInstruments(capacity);
    this.beta.ensureInstruments(capacity);
    this.instrumentCapacity = capacity;
  }

  /**
   * Adds one bar and writes the instrument's raw row (beta left NaN until
   * `pushMarket`). Returns the bar's return (NaN on the first bar).
   * Inputs are validated by the caller. Split in four steps so that each stays
   * within V8's inlining budget for its small kernel calls.
   */
  pushBar(i: number, close: number, volume: number, dollarVolume: number, sharesOut: number): number {
    const n = this.bars[i] + 1;
    this.bars[i] = n;
    const r = this.pushClose(i, n, close);
    if (n > 1) this.pushReturn(i, r);
    this.pushFlows(i, n, r, volume, dollarVolume, sharesOut);
    this.writeRow(i, n, close, sharesOut);
    return r;
  }

  /** Close ring, SMA sums, 252-bar max and 126-bar drawdown; returns the bar's return. */
  private pushClose(i: number, n: number, close: number): number {
    const sums = this.sums;
    const closes = this.closes;
    const cv = closes.values;
    const r = n > 1 ? close / cv[closes.lag(i, 0)] - 1 : NaN;
    cv[closes.push(i)] = close;
    if (n > 20) sums.slide(i, SMA20, close, cv[closes.lag(i, 20)]);
    else sums.add(i, SMA20, close);
    if (n > 50) sums.slide(i, SMA50, close, cv[closes.lag(i, 50)]);
    else sums.add(i, SMA50, close);
    if (n > 200) sums.slide(i, SMA200, close, cv[closes.lag(i, 200)]);
    else sums.add(i, SMA200, close);
    this.max252.push(i, close);
    this.drawdown126.push(i, close);
    return r;
  }

  /** Return ring and the sums of gains, losses, returns and squared returns. */
  private pushReturn(i: number, r: number): void {
    const sums = this.sums;
    const returns = this.returns;
    const rv = returns.values;
    rv[returns.push(i)] = r;
    const m = returns.count(i);
    const old14 = m > 14 ? rv[returns.lag(i, 14)] : 0;
    sums.slide(i, GAINS14, r > 0 ? r : 0, old14 > 0 ? old14 : 0);
    sums.slide(i, LOSSES14, r < 0 ? -r : 0, old14 < 0 ? -old14 : 0);
    const old20 = m > 20 ? rv[returns.lag(i, 20)] : 0;
    sums.slide(i, RET20, r, old20);
    sums.slide(i, SQ20, r * r, old20 * old20);
    const old60 = m > 60 ? rv[returns.lag(i, 60)] : 0;
    sums.slide(i, RET60, r, old60);
    sums.slide(i, SQ60, r * r, old60 * old60);
  }

  /** Per-bar flows (volume, dollar volume, turnover, Amihud term) and their sums. */
  private pushFlows(
    i: number,
    n: number,
    r: number,
    volume: number,
    dollarVolume: number,
    sharesOut: number,
  ): void {
    const sums = this.sums;
    const flows = this.flows;
    const fv = flows.values;
    const at = flows.push(i);
    const turnover = this.hasSharesOut ? volume / sharesOut : 0;
    const term = n > 1 && dollarVolume > 0 ? Math.abs(r) / dollarVolume : -1;
    fv[at + F_VOLUME] = volume;
    fv[at + F_DOLLAR_VOLUME] = dollarVolume;
    fv[at + F_TURNOVER] = turnover;
    fv[at + F_AMIHUD] = term;
    // A value leaving an n-window is the one pushed n bars ago; 0 (a no-op) before the window is full.
    sums.slide(i, VOLUME5, volume, n > 5 ? fv[flows.lag(i, 5) + F_VOLUME] : 0);
    if (term >= 0) this.amihudCount[i]++;
    if (n > 20) {
      const old = flows.lag(i, 20);
      sums.slide(i, VOLUME20, volume, fv[old + F_VOLUME]);
      sums.slide(i, DOLLAR_VOLUME20, dollarVolume, fv[old + F_DOLLAR_VOLUME]);
      sums.slide(i, TURNOVER20, turnover, fv[old + F_TURNOVER]);
      const leaving = fv[old + F_AMIHUD];
      if (leaving >= 0) this.amihudCount[i]--;
      sums.slide(i, AMIHUD20, term >= 0 ? term : 0, leaving >= 0 ? leaving : 0);
    } else {
      sums.add(i, VOLUME20, volume);
      sums.add(i, DOLLAR_VOLUME20, dollarVolume);
      sums.add(i, TURNOVER20, turnover);
      if (term >= 0) sums.add(i, AMIHUD20, term);
    }
  }

  /** The raw row of the bar from the updated state (beta NaN until `pushMarket`). */
  private writeRow(i: number, n: number, close: number, sharesOut: number): void {
    const sums = this.sums;
    const closes = this.closes;
    const cv = closes.values;
    const row = i * RAW_WIDTH;
    const raw = this.rawRow;
    const close21 = n >= 22 ? cv[closes.lag(i, 21)] : NaN;
    raw[row + MOM] = n >= 253 ? close21 / cv[closes.lag(i, 252)] - 1 : NaN;
    raw[row + REV] = n >= 22 ? close / close21 - 1 : NaN;
    raw[row + MA20] = n >= 20 ? close / (sums.value(i, SMA20) / 20) - 1 : NaN;
    raw[row + MA50] = n >= 50 ? close / (sums.value(i, SMA50) / 50) - 1 : NaN;
    raw[row + MA200] = n >= 200 ? close / (sums.value(i, SMA200) / 200) - 1 : NaN;
    raw[row + RSI] = n >= 15 ? this.rsi(i) : NaN;
    raw[row + VOL20] = n >= 21 ? this.annualisedStd(i, RET20, SQ20, 20) : NaN;
    raw[row + VOL60] = n >= 61 ? this.annualisedStd(i, RET60, SQ60, 60) : NaN;
    raw[row + DD] = n >= 252 ? close / this.max252.max(i) - 1 : NaN;
    raw[row + MDD] = n >= 126 ? this.drawdown126.value(i) : NaN;
    if (n >= 20) {
      const volume20 = sums.value(i, VOLUME20);
      raw[row + VLM] = volume20 === 0 ? NaN : sums.value(i, VOLUME5) / 5 / (volume20 / 20);
    } else {
      raw[row + VLM] = NaN;
    }
    const amihudCount = this.amihudCount[i];
    raw[row + AMIHUD] = n >= 21 && amihudCount > 0 ? (1e6 * sums.value(i, AMIHUD20)) / amihudCount : NaN;
    raw[row + TURNOVER] = this.hasSharesOut && n >= 20 ? sums.value(i, TURNOVER20) / 20 : NaN;
    raw[row + RAW_BETA_COLUMN] = NaN;
    if (this.hasSharesOut) {
      raw[row + RAW_SIZE_COLUMN] = Math.log(close * sharesOut);
    } else {
      const meanDollarVolume = sums.value(i, DOLLAR_VOLUME20) / 20;
      raw[row + RAW_SIZE_COLUMN] = n >= 20 && meanDollarVolume > 0 ? Math.log(meanDollarVolume) : NaN;
    }
  }

  /**
   * Adds the pair (market mean return of the date, the instrument's return)
   * when the bar has a return, and writes `beta_252` into the raw row. The
   * market side is NaN only on a date where no member has a return (never
   * without a membership table, where the bar's own return is in the mean):
   * that bar still takes its place in the 252-bar window, without a pair.
   */
  pushMarket(i: number, barReturn: number, marketReturn: number): void {
    if (barReturn === barReturn) this.beta.push(i, marketReturn, barReturn);
    this.rawRow[i * RAW_WIDTH + RAW_BETA_COLUMN] = this.beta.slope(i);
  }

  /** Simple-average RSI; 50 when the window holds no non-zero return (an exact test). */
  private rsi(i: number): number {
    const sums = this.sums;
    if (sums.nonZeroCount(i, GAINS14) === 0 && sums.nonZeroCount(i, LOSSES14) === 0) return 50;
    const gains = sums.value(i, GAINS14);
    const losses = sums.value(i, LOSSES14);
    return (100 * gains) / (gains + losses);
  }

  /**
   * Sample std (ddof 1) of the last n returns, annualised. From the running
   * sums when they keep at least ~6 significant digits of the squared
   * deviations; otherwise (near-constant returns) an exact two-pass over the
   * ring, O(n).
   */
  private annualisedStd(i: number, sum: number, squares: number, n: number): number {
    const s1 = this.sums.value(i, sum);
    const s2 = this.sums.value(i, squares);
    const deviations = s2 - (s1 * s1) / n;
    if (deviations > 1e-6 * s2) return Math.sqrt(deviations / (n - 1)) * SQRT_252;
    const returns = this.returns;
    const rv = returns.values;
    let mean = 0;
    for (let k = 0; k < n; k++) mean += rv[returns.lag(i, k)];
    mean /= n;
    let ss = 0;
    for (let k = 0; k < n; k++) {
      const d = rv[returns.lag(i, k)] - mean;
      ss += d * d;
    }
    return Math.sqrt(ss / (n - 1)) * SQRT_252;
  }
}
