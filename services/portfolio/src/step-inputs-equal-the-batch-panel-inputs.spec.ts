/**
 * Scenario: the live service's per-date engine input equals the batch
 * backtest's (`PanelStepInputs` over the bar panel and its feature frame),
 * date by date, bit for bit — on a synthetic CN panel with listings,
 * suspensions and delistings (carried rows, gaps, first bars), the bars
 * of each date handed over as the streaming core closes them (codes sorted,
 * ids in order of first appearance, so live and batch ids differ).
 */
import { join } from 'node:path';
import { loadConfig } from '@alphafeed/config';
import { formatIsoDay, parseIsoDay } from '@alphafeed/core';
import { generateSyntheticBars } from '@alphafeed/data';
import { computeFeatureFrame } from '@alphafeed/features';
import type { FeatureEngine, FeatureName } from '@alphafeed/features';
import type { BarEvent } from '@alphafeed/pipeline';
import { PanelStepInputs } from '@alphafeed/portfolio';
import type { PortfolioDateInput } from '@alphafeed/portfolio';
import { EngineDictionaries, closedDateFromBars, createFeatureEngine } from '@alphafeed/streaming';
import { REPO_ROOT } from '@alphafeed/testing';
import { StepInputAssembler } from './step-input.assembler';

type Entry = Record<string, number | string>;

/** One entry per instrument, by code, every field of the input. */
function entries(
  input: PortfolioDateInput,
  codes: readonly string[],
  industries: readonly string[],
): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (let k = 0; k < input.length; k++)
    out.set(codes[input.instrument[k]], {
      industry: industries[input.industry[k]],
      member: input.member === null ? 1 : input.member[k],
      carried: input.carried === null ? 0 : input.carried[k],
      beta252: input.beta252[k],
      size: input.size[k],
      momentum: input.momentum[k],
      vol60: input.vol60[k],
      dailyReturn: input.dailyReturn[k],
    });
  return out;
}

describe('StepInputAssembler', () => {
  it('hands the engine the batch input of every date (synthetic CN, 40 names, 2 years)', () => {
    const config = loadConfig(join(REPO_ROOT, 'config/cn.yaml'));
    const bars = generateSyntheticBars({ region: 'cn', instruments: 40, years: 2, seed: 42 });
    const f = config.features;
    const frame = computeFeatureFrame(bars, {
      features: f.names.filter((n) => bars.sharesOut !== null || n !== 'turnover_20') as FeatureName[],
      minIndustrySize: f.min_industry_size,
      ffillLimit: f.ffill_limit,
      winsorize: f.winsorize,
    });
    const batch = new PanelStepInputs(bars, frame, null);
    const ids = new EngineDictionaries();
    const assembler = new StepInputAssembler();
    let engine: FeatureEngine | null = null;
    let row = 0;
    let carriedSeen = 0;
    let gapsSeen = 0;
    for (let d = 0; d < bars.calendar.length; d++) {
      const day = parseIsoDay(bars.calendar[d]);
      const events: BarEvent[] = [];
      for (; row < bars.length && bars.date[row] === d; row++)
        events.push({
          region: 'cn',
          date: day,
          instrument: bars.instruments[bars.instrument[row]],
          open: bars.open[row],
          high: bars.high[row],
          low: bars.low[row],
          close: bars.close[row],
          volume: bars.volume[row],
          amount: bars.amount === null ? null : bars.amount[row],
          shares_out: bars.sharesOut === null ? null : bars.sharesOut[row],
          factor: null,
          industry: bars.industries[bars.industry[row]],
        });
      const closed = closedDateFromBars(events, { region: 'cn', day });
      engine ??= createFeatureEngine(config, closed);
      const dateBars = ids.dateBars(closed);
      const live = assembler.assemble(d, formatIsoDay(day), dateBars, engine.closeDate(d, dateBars), null);
      const want = entries(batch.inputOf(d), bars.instruments, bars.industries);
      const got = entries(live, ids.instruments, ids.industries);
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [code, e] of want) {
        const g = got.get(code)!;
        for (const key of Object.keys(e))
          if (!Object.is(g[key], e[key]))
            throw new Error(`${bars.calendar[d]} ${code} ${key}: live ${g[key]}, batch ${e[key]}`);
        if (e.carried === 1) carriedSeen++;
        if (e.member === 0) gapsSeen++;
      }
    }
    // The panel exercised what matters: carried member rows and bars without a member row.
    expect(carriedSeen).toBeGreaterThan(0);
    expect(gapsSeen).toBeGreaterThan(0);
  });
});
