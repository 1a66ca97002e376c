export { ReportInputError, ReportOutputError } from './errors';
export type {
  ReportInputs,
  SummaryDocument,
  DailyColumns,
  SignalColumns,
  ExposureColumns,
  CvScoreLine,
  FeatureImportance,
  ReturnFigures,
  Figure,
} from './report-inputs';
export { readReportInputs } from './read-report-inputs';
export type { ReportSources } from './read-report-inputs';
export { buildReport } from './build-report';
export { tearSheetCharts } from './tear-sheet-charts';
export type { ChartSpec } from './tear-sheet-charts';
export { renderSvg } from './svg-chart';
export { cumulativeReturn, monthlyReturns, rollingMean, rollingAnnualVol } from './report-series';
export type { MonthlyReturns } from './report-series';
export { writeReport, REPORT_FILE } from './report.writer';
