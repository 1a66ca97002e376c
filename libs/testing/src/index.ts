// Test support shared by the libs' specs; never imported by production code.
export {
  GOLDEN_DIR,
  REPO_ROOT,
  readCsv,
  csvNumber,
  column,
  keys,
  readJson,
  agrees,
  readGoldenBars,
} from './golden';
export type { CsvTable } from './golden';
export { randomPanel, filterPanel } from './random-panel';
export type { RandomPanelOptions } from './random-panel';
export { randomMembership } from './random-membership';
export type { RandomMembership } from './random-membership';
export { runReadmeExample, runReadmeExampleAsync, jsonWithArrays } from './readme-example';
export type { ReadmeExample } from './readme-example';
export { parquetRecords } from './parquet-records';
