/**
 * The tear sheet's charts as ECharts options, one builder per chart. Each
 * says what it draws (`title`, `caption`) and how many data marks it must
 * at least render (`minMarks`: one line per series, one bar or cell per
 * value), which the browser test checks against the page. A chart whose
 * input is absent returns `missing` with the reason instead of an option.
 */
import type { EChartsOption } from 'echarts';
import { drawdownSeries, rollingSharpe, TRADING_DAYS } from '@alphafeed/backtest';
import type { ReportInputs } from './report-inputs';
import { cumulativeReturn, monthlyReturns, rollingAnnualVol, rollingMean } from './report-series';
import { COLORS } from './svg-chart';

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly wide: boolean;
  readonly option: EChartsOption | null;
  readonly minMarks: number;
  readonly missing?: string;
  readonly height?: number;
}

const ROLLING = 63;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const STYLE_FACTORS = ['beta_252', 'size', 'momentum', 'vol_60'];

const pct =
  (digits = 0) =>
  (v: number) =>
    `${(v * 100).toFixed(digits)}%`;
const grid = { left: 56, right: 24, top: 36, bottom: 40, containLabel: false };
const legend = { top: 4, right: 8, itemWidth: 14, itemHeight: 8, textStyle: { fontSize: 11 } };
const splitLine = { lineStyle: { color: COLORS.grid } };
const timeAxis = {
  type: 'time' as const,
  axisLabel: { fontSize: 11, hideOverlap: true },
  splitLine: { show: false },
};
const valueAxis = (formatter: (v: number) => string, extra: Record<string, unknown> = {}) => ({
  type: 'value' as const,
  axisLabel: { fontSize: 11, formatter },
  splitLine,
  scale: true,
  ...extra,
});

/** [date, value] pairs, NaN left out, `scale` applied. */
function points(date: readonly string[], v: Float64Array, scale = 1): [string, number][] {
  const out: [string, number][] = [];
  for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i])) out.push([date[i], v[i] * scale]);
  return out;
}

function line(name: string, data: [string, number][], color: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    type: 'line' as const,
    data,
    showSymbol: false,
    sampling: 'lttb' as const,
    lineStyle: { width: 1.6, color },
    itemStyle: { color },
    ...extra,
  };
}

export function cumulativeChart(inputs: ReportInputs): ChartSpec {
  const { daily, summary } = inputs;
  const longOnly = summary.mode === 'long_only';
  const start: [string, number] = [summary.start, 0];
  const series = [
    line('Net', [start, ...points(daily.date, cumulativeReturn(daily.net))], COLORS.net, {
      lineStyle: { width: 2, color: COLORS.net },
    }),
    line('Gross', [start, ...points(daily.date, cumulativeReturn(daily.gross))], COLORS.gross),
  ];
  if (longOnly)
    series.push(
      line('Benchmark', [start, ...points(daily.date, cumulativeReturn(daily.benchmark))], COLORS.benchmark),
    );
  return {
    id: 'cumulative',
    title: 'Cumulative return',
    caption: longOnly
      ? 'Net and gross of costs against the equal-weighted universe benchmark; wealth starts at 1 on the first decision date.'
      : 'Net and gross of costs (long-short, no benchmark); wealth starts at 1 on the first decision date.',
    wide: true,
    minMarks: series.length,
    option: {
      grid,
      legend,
      tooltip: { trigger: 'axis' },
      xAxis: timeAxis,
      yAxis: valueAxis(pct(0)),
      series,
    },
  };
}

export function drawdownChart(inputs: ReportInputs): ChartSpec {
  const { daily } = inputs;
  return {
    id: 'drawdown',
    title: 'Drawdown (net)',
    caption: 'W / running peak of W − 1, with W₀ = 1 (SPEC §12).',
    wide: false,
    minMarks: 1,
    option: {
      grid,
      xAxis: timeAxis,
      yAxis: valueAxis(pct(0), { max: 0, scale: false }),
      series: [
        line('Drawdown', points(daily.date, drawdownSeries(daily.net)), COLORS.negative, {
          areaStyle: { color: 'rgba(192, 57, 43, 0.18)' },
        }),
      ],
    },
  };
}

export function rollingSharpeChart(inputs: ReportInputs): ChartSpec {
  const { daily } = inputs;
  const net = points(daily.date, rollingSharpe(daily.net, ROLLING));
  return {
    id: 'rolling-sharpe',
    title: `Rolling ${ROLLING}-day Sharpe`,
    caption: 'Annualised, net and gross of costs, rf = 0.',
    wide: false,
    minMarks: 2,
    missing: net.length === 0 ? `fewer than ${ROLLING} backtest days` : undefined,
    option:
      net.length === 0
        ? null
        : {
            grid,
            legend,
            xAxis: timeAxis,
            yAxis: valueAxis((v) => v.toFixed(1)),
            series: [
              line('Net', net, COLORS.net, { markLine: zeroLine() }),
              line('Gross', points(daily.date, rollingSharpe(daily.gross, ROLLING)), COLORS.gross),
            ],
          },
  };
}

function zeroLine() {
  return {
    silent: true,
    symbol: 'none',
    label: { show: false },
    lineStyle: { color: COLORS.axis, type: 'dashed' as const, width: 1 },
    data: [{ yAxis: 0 }],
  };
}

export function monthlyHeatmap(inputs: ReportInputs): ChartSpec {
  const m = monthlyReturns(inputs.daily.date, inputs.daily.net);
  const extreme = Math.max(0.01, ...m.cells.map((c) => Math.abs(c[2])));
  const data = m.cells.map(([y, mo, r]) => [mo, y, Number((r * 100).toFixed(2))]);
  return {
    id: 'monthly',
    title: 'Monthly returns (net, %)',
    caption: `Compounded within each month. Years: ${m.years.map((y, i) => `${y} ${(m.yearly[i] * 100).toFixed(1)}%`).join(', ')}.`,
    wide: false,
    minMarks: data.length,
    height: Math.max(220, 70 + 26 * m.years.length),
    option: {
      grid: { left: 52, right: 16, top: 12, bottom: 56 },
      xAxis: { type: 'category', data: MONTHS, splitArea: { show: false }, axisLabel: { fontSize: 11 } },
      yAxis: { type: 'category', data: m.years.map(String), axisLabel: { fontSize: 11 }, inverse: true },
      visualMap: {
        min: -extreme * 100,
        max: extreme * 100,
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 120,
        itemWidth: 10,
        textStyle: { fontSize: 10 },
        inRange: { color: [COLORS.negative, '#f5f5f5', COLORS.positive] },
        formatter: (v: unknown) => `${Number(v).toFixed(1)}%`,
      },
      series: [
        {
          type: 'heatmap',
          data,
          label: {
            show: true,
            fontSize: 9,
            formatter: (p: { value: unknown }) => (p.value as number[])[2].toFixed(1),
          },
          itemStyle: { borderColor: '#fff', borderWidth: 1 },
        },
      ],
    },
  };
}

export function turnoverChart(inputs: ReportInputs): ChartSpec {
  const { daily, summary } = inputs;
  const fills: [string, number][] = [];
  for (let i = 0; i < daily.turnover.length; i++)
    if (daily.turnover[i] > 0) fills.push([daily.date[i], daily.turnover[i] * 100]);
  const cumulativeCost = new Float64Array(daily.cost.length);
  let c = 0;
  for (let i = 0; i < daily.cost.length; i++) cumulativeCost[i] = c += daily.cost[i];
  const perRebalance = summary.metrics.turnover_per_rebalance;
  return {
    id: 'turnover',
    title: 'Turnover and costs',
    caption:
      `One-sided filled turnover per trading day (bars, %; write-offs included) and cumulative costs (line, bps of capital). ` +
      `Mean per rebalance after the first build: ${perRebalance === null ? 'n/a' : `${(perRebalance * 100).toFixed(1)}%`}.`,
    wide: false,
    minMarks: Math.min(fills.length, 1) + 1,
    option: {
      grid: { ...grid, right: 56 },
      legend,
      xAxis: timeAxis,
      yAxis: [
        valueAxis((v) => `${v.toFixed(0)}%`, { scale: false }),
        valueAxis((v) => `${v.toFixed(0)}`, { splitLine: { show: false } }),
      ],
      series: [
        {
          name: 'Turnover',
          type: 'bar',
          data: fills,
          barMaxWidth: 3,
          itemStyle: { color: COLORS.gross },
          large: false,
        },
        line('Cumulative cost (bps)', points(daily.date, cumulativeCost, 1e4), COLORS.accent, {
          yAxisIndex: 1,
        }),
      ],
    },
  };
}

export function icChart(inputs: ReportInputs): ChartSpec {
  const s = inputs.signal;
  if (s === null || s.ic.every((x) => !Number.isFinite(x)))
    return missing(
      'ic',
      'Information coefficient',
      'no signal metrics (no point-in-time alphas with matured labels)',
    );
  const sm = inputs.summary.signal;
  const fmt = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : v.toFixed(3));
  return {
    id: 'ic',
    title: 'Daily IC and rank IC vs label_21d',
    caption: `Bars: daily rank IC; lines: ${ROLLING}-day rolling means. Mean IC ${fmt(sm?.ic_mean)}, ICIR ${fmt(sm?.icir)}; mean rank IC ${fmt(sm?.rank_ic_mean)}, ICIR ${fmt(sm?.rank_icir)}; matured labels only.`,
    wide: false,
    minMarks: 3,
    option: {
      grid,
      legend,
      xAxis: timeAxis,
      yAxis: valueAxis((v) => v.toFixed(2)),
      series: [
        {
          name: 'Rank IC',
          type: 'bar',
          data: points(s.date, s.rankIc),
          barMaxWidth: 2,
          itemStyle: { color: COLORS.muted },
        },
        line(`IC (${ROLLING}d mean)`, points(s.date, rollingMean(s.ic, ROLLING)), COLORS.net),
        line(`Rank IC (${ROLLING}d mean)`, points(s.date, rollingMean(s.rankIc, ROLLING)), COLORS.accent),
      ],
    },
  };
}

export function quintileChart(inputs: ReportInputs): ChartSpec {
  const q = inputs.summary.signal?.quintile_next_day_return;
  if (q === undefined || q.every((x) => x === null))
    return missing('quintiles', 'Alpha quintiles', 'no signal metrics (no point-in-time alphas)');
  const bps = q.map((x) => (x === null ? 0 : Number((x * 1e4).toFixed(3))));
  return {
    id: 'quintiles',
    title: 'Next-day return by alpha quintile',
    caption: `Equal-weighted mean next-day return of each alpha quintile (bps a day; Q1 = lowest alpha), over ${inputs.summary.signal?.quintile_dates ?? 0} dates.`,
    wide: false,
    minMarks: 5,
    option: {
      grid,
      xAxis: { type: 'category', data: ['Q1', 'Q2', 'Q3', 'Q4', 'Q5'], axisLabel: { fontSize: 11 } },
      yAxis: valueAxis((v) => v.toFixed(1), { scale: false }),
      series: [
        {
          type: 'bar',
          data: bps.map((v) => ({
            value: v,
            itemStyle: { color: v >= 0 ? COLORS.positive : COLORS.negative },
          })),
          barWidth: '55%',
          label: {
            show: true,
            position: 'top',
            fontSize: 10,
            formatter: (p: { value: unknown }) => Number(p.value).toFixed(2),
          },
        },
      ],
    },
  };
}

export function volChart(inputs: ReportInputs): ChartSpec {
  const { daily, summary } = inputs;
  if (daily.exAnteVol.every((x) => !Number.isFinite(x) || x === 0))
    return missing(
      'vol',
      'Ex-ante vs realised volatility',
      'no ex-ante vol (the backtest ran without a risk model)',
    );
  const active = daily.gross.map((g, i) => g - daily.benchmark[i]);
  const bias = summary.metrics.bias_statistic;
  return {
    id: 'vol',
    title: 'Ex-ante vs realised volatility',
    caption:
      `Ex-ante vol √((w−b)'Σ(w−b)) of the held weights and the realised ${ROLLING}-day vol of the gross active return, annualised. ` +
      `Bias statistic std(z) = ${bias === null ? 'n/a' : bias.toFixed(2)} over ${summary.metrics.bias_days} days (1 = calibrated).`,
    wide: false,
    minMarks: 2,
    option: {
      grid,
      legend,
      xAxis: timeAxis,
      yAxis: valueAxis(pct(0), { scale: false }),
      series: [
        line(
          'Ex-ante',
          points(
            daily.date,
            daily.exAnteVol.map((v) => (v > 0 ? v : NaN)),
            Math.sqrt(TRADING_DAYS),
          ),
          COLORS.net,
        ),
        line(`Realised (${ROLLING}d)`, points(daily.date, rollingAnnualVol(active, ROLLING)), COLORS.accent),
      ],
    },
  };
}

export function exposureChart(inputs: ReportInputs): ChartSpec {
  const x = inputs.exposures;
  if (x === null)
    return missing(
      'exposures',
      'Factor exposures',
      'no factor exposures (the backtest ran without a risk model)',
    );
  const K = x.factors.length;
  let chosen = x.factors.map((_, k) => k).filter((k) => STYLE_FACTORS.includes(x.factors[k]));
  if (chosen.length === 0) {
    const meanAbs = x.factors.map((_, k) => {
      let s = 0;
      for (let r = 0; r < x.date.length; r++) s += Math.abs(x.values[r * K + k]) || 0;
      return s;
    });
    chosen = x.factors
      .map((_, k) => k)
      .sort((a, b) => meanAbs[b] - meanAbs[a])
      .slice(0, 6);
  }
  return {
    id: 'exposures',
    title: 'Factor exposures over time',
    caption:
      "Exposure x'(w − b) of the held weights to the style factors of the risk model (SPEC §10), at each close.",
    wide: false,
    minMarks: chosen.length,
    option: {
      grid,
      legend,
      xAxis: timeAxis,
      yAxis: valueAxis((v) => v.toFixed(2)),
      series: chosen.map((k, j) =>
        line(
          x.factors[k],
          points(
            x.date,
            x.values.filter((_, idx) => idx % K === k),
          ),
          ['#1f3a5f', '#d68910', '#16a085', '#7d3c98', '#c0392b', '#566573'][j % 6],
        ),
      ),
    },
  };
}

export function cvScoresChart(inputs: ReportInputs): ChartSpec {
  const lines = inputs.cvScores?.filter((l) => l.metric === 'rank_ic') ?? [];
  if (lines.length === 0) return missing('cv', 'CV fold scores', 'no cv_scores.jsonl of a trained model');
  const folds = [...new Set(lines.map((l) => String(l.fold_id)))].sort((a, b) =>
    a === 'oof' ? 1 : b === 'oof' ? -1 : Number(a) - Number(b),
  );
  const keys = [...new Set(lines.map((l) => `${l.model} ${l.horizon}`))].sort();
  const series = keys.map((key) => ({
    name: key,
    type: 'bar' as const,
    data: folds.map((f) => {
      const l = lines.find((x) => `${x.model} ${x.horizon}` === key && String(x.fold_id) === f);
      return l === undefined || l.value === null ? 0 : Number(l.value.toFixed(4));
    }),
  }));
  return {
    id: 'cv',
    title: "Last model's CV fold scores",
    caption:
      'Rank IC of each base model and horizon on each test fold and on the whole out-of-fold set (SPEC §7).',
    wide: false,
    minMarks: keys.length * folds.length,
    option: {
      grid,
      legend: { ...legend, type: 'scroll' },
      xAxis: {
        type: 'category',
        data: folds.map((f) => (f === 'oof' ? 'OOF' : `fold ${f}`)),
        axisLabel: { fontSize: 11 },
      },
      yAxis: valueAxis((v) => v.toFixed(2), { scale: false }),
      series,
    },
  };
}

export function importanceChart(inputs: ReportInputs): ChartSpec {
  const imp = inputs.featureImportance;
  if (imp === null || imp.length === 0)
    return missing('importance', 'Feature importance', 'no feature importance of a trained model');
  const first = imp[0];
  const order = first.feature.map((_, j) => j).sort((a, b) => first.gain[a] - first.gain[b]);
  const share = (h: (typeof imp)[number]) => {
    const total = h.gain.reduce((a, b) => a + b, 0) || 1;
    return (name: string) => {
      const j = h.feature.indexOf(name);
      return j < 0 ? 0 : Number(((h.gain[j] / total) * 100).toFixed(2));
    };
  };
  const names = order.map((j) => first.feature[j]);
  return {
    id: 'importance',
    title: "Last model's feature importance",
    caption: `XGBoost total gain per feature, as a share of the total (%), per horizon; sorted by the ${first.horizon} model.`,
    wide: false,
    minMarks: names.length * imp.length,
    height: Math.max(CHART_MIN_HEIGHT, 60 + 20 * names.length),
    option: {
      grid: { left: 110, right: 24, top: 30, bottom: 28 },
      legend,
      xAxis: valueAxis((v) => `${v}%`, { scale: false }),
      yAxis: { type: 'category', data: names, axisLabel: { fontSize: 11 } },
      series: imp.map((h, k) => ({
        name: h.horizon,
        type: 'bar' as const,
        data: names.map(share(h)),
        itemStyle: { color: [COLORS.net, COLORS.gross, COLORS.accent][k % 3] },
      })),
    },
  };
}

const CHART_MIN_HEIGHT = 300;

function missing(id: string, title: string, reason: string): ChartSpec {
  return { id, title, caption: '', wide: false, option: null, minMarks: 0, missing: reason };
}

/** Every chart of the tear sheet, in page order. */
export function tearSheetCharts(inputs: ReportInputs): ChartSpec[] {
  return [
    cumulativeChart(inputs),
    drawdownChart(inputs),
    rollingSharpeChart(inputs),
    monthlyHeatmap(inputs),
    turnoverChart(inputs),
    icChart(inputs),
    quintileChart(inputs),
    volChart(inputs),
    exposureChart(inputs),
    cvScoresChart(inputs),
    importanceChart(inputs),
  ];
}
