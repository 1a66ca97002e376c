import { DEFAULT_SEED, formatIsoDay, InputError, parseIsoDay, Rng } from '@alphafeed/core';
import type { BarPanel } from '@alphafeed/core';

/**
 * Options of the synthetic market. Defaults give a demo-sized panel
 * (500 instruments x 6 years, about 0.75M bars, well under a second);
 * 3,000 x 15 years (about 11.7M bars) takes a few seconds.
 */
export interface SyntheticOptions {
  readonly region?: 'us' | 'cn';
  /** Default 42. Same options -> identical arrays. */
  readonly seed?: number;
  /** Default 500. */
  readonly instruments?: number;
  /** Calendar years of Monday–Friday dates from `startDate`. Default 6. */
  readonly years?: number;
  /** Default 2015-01-01. */
  readonly startDate?: string;
  /** Number of industries, at most the region's name list (us 24, cn 28). Default: the whole list. */
  readonly industries?: number;
  /**
   * Strength rho of the planted short-term reversal, in [0, 0.9]. Default 0
   * (no signal). See the README: the idiosyncratic shock of day t is
   * `sigma_i * (-rho * z_{i,t-1} + sqrt(1 - rho^2) * eps_{i,t})`.
   */
  readonly signalStrength?: number;
  /** Bars of past return behind the reversal score z. Default 21 (the `rev_1m` window). */
  readonly signalLookback?: number;
  /** Probability per instrument and day that a 1–15 day suspension starts. Default us 0.0003, cn 0.002. */
  readonly suspensionRate?: number;
  /** Share of instruments listed after the first date. Default 0.15. */
  readonly listingFraction?: number;
  /** Share of instruments delisted before the last date. Default 0.1. */
  readonly delistingFraction?: number;
  /** Emit an `amount` column. Default: true for cn, false for us. */
  readonly withAmount?: boolean;
  /** Emit a `shares_out` column. Default true. */
  readonly withSharesOut?: boolean;
}

/** A generated panel, plus which optional columns it carries. */
export interface SyntheticPanel extends BarPanel {
  readonly hasAmount: boolean;
  readonly hasSharesOut: boolean;
}

const US_INDUSTRIES = [
  'Aerospace & Defense',
  'Airlines',
  'Application Software',
  'Automobiles',
  'Banks',
  'Biotechnology',
  'Chemicals',
  'Construction & Engineering',
  'Electric Utilities',
  'Food Products',
  'Health Care Equipment',
  'Hotels & Restaurants',
  'Household Products',
  'Insurance',
  'Internet Retail',
  'Machinery',
  'Media',
  'Metals & Mining',
  'Oil & Gas Exploration',
  'Pharmaceuticals',
  'REITs',
  'Railroads',
  'Semiconductors',
  'Specialty Retail',
];
const CN_INDUSTRIES = [
  'Agriculture',
  'Automobile',
  'Banking',
  'Basic Chemicals',
  'Beauty Care',
  'Building Materials',
  'Coal',
  'Commerce & Retail',
  'Communication',
  'Computer',
  'Construction',
  'Defense',
  'Electronics',
  'Environment',
  'Food & Beverage',
  'Home Appliances',
  'Light Industry',
  'Machinery',
  'Media',
  'Non-bank Finance',
  'Nonferrous Metals',
  'Petroleum',
  'Pharma & Bio',
  'Power Equipment',
  'Real Estate',
  'Social Services',
  'Steel',
  'Textiles & Apparel',
];

const MARKET_VOL = 0.011;
const INDUSTRY_VOL = 0.007;
const TAIL_DOF = 4;
const MAX_INSTRUMENTS = 20_000;

/** CN daily limit of a code: +-20 % on growth boards (SZ300xxx ChiNext, SH688xxx STAR), else +-10 %. */
export function cnPriceLimit(code: string): number {
  return code.startsWith('SZ30') || code.startsWith('SH688') ? 0.2 : 0.1;
}

/**
 * A seeded market simulation (see README "Synthetic model"): Monday–Friday
 * calendar; per instrument a beta, an industry, a fat-tailed (Student-t, 4
 * dof, unit variance) idiosyncratic shock of its own size, listings and
 * delistings mid-sample and 1–15 day suspensions (the latent price keeps
 * moving, so the gap's move lands on the resume date); CN daily limits clip
 * every bar against the previous close. One date-major pass, O(dates x
 * instruments), all arrays sized exactly from a presence pass first.
 */
export function generateSyntheticBars(options: SyntheticOptions = {}): SyntheticPanel {
  const region = options.region ?? 'us';
  if (region !== 'us' && region !== 'cn')
    throw new InputError(`synthetic region must be us or cn, got "${String(region)}"`);
  const seed = options.seed ?? DEFAULT_SEED;
  const nInst = options.instruments ?? 500;
  const years = options.years ?? 6;
  const startText = options.startDate ?? '2015-01-01';
  const names = region === 'us' ? US_INDUSTRIES : CN_INDUSTRIES;
  const nInd = options.industries ?? names.length;
  const rho = options.signalStrength ?? 0;
  const lookback = options.signalLookback ?? 21;
  const suspensionRate = options.suspensionRate ?? (region === 'cn' ? 0.002 : 0.0003);
  const listingFraction = options.listingFraction ?? 0.15;
  const delistingFraction = options.delistingFraction ?? 0.1;
  const hasAmount = options.withAmount ?? region === 'cn';
  const hasSharesOut = options.withSharesOut ?? true;
  const startDay = parseIsoDay(startText);
  check(
    Number.isInteger(nInst) && nInst >= 1 && nInst <= MAX_INSTRUMENTS,
    'instruments',
    nInst,
    `an integer in [1, ${MAX_INSTRUMENTS}]`,
  );
  check(years > 0 && years <= 60, 'years', years, 'in (0, 60]');
  check(!Number.isNaN(startDay), 'startDate', startText, 'a YYYY-MM-DD date');
  check(
    Number.isInteger(nInd) && nInd >= 1 && nInd <= names.length,
    'industries',
    nInd,
    `an integer in [1, ${names.length}]`,
  );
  check(rho >= 0 && rho <= 0.9, 'signalStrength', rho, 'in [0, 0.9]');
  check(
    Number.isInteger(lookback) && lookback >= 1 && lookback <= 252,
    'signalLookback',
    lookback,
    'an integer in [1, 252]',
  );
  check(suspensionRate >= 0 && suspensionRate <= 0.1, 'suspensionRate', suspensionRate, 'in [0, 0.1]');
  check(listingFraction >= 0 && listingFraction <= 1, 'listingFraction', listingFraction, 'in [0, 1]');
  check(
    delistingFraction >= 0 && delistingFraction <= 1,
    'delistingFraction',
    delistingFraction,
    'in [0, 1]',
  );

  // Calendar: Monday–Friday from startDate for `years` calendar years.
  const end =
    parseIsoDay(`${Number(startText.slice(0, 4)) + Math.floor(years)}${startText.slice(4)}`) +
    Math.round((years % 1) * 365);
  const calendar: string[] = [];
  for (let d = startDay; d < end; d++) {
    const weekday = (((d + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday (4); 0 = Sunday
    if (weekday !== 0 && weekday !== 6) calendar.push(formatIsoDay(d));
  }
  const nDays = calendar.length;

  // Instruments: codes drawn from their own stream, then sorted; index = rank.
  const codeRng = new Rng(seed ^ 0x2545f491);
  const codes = region === 'us' ? usTickers(codeRng, nInst) : cnCodes(codeRng, nInst);
  codes.sort();

  // Static draws per instrument, then the presence pass (listing, delisting, suspensions).
  const rng = new Rng(seed);
  const industryOf = new Int32Array(nInst);
  const beta = new Float64Array(nInst);
  const sigma = new Float64Array(nInst);
  const price0 = new Float64Array(nInst);
  const baseVolume = new Float64Array(nInst);
  const shares0 = new Float64Array(nInst);
  const sharesStep = new Int32Array(nInst);
  const sharesMult = new Float64Array(nInst);
  const limit = new Float64Array(nInst);
  const first = new Int32Array(nInst);
  const last = new Int32Array(nInst);
  for (let i = 0; i < nInst; i++) {
    industryOf[i] = i < nInd ? i : rng.int(nInd); // every industry has a member
    beta[i] = 0.5 + rng.uniform();
    sigma[i] = 0.02 * Math.exp(0.35 * rng.normal());
    price0[i] = Math.exp((region === 'us' ? 3.5 : 2.4) + 0.7 * rng.normal());
    shares0[i] = Math.round(Math.exp(19.5 + rng.normal()));
    baseVolume[i] = shares0[i] * 0.006 * Math.exp(0.5 * rng.normal());
    sharesStep[i] = rng.uniform() < 0.2 ? rng.int(nDays) : -1;
    sharesMult[i] = 1 + 0.3 * rng.uniform();
    limit[i] = region === 'cn' ? cnPriceLimit(codes[i]) : Infinity;
    first[i] = rng.uniform() < listingFraction ? 1 + rng.int(Math.max(1, Math.floor(0.8 * nDays))) : 0;
    last[i] = nDays - 1;
    if (rng.uniform() < delistingFraction && nDays - first[i] > 300)
      last[i] = first[i] + 252 + rng.int(nDays - first[i] - 252);
  }
  const present = new Uint8Array(nDays * nInst);
  let rows = 0;
  for (let i = 0; i < nInst; i++) {
    for (let t = first[i]; t <= last[i]; t++) {
      if (t > first[i] && rng.uniform() < suspensionRate) {
        t += rng.int(15); // suspended t .. t + k, k + 1 in 1..15 days
        continue;
      }
      present[t * nInst + i] = 1;
      rows++;
    }
  }

  const date = new Int32Array(rows);
  const instrument = new Int32Array(rows);
  const industry = new Int32Array(rows);
  const open = new Float64Array(rows);
  const high = new Float64Array(rows);
  const low = new Float64Array(rows);
  const close = new Float64Array(rows);
  const volume = new Float64Array(rows);
  const amount = hasAmount ? new Float64Array(rows) : null;
  const sharesOut = hasSharesOut ? new Float64Array(rows) : null;

  const prevClose = new Float64Array(nInst).fill(NaN);
  const pending = new Float64Array(nInst); // latent log return since the last bar
  const z = new Float64Array(nInst); // reversal score at the previous date (0 if none)
  const ring = new Float64Array(nInst * (lookback + 1)); // last lookback+1 log closes
  const barsSeen = new Int32Array(nInst);
  const score = new Float64Array(nInst);
  const scored = new Int32Array(nInst);
  const industryMove = new Float64Array(nInd);
  const keep = Math.sqrt(1 - rho * rho);
  let row = 0;

  for (let t = 0; t < nDays; t++) {
    const market = 0.0002 + MARKET_VOL * rng.studentT(TAIL_DOF);
    for (let k = 0; k < nInd; k++) industryMove[k] = INDUSTRY_VOL * rng.studentT(TAIL_DOF);
    let nScored = 0;
    for (let i = 0; i < nInst; i++) {
      if (t < first[i] || t > last[i]) continue;
      const s = sigma[i];
      const idio = s * (keep * rng.studentT(TAIL_DOF) - rho * z[i]);
      pending[i] += beta[i] * market + industryMove[industryOf[i]] + idio - 0.5 * s * s;
      z[i] = 0;
      if (present[t * nInst + i] === 0) continue;

      const lim = limit[i];
      let c: number;
      let o: number;
      let prev = prevClose[i];
      if (Number.isNaN(prev)) {
        prev = price0[i];
        c = price0[i];
        o = c * Math.exp(0.3 * s * rng.normal());
      } else {
        c = prev * Math.exp(pending[i]);
        o = prev * Math.exp(0.3 * pending[i] + 0.3 * s * rng.normal());
      }
      pending[i] = 0;
      const up = prev * (1 + lim);
      const down = prev * (1 - lim);
      if (c > up) c = up;
      else if (c < down) c = down;
      if (o > up) o = up;
      else if (o < down) o = down;
      let h = Math.max(o, c) * Math.exp(0.5 * s * Math.abs(rng.normal()));
      let l = Math.min(o, c) * Math.exp(-0.5 * s * Math.abs(rng.normal()));
      if (h > up) h = up;
      if (l < down) l = down;
      const move = Math.abs(Math.log(c / prev));
      let v = baseVolume[i] * Math.exp(0.35 * rng.normal() + (0.5 * move) / s);
      v = region === 'cn' ? Math.max(100, Math.round(v / 100) * 100) : Math.max(1, Math.round(v));

      date[row] = t;
      instrument[row] = i;
      industry[row] = industryOf[i];
      open[row] = o;
      high[row] = h;
      low[row] = l;
      close[row] = c;
      volume[row] = v;
      if (amount !== null) amount[row] = v * (l + (h - l) * rng.uniform());
      if (sharesOut !== null)
        sharesOut[row] =
          sharesStep[i] >= 0 && t >= sharesStep[i] ? Math.round(shares0[i] * sharesMult[i]) : shares0[i];
      row++;
      prevClose[i] = c;

      // Reversal score input: log return over the last `lookback` bars.
      const base = i * (lookback + 1);
      const seen = barsSeen[i]++;
      ring[base + (seen % (lookback + 1))] = Math.log(c);
      if (seen >= lookback) {
        score[nScored] =
          ring[base + (seen % (lookback + 1))] - ring[base + ((seen - lookback) % (lookback + 1))];
        scored[nScored++] = i;
      }
    }
    // z-score of the scores across today's cross-section, used on the next date.
    if (rho > 0 && nScored > 1) {
      let mean = 0;
      for (let k = 0; k < nScored; k++) mean += score[k];
      mean /= nScored;
      let ss = 0;
      for (let k = 0; k < nScored; k++) ss += (score[k] - mean) * (score[k] - mean);
      const sd = Math.sqrt(ss / nScored);
      if (sd > 0) for (let k = 0; k < nScored; k++) z[scored[k]] = (score[k] - mean) / sd;
    }
  }

  // Industries sorted by name; remap the ids.
  const used = names.slice(0, nInd);
  const sortedNames = [...used].sort();
  const rank = Int32Array.from(used, (n) => sortedNames.indexOf(n));
  for (let r = 0; r < rows; r++) industry[r] = rank[industry[r]];
  return {
    calendar,
    instruments: codes,
    industries: sortedNames,
    length: rows,
    date,
    instrument,
    industry,
    open,
    high,
    low,
    close,
    volume,
    amount,
    sharesOut,
    hasAmount,
    hasSharesOut,
  };
}

function check(ok: boolean, name: string, value: unknown, want: string): void {
  if (!ok) throw new InputError(`synthetic option ${name} must be ${want}, got ${String(value)}`);
}

/** Unique US-like tickers of 1–4 capital letters (mostly 3–4). */
function usTickers(rng: Rng, n: number): string[] {
  const out = new Set<string>();
  while (out.size < n) {
    const u = rng.uniform();
    const len = u < 0.03 ? 1 : u < 0.15 ? 2 : u < 0.6 ? 3 : 4;
    let s = '';
    for (let k = 0; k < len; k++) s += String.fromCharCode(65 + rng.int(26));
    out.add(s);
  }
  return [...out];
}

/** Unique A-share codes: SH600000–SH605999 and SZ000001–SZ003999 main boards, SZ300000–SZ301999 ChiNext, SH688000–SH689999 STAR. */
function cnCodes(rng: Rng, n: number): string[] {
  const boards: [string, number, number][] = [
    ['SH', 600000, 6000],
    ['SZ', 1, 3999],
    ['SZ', 300000, 2000],
    ['SH', 688000, 2000],
  ];
  const weights = [0.4, 0.3, 0.2, 0.1];
  const out = new Set<string>();
  while (out.size < n) {
    const u = rng.uniform();
    const b = u < weights[0] ? 0 : u < weights[0] + weights[1] ? 1 : u < 1 - weights[3] ? 2 : 3;
    const [exchange, from, count] = boards[b];
    out.add(`${exchange}${String(from + rng.int(count)).padStart(6, '0')}`);
  }
  return [...out];
}
