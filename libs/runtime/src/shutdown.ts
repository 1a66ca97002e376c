/**
 * SIGTERM / SIGINT → `close()` once (finish the batch, flush, commit, leave
 * the group), then exit. A second signal exits at once: an operator who
 * presses Ctrl-C twice means it.
 */
export function runShutdownOnSignals(
  close: () => Promise<void>,
  log: (message: string) => void = (m) => process.stderr.write(`${m}\n`),
): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      log(`${signal} again: exiting without waiting`);
      process.exit(130);
    }
    closing = true;
    log(`${signal}: finishing the batch in flight, flushing the store, committing offsets`);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
