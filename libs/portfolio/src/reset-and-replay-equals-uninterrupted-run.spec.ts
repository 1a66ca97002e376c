/**
 * Scenario: the live service's restart model. An engine stepped over the
 * whole calendar without interruption, against one that (a) is stopped
 * part-way, `reset()` and replays every date from the first (a restart or a
 * restatement), and (b) meets a bad date (a NaN alpha, an unknown
 * instrument, a date out of order) that is refused with one clear line and
 * leaves its state untouched, then goes on. Every step's output (accounting,
 * decisions, held weights, ex-ante vol, exposures) is bit-identical.
 */
import { PortfolioEngine } from './portfolio.engine';
import { portfolioEngineOptionsFromConfig } from './portfolio.options';
import type { PortfolioDateInput, PortfolioStep } from './portfolio.types';
import { PanelStepInputs } from './step-inputs';
import { smallPanel } from './testing/small-panel';

const p = smallPanel('cn', { instruments: 40 });
const src = new PanelStepInputs(p.bars, p.frame, p.alphas);
const options = portfolioEngineOptionsFromConfig(p.config, src);
const D = 400; // 60 dates past the first alphas: a dozen rebalances

function fingerprint(s: PortfolioStep): unknown {
  return {
    d: s.dateIndex,
    open: s.open,
    accounting: s.accounting,
    rebalance: s.rebalance,
    status: s.decision?.status ?? null,
    targets:
      s.decision?.targets == null
        ? null
        : [Array.from(s.decision.targets.instrument), Array.from(s.decision.targets.weight)],
    vol: s.exAnteVol,
    exposures: s.exposures === null ? null : Array.from(s.exposures),
    held: [Array.from(s.held.instrument), Array.from(s.held.weight)],
  };
}

const uninterrupted: unknown[] = [];
{
  const engine = new PortfolioEngine(options);
  for (let d = 0; d < D; d++) uninterrupted.push(fingerprint(engine.step(src.inputOf(d))));
}

it('reset() and a replay from the first date give the uninterrupted run, bit for bit', () => {
  const engine = new PortfolioEngine(options);
  for (let d = 0; d < 370; d++) engine.step(src.inputOf(d));
  expect(engine.openingDate).toBe(p.alphas.date[0]);
  engine.reset();
  expect(engine.lastDateIndex).toBe(-1);
  expect(engine.openingDate).toBe(-1);
  const replayed: unknown[] = [];
  for (let d = 0; d < D; d++) replayed.push(fingerprint(engine.step(src.inputOf(d))));
  expect(replayed).toEqual(uninterrupted);
  // The run decides something worth comparing.
  const decided = uninterrupted.filter((s) => (s as { status: string | null }).status === 'optimal');
  expect(decided.length).toBeGreaterThan(10);
});

it('a refused date (NaN alpha, unknown instrument, out of order) leaves the state untouched', () => {
  const engine = new PortfolioEngine(options);
  const out: unknown[] = [];
  const rebalanceDate = p.alphas.date[0] + 5;
  for (let d = 0; d < D; d++) {
    const input = src.inputOf(d);
    if (d === rebalanceDate) {
      const a = input.alphas!;
      const nan: PortfolioDateInput = {
        ...input,
        alphas: { ...a, alphaBps: Float64Array.from(a.alphaBps, (x, k) => (k === 3 ? NaN : x)) },
      };
      expect(() => engine.step(nan)).toThrow(
        /alpha of \S+ is NaN; every alpha must be a finite number of bps/,
      );
      const unknown: PortfolioDateInput = {
        ...input,
        instrument: Int32Array.from(input.instrument, (i, e) => (e === 0 ? 999 : i)),
      };
      expect(() => engine.step(unknown)).toThrow(/instrument id 999, outside the dictionary of 40 codes/);
      expect(() => engine.step(src.inputOf(d + 1))).toThrow(/needs the next calendar position after/);
    }
    out.push(fingerprint(engine.step(input)));
  }
  expect(out).toEqual(uninterrupted);
});
