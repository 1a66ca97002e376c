/**
 * The book of SPEC §12 for one calendar date at a time: the state the
 * accounting carries from a date to the next (one weight per instrument, the
 * gap counters of the write-off rule, the pending decision, yesterday's bar
 * and member flags) and the per-date step that moves it. `runBacktest` is a
 * loop over it; the live portfolio engine (`@alphafeed/portfolio`) drives the
 * same class date by date, so both keep the same books by construction.
 *
 * Instruments are ids into a dictionary the caller keeps stable; ids only
 * grow (`instruments` may be appended to between dates). Per date the caller
 * hands dense views indexed by id (`BookDate`). Cost: O(N) per date.
 */
import { parseIsoDay } from '@alphafeed/core';
import { BacktestInputError } from './errors';
import { growthLimitFrom, stampDutyOn, type TradingRules } from './trading-rules';

export type BacktestMode = 'long_short' | 'long_only';

/** Why a wanted trade did (not) happen; the code is the index. */
export const TRADE_STATUSES = ['filled', 'scaled', 'no_bar', 'limit_up', 'limit_down', 'write_off'] as const;
export type TradeStatus = (typeof TRADE_STATUSES)[number];
const FILLED = 0;
const SCALED = 1;
const NO_BAR = 2;
const LIMIT_UP = 3;
const LIMIT_DOWN = 4;
const WRITE_OFF = 5;
const UNTOUCHED = 255;

/**
 * Long-only buys are scaled down only when they overdraw cash by more than
 * this: a target that sums to 1 within a solver's primal tolerance (1e-7)
 * must not mark every buy as scaled. Cash can therefore dip to -1e-7.
 */
export const CASH_TOLERANCE = 1e-7;

/** One date of the market, dense by instrument id (length >= the book's capacity; extra ids read as absent). */
export interface BookDate {
  /** ISO date (messages, stamp duty and growth-board dates). */
  readonly iso: string;
  /** 1 = a real bar on the date. */
  readonly bar: Uint8Array;
  /** Return on the instrument's own bars; NaN without a bar or a previous bar. */
  readonly ret: Float64Array;
  /** 1 = a benchmark member on the date (a member with a bar). */
  readonly member: Uint8Array;
}

/** Receives every wanted trade at its fill date and every write-off (the trade log). */
export interface TradeSink {
  push(
    fillDate: number,
    decisionDate: number,
    instrument: number,
    weightBefore: number,
    target: number,
    traded: number,
    cost: number,
    status: number,
  ): void;
}

/** The accounting of one date after the first (SPEC §12). */
export interface BookDay {
  /** `R_gross = sum w_{d-1} r_d`. */
  readonly gross: number;
  /** `B_d` (0 in long_short). */
  readonly benchmark: number;
  /** Costs of the date's fills and write-offs, a fraction of capital. */
  readonly cost: number;
  /** `sum |filled change|` of the date (fills and write-offs): twice the one-sided turnover. */
  readonly traded: number;
  /** The decision filled on this date (its date), or -1. */
  readonly filledDecision: number;
  /** `sum |filled change|` of that decision's fills alone. */
  readonly filledTraded: number;
}

export interface BookOptions {
  readonly mode: BacktestMode;
  readonly rules: TradingRules;
  /** A held name with no bar for this many consecutive dates is written off (default 5). */
  readonly writeOffAfter?: number;
  /** Instrument codes by id (the CN growth-board rule reads the prefix); may grow between dates. */
  readonly instruments: readonly string[];
  /** Where trades go; null = not logged. */
  readonly trades?: TradeSink | null;
}

export interface ExposureStats {
  readonly gross: number;
  readonly net: number;
  readonly longs: number;
  readonly shorts: number;
}

export class BacktestBook {
  readonly mode: BacktestMode;
  readonly longOnly: boolean;
  readonly rules: TradingRules;
  readonly writeOffAfter: number;
  private readonly instruments: readonly string[];
  private readonly trades: TradeSink | null;

  private size = 0;
  private w = new Float64Array(0);
  private gap = new Int32Array(0);
  private bench: Float64Array | null = null;
  private growthFrom = new Float64Array(0);
  private prevBar = new Uint8Array(0);
  private prevMember = new Uint8Array(0);
  private status = new Uint8Array(0);
  private lastDate = -1;
  private lastIso = '';
  private pending: Float64Array | null = null;
  private pendingFrom = -1;

  constructor(options: BookOptions) {
    const writeOffAfter = options.writeOffAfter ?? 5;
    if (options.mode !== 'long_short' && options.mode !== 'long_only')
      throw new BacktestInputError(
        'RANGE',
        `backtest mode must be long_short or long_only, got "${options.mode}"`,
      );
    if (!(Number.isInteger(writeOffAfter) && writeOffAfter > 0))
      throw new BacktestInputError('RANGE', `writeOffAfter must be a positive integer, got ${writeOffAfter}`);
    this.mode = options.mode;
    this.longOnly = options.mode === 'long_only';
    this.rules = options.rules;
    this.writeOffAfter = writeOffAfter;
    this.instruments = options.instruments;
    this.trades = options.trades ?? null;
    this.reserve(options.instruments.length);
  }

  /** Ids the book covers: [0, capacity). */
  get capacity(): number {
    return this.size;
  }

  /** Calendar position of the last date taken (opened or closed), -1 before. */
  get lastDateIndex(): number {
    return this.lastDate;
  }

  /** Weights held now (a live view, length `capacity`; copy what you keep). */
  get weights(): Float64Array {
    return this.w.subarray(0, this.size);
  }

  /** Equal weights of the members of the last date (long_only; a live view), else null. */
  get benchmark(): Float64Array | null {
    return this.bench === null ? null : this.bench.subarray(0, this.size);
  }

  /** True when a decision waits for its fills at the next date. */
  get hasPending(): boolean {
    return this.pending !== null;
  }

  /** Drops every state: the book is in cash and has seen no date. */
  reset(): void {
    this.w.fill(0);
    this.gap.fill(0);
    this.bench?.fill(0);
    this.prevBar.fill(0);
    this.prevMember.fill(0);
    this.lastDate = -1;
    this.lastIso = '';
    this.pending = null;
    this.pendingFrom = -1;
  }

  /** Grows the id space to `n` (ids only grow). */
  reserve(n: number): void {
    if (n <= this.w.length) {
      this.extendGrowth(n);
      return;
    }
    const cap = Math.max(n, this.w.length * 2, 16);
    const grow = <T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (k: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.w = grow(this.w, (k) => new Float64Array(k));
    this.gap = grow(this.gap, (k) => new Int32Array(k));
    if (this.longOnly) this.bench = grow(this.bench ?? new Float64Array(0), (k) => new Float64Array(k));
    this.prevBar = grow(this.prevBar, (k) => new Uint8Array(k));
    this.prevMember = grow(this.prevMember, (k) => new Uint8Array(k));
    this.status = new Uint8Array(cap);
    const g = new Float64Array(cap).fill(Infinity);
    g.set(this.growthFrom.subarray(0, this.size));
    this.growthFrom = g;
    this.extendGrowth(n);
  }

  private extendGrowth(n: number): void {
    const limits = this.rules.priceLimits;
    for (let i = this.size; i < n; i++) {
      const code = this.instruments[i];
      this.growthFrom[i] = limits === null || code === undefined ? Infinity : growthLimitFrom(limits, code);
    }
    if (n > this.size) this.size = n;
  }

  /**
   * Takes the first date of the book (the first decision date; the book is in
   * cash): only remembers the date's bars and members and sets the benchmark.
   */
  open(d: number, date: BookDate): void {
    this.checkDate(d, date);
    this.remember(d, date);
  }

  /**
   * The accounting of date d (after `open`, dates consecutive): returns of
   * the weights held at the close of d-1, benchmark, drift, write-offs, fills
   * of the decision of d-1, costs; then remembers d's bars and benchmark.
   */
  close(d: number, date: BookDate): BookDay {
    if (this.lastDate < 0 || d !== this.lastDate + 1)
      throw new BacktestInputError(
        'RANGE',
        `the book needs the next calendar position after ${this.lastDate}, got ${d}; open it on the first date and close the dates in order`,
      );
    this.checkDate(d, date);
    const N = this.size;
    const { bar, ret } = date;
    const w = this.w;
    const gap = this.gap;
    // 1. Returns of the weights held at the close of d-1; a name without a bar earns 0.
    let rGross = 0;
    for (let i = 0; i < N; i++) {
      const wi = w[i];
      if (wi !== 0 && bar[i] === 1) {
        const r = ret[i];
        if (r === r) rGross += wi * r;
      }
    }
    const rBench = this.benchmarkReturn(date);
    if (!(1 + rGross > 0))
      throw new BacktestInputError(
        'TARGET',
        `the book lost all its capital on ${date.iso} (gross return ${rGross}); check the target weights' leverage`,
      );
    // 2. Drift: w <- w (1 + r) / (1 + R_gross).
    const scale = 1 / (1 + rGross);
    for (let i = 0; i < N; i++) {
      const wi = w[i];
      if (wi === 0) continue;
      const r = bar[i] === 1 ? ret[i] : 0;
      w[i] = wi * (1 + (r === r ? r : 0)) * scale;
    }
    // 3. Write-offs: sold at the last close on the writeOffAfter-th date without a bar.
    const dayNumber = parseIsoDay(date.iso);
    const stamp = stampDutyOn(this.rules, dayNumber);
    const buyCost = this.rules.cost;
    const sellCost = this.rules.cost + stamp;
    let cost = 0;
    let traded = 0;
    for (let i = 0; i < N; i++) {
      if (bar[i] === 1) {
        gap[i] = 0;
        continue;
      }
      gap[i]++;
      if (gap[i] >= this.writeOffAfter && w[i] !== 0) {
        const wi = w[i];
        const c = wi > 0 ? sellCost * wi : -buyCost * wi;
        this.trades?.push(d, d, i, wi, 0, -wi, c, WRITE_OFF);
        cost += c;
        traded += Math.abs(wi);
        w[i] = 0;
      }
    }
    // 4. Fills of the decision of d-1 at the close of d.
    let filledDecision = -1;
    let filledTraded = 0;
    if (this.pending !== null) {
      const f = this.fill(this.pending, this.pendingFrom, d, date, dayNumber, buyCost, sellCost);
      cost += f.cost;
      traded += f.traded;
      filledDecision = this.pendingFrom;
      filledTraded = f.traded;
      this.pending = null;
      this.pendingFrom = -1;
    }
    this.remember(d, date);
    return { gross: rGross, benchmark: rBench, cost, traded, filledDecision, filledTraded };
  }

  /**
   * The decision of the last date taken: `target` (dense by id, length >=
   * capacity, finite; checked) fills at the close of the next date; null
   * keeps the book. A decision replaces one not yet filled.
   */
  decide(target: Float64Array | null): void {
    if (this.lastDate < 0)
      throw new BacktestInputError('RANGE', 'the book has no date yet: open it before deciding');
    if (target === null) {
      this.pending = null;
      this.pendingFrom = -1;
      return;
    }
    checkTarget(target, this.size, this.lastIso, this.longOnly);
    this.pending = target;
    this.pendingFrom = this.lastDate;
  }

  /** Gross and net exposure and long/short counts of the weights held now. */
  exposureStats(): ExposureStats {
    let gross = 0;
    let net = 0;
    let longs = 0;
    let shorts = 0;
    const w = this.w;
    for (let i = 0; i < this.size; i++) {
      const wi = w[i];
      if (wi > 0) longs++;
      else if (wi < 0) shorts++;
      gross += Math.abs(wi);
      net += wi;
    }
    return { gross, net, longs, shorts };
  }

  private checkDate(d: number, date: BookDate): void {
    const N = this.size;
    if (date.bar.length < N || date.ret.length < N || date.member.length < N)
      throw new BacktestInputError(
        'PANEL',
        `the market of ${date.iso} (calendar position ${d}) covers ${Math.min(date.bar.length, date.ret.length, date.member.length)} instruments, the book ${N}; give one entry per instrument id`,
      );
  }

  /** Keeps d's bars and members for the limit rule and the benchmark of d+1; sets d's benchmark weights. */
  private remember(d: number, date: BookDate): void {
    const N = this.size;
    this.prevBar.set(date.bar.subarray(0, N));
    this.prevMember.set(date.member.subarray(0, N));
    this.lastDate = d;
    this.lastIso = date.iso;
    const bench = this.bench;
    if (bench === null) return;
    const member = date.member;
    let members = 0;
    for (let i = 0; i < N; i++) members += member[i];
    const wb = members === 0 ? 0 : 1 / members;
    for (let i = 0; i < N; i++) bench[i] = member[i] === 1 ? wb : 0;
  }

  /** `B_d`: equal weights over the members on d-1, times their returns on d (0 without a bar). */
  private benchmarkReturn(date: BookDate): number {
    if (!this.longOnly) return 0;
    const N = this.size;
    const member = this.prevMember;
    let members = 0;
    let sum = 0;
    for (let i = 0; i < N; i++) {
      if (member[i] !== 1) continue;
      members++;
      if (date.bar[i] === 1) {
        const r = date.ret[i];
        if (r === r) sum += r;
      }
    }
    return members === 0 ? 0 : sum / members;
  }

  /**
   * Sets the filled names to their targets at the close of d. A name without
   * a bar on d, or (with price limits) a buy at limit-up / a sell at
   * limit-down after a bar on d-1, keeps its drifted weight. In long_only the
   * filled buys are scaled down pro rata when cash plus the filled sells
   * cannot pay for them.
   */
  private fill(
    target: Float64Array,
    decisionDate: number,
    d: number,
    date: BookDate,
    day: number,
    buyCost: number,
    sellCost: number,
  ): { cost: number; traded: number } {
    const N = this.size;
    const { bar, ret } = date;
    const w = this.w;
    const limits = this.rules.priceLimits;
    const prevBar = this.prevBar;
    const growthFrom = this.growthFrom;
    let buys = 0;
    let sells = 0;
    let invested = 0;
    const status = this.status;
    status.fill(UNTOUCHED, 0, N);
    for (let i = 0; i < N; i++) {
      invested += w[i];
      const tgt = i < target.length ? target[i] : 0;
      const cur = w[i];
      if (tgt === cur) continue;
      let s = FILLED;
      if (bar[i] !== 1) s = NO_BAR;
      else if (limits !== null && prevBar[i] === 1) {
        const r = ret[i];
        const open = (day >= growthFrom[i] ? limits.growth : limits.main) - limits.margin;
        if (tgt > cur && r >= open) s = LIMIT_UP;
        else if (tgt < cur && r <= -open) s = LIMIT_DOWN;
      }
      status[i] = s;
      if (s === FILLED) {
        if (tgt > cur) buys += tgt - cur;
        else sells += cur - tgt;
      }
    }
    let buyScale = 1;
    if (this.longOnly) {
      const available = Math.max(0, 1 - invested + sells);
      if (buys > available + CASH_TOLERANCE) buyScale = available / buys;
    }
    let cost = 0;
    let traded = 0;
    for (let i = 0; i < N; i++) {
      let s = status[i];
      if (s === UNTOUCHED) continue;
      const cur = w[i];
      const tgt = i < target.length ? target[i] : 0;
      let delta = 0;
      let c = 0;
      if (s === FILLED) {
        delta = tgt - cur;
        if (delta > 0 && buyScale < 1) {
          delta *= buyScale;
          s = SCALED;
          w[i] = cur + delta;
        } else {
          w[i] = tgt;
        }
        c = delta > 0 ? buyCost * delta : -sellCost * delta;
        cost += c;
        traded += Math.abs(delta);
      }
      this.trades?.push(d, decisionDate, i, cur, tgt, delta, c, s);
    }
    return { cost, traded };
  }
}

/** A decision's target: N finite weights (>= 0 up to CASH_TOLERANCE in long_only). */
export function checkTarget(target: Float64Array, N: number, date: string, longOnly: boolean): void {
  if (!(target instanceof Float64Array) || target.length < N)
    throw new BacktestInputError(
      'TARGET',
      `the decision of ${date} returned ${target?.length ?? 'no'} target weights for ${N} instruments`,
    );
  for (let i = 0; i < N; i++) {
    const v = target[i];
    if (!Number.isFinite(v))
      throw new BacktestInputError(
        'TARGET',
        `the decision of ${date} gave instrument #${i} the weight ${v}; weights must be finite`,
      );
    if (longOnly && v < -CASH_TOLERANCE)
      throw new BacktestInputError(
        'TARGET',
        `the decision of ${date} gave instrument #${i} the weight ${v}; long_only weights must be >= 0`,
      );
  }
}
