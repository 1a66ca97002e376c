/**
 * The streaming scenario on real Kafka and QuestDB (started by
 * test/global-setup.ts): each service has its own consumer group and its own
 * connections, as in production; fresh topics and groups per run.
 */
import 'reflect-metadata';
import { env } from '../infra/poll';
import { dropServiceTables } from '../infra/questdb-tables';
import { runStreamingFlow } from './streaming.flow';

describe('streaming pipeline on Kafka + QuestDB', () => {
  it('replays a synthetic region, trains, publishes alphas equal to the batch predictions, idempotently, with dead letters', async () => {
    await dropServiceTables(env('ALPHAFEED_QUESTDB_URL'));
    await runStreamingFlow(
      {
        kafka: {
          brokers: env('ALPHAFEED_KAFKA_BROKERS').split(','),
          questdbUrl: env('ALPHAFEED_QUESTDB_URL'),
        },
        instruments: 100,
        years: 4,
        trees: 20,
      },
      (line) => process.stdout.write(`kafka+questdb: ${line}\n`),
    );
  });
});
