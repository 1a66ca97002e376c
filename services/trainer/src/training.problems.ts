import { AlphafeedError } from '@alphafeed/core';
import { PROBLEM_TYPE, ProblemException } from '@alphafeed/runtime';
import { TrainingInputError } from '@alphafeed/training';
import { NothingToTrainError, TrainingBusyError } from './errors';

type Kind = { readonly status: number; readonly kind: string; readonly title: string };

const TOO_LITTLE_HISTORY: Kind = {
  status: 422,
  kind: 'too-little-history',
  title: 'Too little history to train',
};

/** TrainingInputError reasons → the problem a client sees. */
const BY_REASON: Readonly<Record<TrainingInputError['reason'], Kind>> = {
  NO_MATURED_LABELS: { status: 422, kind: 'no-matured-labels', title: 'No matured labels to train on' },
  HORIZON_TOO_LONG: TOO_LITTLE_HISTORY,
  CV: TOO_LITTLE_HISTORY,
  // The rest are the deployment's problem (config or stored data), not the caller's.
  EMBARGO_TOO_SMALL: { status: 500, kind: 'training-config', title: 'The training config is invalid' },
  CONFIG: { status: 500, kind: 'training-config', title: 'The training config is invalid' },
  UNKNOWN_MODEL: { status: 500, kind: 'training-config', title: 'The training config is invalid' },
  FRAME_MISMATCH: { status: 500, kind: 'training-data', title: 'The stored training data is inconsistent' },
  NON_FINITE_FEATURE: {
    status: 500,
    kind: 'training-data',
    title: 'The stored training data is inconsistent',
  },
};

/**
 * A failed `POST /train` as an RFC 9457 problem with the reason and the
 * status a client can act on: 409 a run is going, 422 too little history or
 * no matured labels (replay more and retry), 503 the store or the bus does
 * not answer (retry later), 500 anything else, the message always in
 * `detail`.
 */
export function trainingProblem(error: unknown): ProblemException {
  const detail = error instanceof Error ? error.message : String(error);
  const problem = (k: Kind, extra: Record<string, unknown> = {}) =>
    new ProblemException({
      type: `${PROBLEM_TYPE}${k.kind}`,
      title: k.title,
      status: k.status,
      detail,
      ...extra,
    });
  if (error instanceof TrainingBusyError) {
    return problem(
      { status: 409, kind: 'training-running', title: 'A training run is already going' },
      {
        running_since: error.running.startedAt,
      },
    );
  }
  if (error instanceof NothingToTrainError) return problem(TOO_LITTLE_HISTORY);
  if (error instanceof TrainingInputError) return problem(BY_REASON[error.reason] ?? BY_REASON.CONFIG);
  if (error instanceof AlphafeedError && error.retriable) {
    return new ProblemException(
      {
        type: `${PROBLEM_TYPE}dependency-unavailable`,
        title: 'A dependency of training does not answer',
        status: 503,
        detail,
      },
      { 'Retry-After': '30' },
    );
  }
  return problem({ status: 500, kind: 'training-failed', title: 'Training failed' });
}
