import { Inject, Injectable } from '@nestjs/common';
import { ClosedDateConsumers, ClosedDateHost } from '@alphafeed/runtime';
import { ALPHAS_PUBLISHED_TABLE, ALPHAS_TABLE } from '@alphafeed/streaming';
import { PORTFOLIO_SERVICE } from './models.consumer';
import { RebalanceDateUseCase } from './rebalance-date.use-case';
import { MODEL_HORIZONS_TABLE, TARGET_WEIGHTS_TABLE } from './portfolio.tables';

/** Bars and markers in, target weights out: one use case per closed date, offsets committed after its store write. */
@Injectable()
export class PortfolioBarsConsumer extends ClosedDateHost {
  constructor(
    @Inject(ClosedDateConsumers) consumers: ClosedDateConsumers,
    @Inject(RebalanceDateUseCase) useCase: RebalanceDateUseCase,
  ) {
    // The scorer's alphas are read, not written: listed so that this store client knows (and creates) the table.
    super(
      consumers.create(PORTFOLIO_SERVICE, [TARGET_WEIGHTS_TABLE, MODEL_HORIZONS_TABLE, ALPHAS_TABLE, ALPHAS_PUBLISHED_TABLE]),
      useCase,
    );
  }
}
