import { AlphafeedError } from '@alphafeed/core';

/** A training run was asked for while one is going (one run at a time per process). */
export class TrainingBusyError extends AlphafeedError {
  constructor(readonly running: { readonly reason: string; readonly startedAt: string }) {
    super(
      'TRAINING_BUSY',
      `a training run is already going (${running.reason}, started ${running.startedAt}); wait for it to finish (GET /health shows components.trainer.busy) and ask again`,
      { retriable: true },
    );
  }
}

/** The features and labels services have not closed enough history to train on yet. */
export class NothingToTrainError extends AlphafeedError {
  constructor(message: string) {
    super('TRAINING_NO_HISTORY', message);
  }
}
