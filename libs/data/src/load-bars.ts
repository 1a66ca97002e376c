import { InputError } from '@alphafeed/core';
import type { BarPanel } from '@alphafeed/core';
import { BarAdmission } from './bar-admission';
import type { AdmissionLimits } from './bar-admission';
import { emptyPanelError } from './bar.accumulator';
import { readCsvBars } from './csv.source';
import { IndustryTable } from './industry.table';
import { readParquetBars } from './parquet.source';
import { readQlibBars } from './qlib.source';
import { DEFAULT_MAX_REJECT_RATIO, RejectLog, REJECT_REASONS } from './rejects';
import type { RejectReason, RejectSummary } from './rejects';
import { formatSourceSpec } from './source-spec.parser';
import type { SourceSpec } from './source-spec.parser';
import type { SourceContext, SourceOutput } from './source.types';
import { generateSyntheticBars } from './synthetic.generator';
import { MembershipTable } from './membership.table';
import type { SyntheticOptions } from './synthetic.generator';

export type Region = 'us' | 'cn';

/** The exchanges' zones, for "today" in the admission's date bound. */
const REGION_TIMEZONE: Readonly<Record<Region, string>> = { us: 'America/New_York', cn: 'Asia/Shanghai' };

export interface LoadOptions {
  readonly region: Region;
  /** `instrument,industry`, `instrument,date,industry` or `instrument,start_date,end_date,industry` CSV. */
  readonly industryTable?: string;
  /**
   * `instrument,start_date,end_date` membership CSV (SPEC §1 "universe"). Every bar is kept (history);
   * the result's `membership` tells the engines which instruments form each date's cross-section.
   */
  readonly universeTable?: string;
  /** Refuse the input when rejected / read exceeds this (default 0.01). */
  readonly maxRejectRatio?: number;
  /**
   * Bounds of the bar admission (config `data.admission`; defaults
   * `DEFAULT_ADMISSION_LIMITS`). A file's bars dated after today (in
   * `timezone`) + `maxDaysAhead` are refused like any bad row.
   */
  readonly admission?: Partial<AdmissionLimits>;
  /** The exchange's IANA zone for "today" (default: America/New_York for us, Asia/Shanghai for cn). */
  readonly timezone?: string;
  /** Where to write refused rows (`line,reason,raw`); usually next to the caller's output. */
  readonly rejectsPath?: string;
  /** Generator options for `synthetic` (its `region` defaults to `region` above). */
  readonly synthetic?: SyntheticOptions;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface LoadResult {
  readonly panel: BarPanel;
  readonly rejects: RejectSummary;
  /** Whether the input carries `amount` (decided per input, SPEC §2). */
  readonly hasAmount: boolean;
  readonly hasSharesOut: boolean;
  /**
   * Index membership from `universeTable` or a Qlib market file other than `all`; null when every
   * instrument is a member on every date. Pass `membership.forPanel(panel)` to the feature and label
   * engines (after any subsetting of the panel, since it binds the panel's ids and calendar).
   */
  readonly membership: MembershipTable | null;
  /** Bars of instruments that are not members on their date: used for their history, no row of their own. */
  readonly outsideUniverse: number;
}

/**
 * Loads bars from any source into the one columnar BarPanel: adjusted
 * (SPEC §1), rows sorted by (date, instrument), every refused row counted
 * and written to the rejects file. Throws an InputError for unreadable
 * input, an empty result, or too many rejects.
 */
export async function loadBars(spec: SourceSpec, options: LoadOptions): Promise<LoadResult> {
  const table = options.universeTable === undefined ? null : MembershipTable.read(options.universeTable);
  const loaded = await loadSource(spec, options);
  if (table !== null && loaded.membership !== null) {
    throw new InputError(
      `both a membership table (${options.universeTable}) and the Qlib market file of ${formatSourceSpec(spec)} ` +
        'define the universe; use one: data.universe_table: null, or the market "all" (qlib:DIR)',
    );
  }
  const membership = table ?? loaded.membership;
  if (membership === null) return { ...loaded, outsideUniverse: 0 };
  const outsideUniverse = membership.countNonMemberBars(loaded.panel);
  if (outsideUniverse === loaded.panel.length) {
    throw new InputError(
      `no bar of ${formatSourceSpec(spec)} belongs to the universe of ${membership.source}; check its instrument codes and dates`,
    );
  }
  return { ...loaded, membership, outsideUniverse };
}

async function loadSource(
  spec: SourceSpec,
  options: LoadOptions,
): Promise<Omit<LoadResult, 'outsideUniverse'>> {
  if (options.region !== 'us' && options.region !== 'cn') {
    throw new InputError(`unknown region "${String(options.region)}"; use us or cn`);
  }
  const maxRejectRatio = options.maxRejectRatio ?? DEFAULT_MAX_REJECT_RATIO;
  if (!(maxRejectRatio >= 0 && maxRejectRatio <= 1)) {
    throw new InputError(`maxRejectRatio must be in [0, 1], got ${maxRejectRatio}`);
  }
  if (spec.kind === 'synthetic') {
    const generated = generateSyntheticBars({
      ...options.synthetic,
      region: options.synthetic?.region ?? options.region,
    });
    const byReason = {} as Record<RejectReason, number>;
    for (const r of REJECT_REASONS) byReason[r] = 0;
    return {
      panel: generated,
      rejects: { rowsRead: generated.length, rejected: 0, byReason, path: null },
      hasAmount: generated.hasAmount,
      hasSharesOut: generated.hasSharesOut,
      membership: null,
    };
  }
  const industryTable =
    options.industryTable === undefined ? null : IndustryTable.read(options.industryTable);
  const ctx: SourceContext = {
    industryTable,
    admission: new BarAdmission({
      limits: options.admission,
      timezone: options.timezone ?? REGION_TIMEZONE[options.region],
      industryTable,
    }),
    rejects: new RejectLog(options.rejectsPath),
    onProgress: options.onProgress,
  };
  let out: SourceOutput;
  switch (spec.kind) {
    case 'csv':
      out = await readCsvBars(spec.path, ctx);
      break;
    case 'parquet':
      out = await readParquetBars(spec.path, ctx);
      break;
    case 'qlib':
      out = await readQlibBars(spec.dir, spec.market, ctx);
      break;
  }
  const rejects = ctx.rejects.finish(out.rowsRead, maxRejectRatio);
  if (out.panel.length === 0) throw emptyPanelError(formatSourceSpec(spec), out.rowsRead);
  return {
    panel: out.panel,
    rejects,
    hasAmount: out.hasAmount,
    hasSharesOut: out.hasSharesOut,
    membership: out.membership ?? null,
  };
}
