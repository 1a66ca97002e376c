import { Inject, Injectable } from '@nestjs/common';
import { ClosedDateConsumers, ClosedDateHost } from '@alphafeed/runtime';
import { LABELS_TABLE } from '@alphafeed/streaming';
import { LabelsCloseDateUseCase } from './labels.close-date.use-case';

export const LABELS_SERVICE = 'labels';

/** Bars and markers in, matured labels out: one use case per closed date, offsets committed after its store write. */
@Injectable()
export class BarsConsumer extends ClosedDateHost {
  constructor(
    @Inject(ClosedDateConsumers) consumers: ClosedDateConsumers,
    @Inject(LabelsCloseDateUseCase) useCase: LabelsCloseDateUseCase,
  ) {
    super(consumers.create(LABELS_SERVICE, [LABELS_TABLE]), useCase);
  }
}
