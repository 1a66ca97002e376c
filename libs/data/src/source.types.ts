import type { BarPanel } from '@alphafeed/core';
import type { BarAdmission } from './bar-admission';
import type { IndustryTable } from './industry.table';
import type { MembershipTable } from './membership.table';
import type { RejectLog } from './rejects';

/** What every bar source gets from `loadBars`. */
export interface SourceContext {
  readonly industryTable: IndustryTable | null;
  /** The one bar admission every row goes through (checks, factor, industry). */
  readonly admission: BarAdmission;
  readonly rejects: RejectLog;
  readonly onProgress?: (done: number, total: number) => void;
}

/** What every bar source returns before the reject ratio is checked. */
export interface SourceOutput {
  readonly panel: BarPanel;
  /** Data rows seen (accepted + rejected). */
  readonly rowsRead: number;
  readonly hasAmount: boolean;
  readonly hasSharesOut: boolean;
  /** Membership the source itself defines (a Qlib market file other than `all`). */
  readonly membership?: MembershipTable | null;
}

/** Column names of the long bar format, shared by the CSV and Parquet sources. */
export const REQUIRED_BAR_COLUMNS = ['date', 'instrument', 'open', 'high', 'low', 'close', 'volume'] as const;
export const OPTIONAL_BAR_COLUMNS = ['amount', 'shares_out', 'industry', 'factor'] as const;
