import { AlphafeedError } from '@alphafeed/core';

/**
 * Errors raised by the pipeline operators themselves (not by the data: bad
 * data becomes a dead letter, never an exception). Stable codes:
 *
 * - `UNSUBSCRIBED`: a bus batch was still unacknowledged when the stream was
 *   torn down; the handler promise is rejected with it so the adapter does not
 *   commit offsets the pipeline never finished. Retriable: the messages are
 *   delivered again to the next subscriber.
 * - `REPLAY_POSITION_MISMATCH`: the position file belongs to another replay
 *   (different region, range, topics or config). Not retriable.
 * - `REPLAY_POSITION_CORRUPT`: the position file is not the JSON we write.
 * - `UNKNOWN_TOPIC`: a decoder got a message from a topic it was not built for.
 */
export class PipelineError extends AlphafeedError {
  constructor(code: string, message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(code, message, options);
  }
}
