import { Inject, Injectable } from '@nestjs/common';
import type { RegionConfig } from '@alphafeed/config';
import { configHash } from '@alphafeed/config';
import type { MemberOracle } from '@alphafeed/core';
import type { FeatureEngine } from '@alphafeed/features';
import type { Logger } from '@alphafeed/ops';
import { CONFIG, LOGGER } from '@alphafeed/runtime';
import {
  EngineDictionaries,
  createFeatureEngine,
  engineMembership,
  readMembershipTable,
} from '@alphafeed/streaming';
import type { ClosedDate, DateProcessor } from '@alphafeed/streaming';
import { DateAlphasReader } from './date-alphas.reader';
import { PORTFOLIO_ENGINE_FACTORY } from './portfolio-engine.factory';
import type { PortfolioEngineFactory } from './portfolio-engine.factory';
import type { DateAlphas, PortfolioEngine, SparseWeights } from '@alphafeed/portfolio';
import { StepInputAssembler } from './step-input.assembler';
import { TargetsPublisher } from './targets.publisher';

/**
 * Use case "a date closed" for the portfolio service: advance its own
 * FeatureEngine (raw style exposures, the cross-section), read the scorer's
 * alphas of the date, step the shared portfolio engine (risk model update,
 * the book's fills and drift, on a rebalance date the optimizer) and, on a
 * rebalance date that is published, write and publish the target weights.
 *
 * While the runner rebuilds (restart, restatement: `publish === null`) the
 * same steps run on the same inputs (the alphas read back from the store),
 * so the book and the risk model come back exactly; nothing is published.
 */
@Injectable()
export class RebalanceDateUseCase implements DateProcessor {
  private features: FeatureEngine | null = null;
  private portfolio: PortfolioEngine | null = null;
  private readonly ids = new EngineDictionaries();
  private readonly inputs = new StepInputAssembler();
  private calendar: readonly number[] = [];
  private readonly membership: MemberOracle | null;
  private readonly hash: string;
  /** The last decision (published or rebuilt), for /health. */
  lastDecision: { date: string; status: string; names: number; model_id: string } | null = null;
  lastStepMs: number | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: RegionConfig,
    @Inject(DateAlphasReader) private readonly alphas: DateAlphasReader,
    @Inject(TargetsPublisher) private readonly publisher: TargetsPublisher,
    @Inject(PORTFOLIO_ENGINE_FACTORY) private readonly createEngine: PortfolioEngineFactory,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.membership = engineMembership(readMembershipTable(config), this.ids, () => this.calendar);
    this.hash = configHash(config);
  }

  reset(): void {
    this.features = null;
    this.portfolio = null;
    this.inputs.reset();
    this.alphas.reset();
  }

  async step(
    closed: ClosedDate,
    position: number,
    calendar: readonly number[],
    publish: { readonly revision: number } | null,
  ): Promise<number> {
    const started = Date.now();
    this.calendar = calendar;
    const features = (this.features ??= createFeatureEngine(this.config, closed, this.membership));
    const bars = this.ids.dateBars(closed);
    const rows = features.closeDate(position, bars);
    const alphas = await this.alphas.read(closed.day);
    const engineAlphas: DateAlphas | null =
      alphas === null
        ? null
        : {
            length: alphas.instruments.length,
            instrument: Int32Array.from(alphas.instruments, (code) => this.ids.instrumentId(code)),
            alphaBps: alphas.alphaBps,
            horizonDays: alphas.horizonDays,
            modelId: alphas.modelId,
          };
    const input = this.inputs.assemble(position, closed.date, bars, rows, engineAlphas);
    // The exposure columns are the industries known when the engine starts (a rebuild starts it again).
    const portfolio = (this.portfolio ??= this.createEngine(this.config, this.ids));
    const out = portfolio.step(input);
    this.lastStepMs = Date.now() - started;
    const decision = out.decision;
    if (decision === null) return 0;
    // Kept books (infeasible, or no alphas on a rebalance date) publish the weights kept, as the batch log does.
    const weights = decision.targets ?? out.held;
    this.lastDecision = {
      date: closed.date,
      status: decision.status,
      names: weights.instrument.length,
      model_id: decision.modelId ?? '',
    };
    if (decision.status !== 'optimal' && publish !== null)
      this.logger.warn(
        `${closed.date}: ${decision.status}${decision.reason === null ? '' : ` (${decision.reason})`}`,
      );
    if (publish === null) return 0;
    const rowsOut = this.decisionRows(weights, out.held);
    await this.publisher.publish({
      day: closed.day,
      instruments: rowsOut.instruments,
      weight: rowsOut.weight,
      previousWeight: rowsOut.previousWeight,
      modelId: decision.modelId ?? '',
      status: decision.status,
      reason: decision.reason,
      exAnteVol: out.exAnteVol,
      revision: publish.revision,
      configHash: this.hash,
    });
    return rowsOut.instruments.length;
  }

  /** Target and pre-decision weight per name of the decision, by instrument code. */
  private decisionRows(
    weights: SparseWeights,
    held: SparseWeights,
  ): { instruments: string[]; weight: Float64Array; previousWeight: Float64Array } {
    const before = new Map<number, number>();
    for (let h = 0; h < held.instrument.length; h++) before.set(held.instrument[h], held.weight[h]);
    const n = weights.instrument.length;
    const instruments = new Array<string>(n);
    const previousWeight = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      instruments[i] = this.ids.instruments[weights.instrument[i]];
      previousWeight[i] = before.get(weights.instrument[i]) ?? 0;
    }
    return { instruments, weight: Float64Array.from(weights.weight), previousWeight };
  }
}
