export { BacktestInputError, BacktestOutputError } from './errors';
export { marketPanelFromBars, denseByDate, checkMarketPanel } from './market-panel';
export type { MarketPanel } from './market-panel';
export {
  tradingRulesFromConfig,
  costRatesOn,
  stampDutyOn,
  priceLimitOn,
  growthLimitFrom,
} from './trading-rules';
export type { TradingRules, PriceLimits, StampDutyStep } from './trading-rules';
export { runBacktest, TRADE_STATUSES, CASH_TOLERANCE } from './backtest.engine';
export { BacktestBook, checkTarget } from './backtest.book';
export type { BookDate, BookDay, BookOptions, TradeSink, ExposureStats } from './backtest.book';
export { BacktestRecorder } from './backtest.recorder';
export type { RecorderOptions } from './backtest.recorder';
export { backtestOptionsFromConfig } from './backtest-options';
export { alphaRowsOnMarket, firstAlphaDate } from './alpha-rows';
export type { AlphaTable } from './alpha-rows';
export type {
  BacktestMode,
  BacktestOptions,
  BacktestHooks,
  BacktestResult,
  DailySeries,
  TradeLog,
  WeightLog,
  RebalanceLog,
  ExposureLog,
  TradeStatus,
} from './backtest.engine';
export {
  TRADING_DAYS,
  mean,
  stdDev,
  totalReturn,
  annualReturn,
  annualVolatility,
  sharpeRatio,
  maxDrawdown,
  drawdownSeries,
  calmarRatio,
  hitRate,
  returnMetrics,
  rollingSharpe,
} from './performance-metrics';
export type { ReturnMetrics } from './performance-metrics';
export { summarizeBacktest } from './backtest-summary';
export type { BacktestMetrics } from './backtest-summary';
export { signalMetrics, quintileOf, QUINTILES } from './signal-metrics';
export type { AlphaRows, SignalOptions, SignalSeries, SignalSummary } from './signal-metrics';
export {
  dailyTable,
  weightsTable,
  tradesTable,
  signalTable,
  exposuresTable,
  summaryDocument,
  SUMMARY_SCHEMA_VERSION,
} from './backtest-tables';
export type { RunIdentity } from './backtest-tables';
export { writeBacktestOutputs, backtestDir, BACKTEST_FILES } from './backtest.writer';
export type { BacktestOutputs } from './backtest.writer';
