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

/**
 * Per-instrument state of every raw feature (SPEC §2), struct of arrays
 * indexed by instrument id: rings of the last closes, returns and volumes,
 * compensated rolling sums, a monotonic deque (dd_252), a two-stack
 * drawdown queue (mdd_126) and a rolling regression (beta_252). One bar costs
 * O(1) amortised; memory is about 4 KB per instrument.
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

  private readonly closes = new InstrumentRing(MAX_LOOK_BACK_BARS);
  private readonly returns = new InstrumentRing(61);
  private readonly volumes = new InstrumentRing(21);
  private readonly turnovers = new InstrumentRing(21);
  private readonly dollarVolumes = new InstrumentRing(21);
  /** |r| / dv for bars with dv > 0, -1 for bars that do not count. */
  private readonly amihudTerms = new InstrumentRing(21);
  private amihudCount = new Int32Array(0);

  private readonly sma20 = new RollingSumKernel();
  private readonly sma50 = new RollingSumKernel();
  private readonly sma200 = new RollingSumKernel();
  private readonly gains14 = new RollingSumKernel();
  private readonly losses14 = new RollingSumKernel();
  private readonly ret20 = new RollingSumKernel();
  private readonly retSq20 = new RollingSumKernel();
  private readonly ret60 = new RollingSumKernel();
  private readonly retSq60 = new RollingSumKernel();
  private readonly volume5 = new RollingSumKernel();
  private readonly volume20 = new RollingSumKernel();
  private readonly turnover20 = new RollingSumKernel();
  private readonly amihud20 = new RollingSumKernel();
  private readonly dollarVolume20 = new RollingSumKernel();
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
    for (const ring of [this.closes, this.returns, this.volumes, this.turnovers, this.dollarVolumes, this.amihudTerms]) {
      ring.ensureInstruments(capacity);
    }
    for (const sum of [
      this.sma20, this.sma50, this.sma200, this.gains14, this.losses14, this.ret20, this.retSq20,
      this.ret60, this.retSq60, this.volume5, this.volume20, this.turnover20, this.amihud20, this.dollarVolume20,
    ]) {
      sum.ensureInstruments(capacity);
    }
    this.max252.ensureInstruments(capacity);
    this.drawdown126.ensureInstruments(capacity);
    this.beta.ensureInstruments(capacity);
    this.instrumentCapacity = capacity;
  }

  barCount(instrument: number): number {
    return this.bars[instrument];
  }

  /**
   * Adds one bar and writes the instrument's raw row (beta left NaN until
   * `pushMarket`). Returns the bar's return (NaN on the first bar).
   * Inputs are validated by the caller.
   */
  pushBar(i: number, close: number, volume: number, dollarVolume: number, sharesOut: number): number {
    const n = this.bars[i] + 1;
    this.bars[i] = n;
    const closes = this.closes;
    const r = n > 1 ? close / closes.lag(i, 0) - 1 : NaN;
    closes.push(i, close);
    rolling(this.sma20, closes, i, 20, IDENTITY);
    rolling(this.sma50, closes, i, 50, IDENTITY);
    rolling(this.sma200, closes, i, 200, IDENTITY);
    this.max252.push(i, close);
    this.drawdown126.push(i, close);

    const returns = this.returns;
    if (n > 1) {
      returns.push(i, r);
      rolling(this.gains14, returns, i, 14, GAIN);
      rolling(this.losses14, returns, i, 14, LOSS);
      rolling(this.ret20, returns, i, 20, IDENTITY);
      rolling(this.retSq20, returns, i, 20, SQUARE);
      rolling(this.ret60, returns, i, 60, IDENTITY);
      rolling(this.retSq60, returns, i, 60, SQUARE);
    }

    this.volumes.push(i, volume);
    rolling(this.volume5, this.volumes, i, 5, IDENTITY);
    rolling(this.volume20, this.volumes, i, 20, IDENTITY);
    this.dollarVolumes.push(i, dollarVolume);
    rolling(this.dollarVolume20, this.dollarVolumes, i, 20, IDENTITY);
    if (this.hasSharesOut) {
      const turnover = volume / sharesOut;
      this.turnovers.push(i, turnover);
      rolling(this.turnover20, this.turnovers, i, 20, IDENTITY);
    }
    const term = n > 1 && dollarVolume > 0 ? Math.abs(r) / dollarVolume : -1;
    this.amihudTerms.push(i, term);
    if (term >= 0) {
      this.amihud20.add(i, term);
      this.amihudCount[i]++;
    }
    if (n > 20) {
      const leaving = this.amihudTerms.lag(i, 20);
      if (leaving >= 0) {
        this.amihud20.remove(i, leaving);
        this.amihudCount[i]--;
      }
    }

    const row = i * RAW_WIDTH;
    const raw = this.rawRow;
    raw[row + MOM] = n >= 253 ? closes.lag(i, 21) / closes.lag(i, 252) - 1 : NaN;
    raw[row + REV] = n >= 22 ? close / closes.lag(i, 21) - 1 : NaN;
    raw[row + MA20] = n >= 20 ? close / (this.sma20.value(i) / 20) - 1 : NaN;
    raw[row + MA50] = n >= 50 ? close / (this.sma50.value(i) / 50) - 1 : NaN;
    raw[row + MA200] = n >= 200 ? close / (this.sma200.value(i) / 200) - 1 : NaN;
    raw[row + RSI] = n >= 15 ? this.rsi(i) : NaN;
    raw[row + VOL20] = n >= 21 ? this.annualisedStd(i, this.ret20, this.retSq20, 20) : NaN;
    raw[row + VOL60] = n >= 61 ? this.annualisedStd(i, this.ret60, this.retSq60, 60) : NaN;
    raw[row + DD] = n >= 252 ? close / this.max252.max(i) - 1 : NaN;
    raw[row + MDD] = n >= 126 ? this.drawdown126.value(i) : NaN;
    if (n >= 20) {
      const volume20 = this.volume20.value(i);
      raw[row + VLM] = volume20 === 0 ? NaN : this.volume5.value(i) / 5 / (volume20 / 20);
    } else {
      raw[row + VLM] = NaN;
    }
    raw[row + AMIHUD] = n >= 21 && this.amihudCount[i] > 0 ? (1e6 * this.amihud20.value(i)) / this.amihudCount[i] : NaN;
    raw[row + TURNOVER] = this.hasSharesOut && n >= 20 ? this.turnover20.value(i) / 20 : NaN;
    raw[row + RAW_BETA_COLUMN] = NaN;
    if (this.hasSharesOut) {
      raw[row + RAW_SIZE_COLUMN] = Math.log(close * sharesOut);
    } else {
      const meanDollarVolume = this.dollarVolume20.value(i) / 20;
      raw[row + RAW_SIZE_COLUMN] = n >= 20 && meanDollarVolume > 0 ? Math.log(meanDollarVolume) : NaN;
    }
    return r;
  }

  /**
   * Adds the pair (market mean return of the date, the instrument's return)
   * when the bar has a return, and writes `beta_252` into the raw row.
   */
  pushMarket(i: number, barReturn: number, marketReturn: number): void {
    if (barReturn === barReturn) this.beta.push(i, marketReturn, barReturn);
    this.rawRow[i * RAW_WIDTH + RAW_BETA_COLUMN] = this.beta.slope(i);
  }

  private rsi(i: number): number {
    const gainCount = this.gains14.nonZeroCount(i);
    const lossCount = this.losses14.nonZeroCount(i);
    if (gainCount === 0 && lossCount === 0) return 50;
    const gains = this.gains14.value(i);
    const losses = this.losses14.value(i);
    return (100 * gains) / (gains + losses);
  }

  /**
   * Sample std (ddof 1) of the last n returns, annualised. From the running
   * sums when they keep at least ~6 significant digits of the squared
   * deviations; otherwise (near-constant returns) an exact two-pass over the
   * ring, O(n).
   */
  private annualisedStd(i: number, sum: RollingSumKernel, squares: RollingSumKernel, n: number): number {
    const s1 = sum.value(i);
    const s2 = squares.value(i);
    const deviations = s2 - (s1 * s1) / n;
    if (deviations > 1e-6 * s2) return Math.sqrt(deviations / (n - 1)) * SQRT_252;
    let mean = 0;
    for (let k = 0; k < n; k++) mean += this.returns.lag(i, k);
    mean /= n;
    let ss = 0;
    for (let k = 0; k < n; k++) {
      const d = this.returns.lag(i, k) - mean;
      ss += d * d;
    }
    return Math.sqrt(ss / (n - 1)) * SQRT_252;
  }
}

/** What a rolling sum holds of each ring value. */
const IDENTITY = 0;
const GAIN = 1;
const LOSS = 2;
const SQUARE = 3;

function transform(value: number, kind: number): number {
  switch (kind) {
    case GAIN:
      return value > 0 ? value : 0;
    case LOSS:
      return value < 0 ? -value : 0;
    case SQUARE:
      return value * value;
    default:
      return value;
  }
}

/**
 * Adds the transform of the ring's newest value to an n-window sum and
 * removes the transform of the value leaving it (the ring holds > n values).
 */
function rolling(sum: RollingSumKernel, ring: InstrumentRing, i: number, n: number, kind: number): void {
  sum.add(i, transform(ring.lag(i, 0), kind));
  if (ring.count(i) > n) sum.remove(i, transform(ring.lag(i, n), kind));
}
