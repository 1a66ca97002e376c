/**
 * Server-side rendering of an ECharts option to an SVG string (ECharts' SSR
 * mode: no DOM, no canvas), with the tear sheet's look: one palette, one
 * font stack, no animation. The chart instance is disposed after rendering,
 * or its timers would keep the process alive. Cost: proportional to the
 * drawn points; long daily lines use LTTB sampling, so a 15-year series
 * draws about one point per pixel.
 */
import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';

export const FONT = "-apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/** Net, gross, benchmark, then secondary series. */
export const COLORS = {
  net: '#1f3a5f',
  gross: '#6f9bd1',
  benchmark: '#9aa5b1',
  negative: '#c0392b',
  positive: '#1e8449',
  accent: '#d68910',
  muted: '#cfd6de',
  grid: '#e8ecf0',
  axis: '#5d6d7e',
} as const;
export const SERIES_PALETTE = [
  COLORS.net,
  COLORS.gross,
  COLORS.accent,
  '#7d3c98',
  '#16a085',
  COLORS.negative,
  '#566573',
];

export const CHART_WIDTH = 580;
export const CHART_HEIGHT = 300;

export function renderSvg(option: EChartsOption, width = CHART_WIDTH, height = CHART_HEIGHT): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      color: SERIES_PALETTE,
      textStyle: { fontFamily: FONT, color: COLORS.axis },
      ...option,
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
