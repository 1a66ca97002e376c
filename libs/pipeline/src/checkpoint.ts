/**
 * A checkpoint is punctuation in a stream: "every element before me comes
 * from bus messages that may now be committed once what they produced is
 * stored". `unbatch()` appends one after the messages of each bus batch; the
 * pipeline operators pass checkpoints through in order (after the results the
 * preceding messages produced), and `ackAfter()` acknowledges a checkpoint only
 * when every earlier value has been handled. Because the operators keep order,
 * acknowledging the checkpoint then is the commit-after-store-write rule.
 *
 * A class (not a tagged object) so that it can never be confused with data.
 */
export class Checkpoint {
  private done = false;

  /** @param release lets the bus commit the batch; called at most once. */
  constructor(private readonly release: () => void) {}

  /** Releases the batch. Idempotent. */
  ack(): void {
    if (this.done) return;
    this.done = true;
    this.release();
  }

  get acked(): boolean {
    return this.done;
  }
}

export function isCheckpoint(value: unknown): value is Checkpoint {
  return value instanceof Checkpoint;
}
