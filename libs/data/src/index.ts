export { parseSourceSpec, formatSourceSpec, DEFAULT_QLIB_MARKET } from './source-spec.parser';
export type { SourceSpec } from './source-spec.parser';
export { loadBars } from './load-bars';
export type { LoadOptions, LoadResult, Region } from './load-bars';
export { REJECT_REASONS, DEFAULT_MAX_REJECT_RATIO } from './rejects';
export {
  BarAdmission,
  BarRecord,
  BAR_REJECT_REASONS,
  DEFAULT_ADMISSION_LIMITS,
  resolveAdmissionLimits,
  todayIn,
} from './bar-admission';
export type { AdmissionLimits, BarAdmissionOptions, BarRejectReason, IncomingBar } from './bar-admission';
export type { RejectReason, RejectSummary } from './rejects';
export { readTable, requireColumn } from './table.reader';
export type { TextTable } from './table.reader';
export { IndustryTable } from './industry.table';
export { MembershipTable } from './membership.table';
export type { IndustrySpans } from './industry.table';
export { writeBarsCsv, writeBarsParquet, writeIndustryTable } from './bars.writer';
export { writeParquet } from './parquet.writer';
export type { ParquetWriteOptions } from './parquet.writer';
export { readParquet, readParquetBatches, readParquetSchema } from './parquet.reader';
export type { ParquetBatchOptions, ParquetReadOptions, ParquetSchema } from './parquet.reader';
export type { ParquetColumn, ParquetColumnInput, ParquetTable, ParquetTableInput } from './parquet.types';
export { writeQlibDir } from './qlib.writer';
export { QLIB_REQUIRED_FIELDS, QLIB_OPTIONAL_FIELDS } from './qlib.source';
export { generateSyntheticBars, cnPriceLimit } from './synthetic.generator';
export type { SyntheticOptions, SyntheticPanel } from './synthetic.generator';
