/**
 * Scenario: `alphafeed replay --retrain …` refuses what it cannot do with one
 * line and exit code 2, before reading any bars or connecting anywhere: an
 * unknown schedule, a date range (the retrain dates count from the first
 * date), no QuestDB to follow the services through.
 */
import { join } from 'node:path';
import { REPO_ROOT } from '@alphafeed/testing';
import { describeFailure, runCli } from '../main';

async function failure(args: string[]): Promise<{ code: number; message: string }> {
  try {
    await runCli(['replay', '--config', join(REPO_ROOT, 'config/us.yaml'), '--quiet', ...args]);
  } catch (error) {
    return describeFailure(error);
  }
  throw new Error(`replay ${args.join(' ')} did not fail`);
}

describe('replay --retrain', () => {
  const saved = { ...process.env };
  beforeAll(() => {
    process.env.ALPHAFEED_KAFKA_BROKERS = '127.0.0.1:1';
    delete process.env.ALPHAFEED_QUESTDB_URL;
  });
  afterAll(() => {
    process.env = saved;
  });

  it('refuses an unknown schedule, a date range and a missing store with exit code 2', async () => {
    expect(await failure(['--retrain', 'weekly'])).toEqual({
      code: 2,
      message:
        'alphafeed: --retrain: unknown schedule "weekly"; the schedule is: pit (SPEC §9 retrain dates)',
    });
    const range = await failure(['--retrain', 'pit', '--from', '2020-01-02']);
    expect(range.code).toBe(2);
    expect(range.message).toMatch(/replays the whole history .* drop --from\/--to \(got 2020-01-02 \.\. -\)/);
    const store = await failure(['--retrain', 'pit']);
    expect(store.code).toBe(2);
    expect(store.message).toMatch(/no streaming\.questdb\.http_url/);
  });
});
