import { Inject, Injectable } from '@nestjs/common';
import { ClosedDateConsumers, ClosedDateHost } from '@alphafeed/runtime';
import { ALPHAS_TABLE, featuresTable } from '@alphafeed/streaming';
import { ScoreDateUseCase } from './score-date.use-case';

export const SCORER_SERVICE = 'scorer';

/** Bars and markers in, alphas out: one use case per closed date, offsets committed after its store write. */
@Injectable()
export class ScorerBarsConsumer extends ClosedDateHost {
  constructor(
    @Inject(ClosedDateConsumers) consumers: ClosedDateConsumers,
    @Inject(ScoreDateUseCase) useCase: ScoreDateUseCase,
  ) {
    super(
      consumers.create(SCORER_SERVICE, [ALPHAS_TABLE, featuresTable(consumers.config.features.names)]),
      useCase,
    );
  }
}
