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
import type { PortfolioDateAlphas, PortfolioStepOutput, PortfolioStepper } from './portfolio-engine.port';
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
  private portfolio: PortfolioStepper | null = null;
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
    const engineAlphas: PortfolioDateAlphas | null =
      alphas === null
        ? null
        : {
            instrument: Int32Array.from(alphas.instruments, (code) => this.ids.instrumentId(code)),
            alphaBps: alphas.alphaBps,
            horizonDays: alphas.horizonDays,
            modelId: alphas.modelId,
          };
    const input = this.inputs.assemble(position, closed.date, bars, rows, engineAlphas);
    const portfolio = (this.portfolio ??= this.createEngine(this.config, this.ids.industries));
    const out = portfolio.step(input);
    this.lastStepMs = Date.now() - started;
    if (!out.rebalance || out.targets === null || out.status === null) return 0;
    this.lastDecision = {
      date: closed.date,
      status: out.status,
      names: out.targets.instrument.length,
      model_id: alphas?.modelId ?? '',
    };
    if (out.status !== 'optimal')
      this.logger.warn(`${closed.date}: ${out.status}${out.reason === null ? '' : ` (${out.reason})`}`);
    if (publish === null) return 0;
    const decision = this.decisionRows(out);
    await this.publisher.publish({
      day: closed.day,
      instruments: decision.instruments,
      weight: decision.weight,
      previousWeight: decision.previousWeight,
      modelId: alphas?.modelId ?? '',
      status: out.status,
      reason: out.reason,
      exAnteVol: out.exAnteVol,
      revision: publish.revision,
      configHash: this.hash,
    });
    return decision.instruments.length;
  }

  /** Target and pre-decision weight per name of the decision, by instrument code. */
  private decisionRows(out: PortfolioStepOutput): {
    instruments: string[];
    weight: Float64Array;
    previousWeight: Float64Array;
  } {
    const targets = out.targets!;
    const held = new Map<number, number>();
    for (let h = 0; h < out.held.instrument.length; h++) held.set(out.held.instrument[h], out.held.weight[h]);
    const n = targets.instrument.length;
    const instruments = new Array<string>(n);
    const previousWeight = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      instruments[i] = this.ids.instruments[targets.instrument[i]];
      previousWeight[i] = held.get(targets.instrument[i]) ?? 0;
    }
    return { instruments, weight: Float64Array.from(targets.weight), previousWeight };
  }
}
