/**
 * The streaming scenario with no servers: MemoryBus + EmbeddedStore file,
 * all four services in this process (as `alphafeed demo` / `serve` run them).
 */
import 'reflect-metadata';
import { runStreamingFlow } from './streaming.flow';

describe('streaming pipeline, embedded mode', () => {
  it('replays a synthetic region, trains, publishes alphas equal to the batch predictions, idempotently, with dead letters', async () => {
    await runStreamingFlow({ instruments: 100, years: 4, trees: 20 }, (line) =>
      process.stdout.write(`embedded: ${line}\n`),
    );
  });
});
