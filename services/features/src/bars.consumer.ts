import { Inject, Injectable } from '@nestjs/common';
import { ClosedDateConsumers, ClosedDateHost } from '@alphafeed/runtime';
import { FeaturesCloseDateUseCase } from './features.close-date.use-case';

export const FEATURES_SERVICE = 'features';

/** Bars and markers in, features out: one use case per closed date, offsets committed after its store write. */
@Injectable()
export class BarsConsumer extends ClosedDateHost {
  constructor(
    @Inject(ClosedDateConsumers) consumers: ClosedDateConsumers,
    @Inject(FeaturesCloseDateUseCase) useCase: FeaturesCloseDateUseCase,
  ) {
    super(consumers.create(FEATURES_SERVICE, [useCase.table]), useCase);
  }
}
