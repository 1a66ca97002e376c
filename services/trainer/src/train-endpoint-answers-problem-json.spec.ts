import 'reflect-metadata';
import { Module } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig, overrideConfig } from '@alphafeed/config';
import type { RegionConfig } from '@alphafeed/config';
import { AdminTokenGuard, CONFIG, ProblemException } from '@alphafeed/runtime';
import { StoreError } from '@alphafeed/store';
import { TrainingInputError } from '@alphafeed/training';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NothingToTrainError, TrainingBusyError } from './errors';
import { TrainController } from './train.controller';
import { TrainUseCase } from './train.use-case';

/** What the fake use case does on the next `start`. */
let next: () => Promise<unknown> = () => Promise.resolve({ modelVersion: 'm1' });

async function startApp(config: RegionConfig): Promise<{ app: INestApplication; url: string }> {
  @Module({
    controllers: [TrainController],
    providers: [
      { provide: CONFIG, useValue: config },
      { provide: TrainUseCase, useValue: { start: () => next() } },
      AdminTokenGuard,
    ],
  })
  class TestModule {}
  const app = await NestFactory.create(TestModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}/train` };
}

const config = loadConfig(join(__dirname, '../../../config/us.yaml'));

describe('POST /train: bearer token and application/problem+json', () => {
  const saved = process.env.ALPHAFEED_ADMIN_TOKEN;
  afterEach(() => {
    if (saved === undefined) delete process.env.ALPHAFEED_ADMIN_TOKEN;
    else process.env.ALPHAFEED_ADMIN_TOKEN = saved;
    next = () => Promise.resolve({ modelVersion: 'm1' });
  });

  it('with a token configured: 401 without it or with a wrong one (WWW-Authenticate), 200 with it', async () => {
    process.env.ALPHAFEED_ADMIN_TOKEN = 'tok-0123456789abcdef';
    const { app, url } = await startApp(config);
    try {
      const none = await fetch(url, { method: 'POST' });
      expect(none.status).toBe(401);
      expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="alphafeed"');
      expect(await none.json()).toEqual({
        type: 'urn:alphafeed:problem:missing-token',
        title: 'Admin token required',
        status: 401,
        detail: 'no Authorization header; send Authorization: Bearer <token>',
        instance: '/train',
      });
      const wrong = await fetch(url, {
        method: 'POST',
        headers: { authorization: 'Bearer tok-0123456789abcdeX' },
      });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toBe('Bearer realm="alphafeed", error="invalid_token"');
      expect(((await wrong.json()) as { type: string }).type).toBe('urn:alphafeed:problem:bad-token');
      const basic = await fetch(url, { method: 'POST', headers: { authorization: 'Basic dXNlcjpwdw==' } });
      expect(basic.status).toBe(401);
      const ok = await fetch(url, {
        method: 'POST',
        headers: { authorization: 'Bearer tok-0123456789abcdef' },
      });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ modelVersion: 'm1' });
    } finally {
      await app.close();
    }
  });

  it('maps training failures to statuses with the reason: 409, 422, 503, 500', async () => {
    process.env.ALPHAFEED_ADMIN_TOKEN = 'tok-2';
    const { app, url } = await startApp(config);
    const post = async (fail: unknown) => {
      next = () => Promise.reject(fail);
      const res = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer tok-2' } });
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      return {
        status: res.status,
        body: (await res.json()) as Record<string, unknown>,
        headers: res.headers,
      };
    };
    try {
      const busy = await post(
        new TrainingBusyError({ reason: 'schedule', startedAt: '2026-12-03T10:00:00.000Z' }),
      );
      expect(busy.status).toBe(409);
      expect(busy.body).toMatchObject({
        type: 'urn:alphafeed:problem:training-running',
        status: 409,
        running_since: '2026-12-03T10:00:00.000Z',
      });
      expect(busy.body.detail).toMatch(/already going \(schedule/);

      const empty = await post(new NothingToTrainError('nothing to train on yet: replay some history first'));
      expect(empty.status).toBe(422);
      expect(empty.body).toMatchObject({
        type: 'urn:alphafeed:problem:too-little-history',
        detail: 'nothing to train on yet: replay some history first',
      });
      const short = await post(
        new TrainingInputError('HORIZON_TOO_LONG', 'horizon 63d is not shorter than the data'),
      );
      expect(short.status).toBe(422);
      expect(short.body.type).toBe('urn:alphafeed:problem:too-little-history');
      const unmatured = await post(new TrainingInputError('NO_MATURED_LABELS', 'no feature row has a label'));
      expect(unmatured.status).toBe(422);
      expect(unmatured.body).toMatchObject({
        type: 'urn:alphafeed:problem:no-matured-labels',
        title: 'No matured labels to train on',
        detail: 'no feature row has a label',
      });
      const down = await post(
        new StoreError('STORE_UNREACHABLE', 'QuestDB at http://q:9000 did not answer', { retriable: true }),
      );
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('30');
      const other = await post(new Error('the store shows 90662 rows, the writing service recorded 87247'));
      expect(other.status).toBe(500);
      expect(other.body).toMatchObject({
        type: 'urn:alphafeed:problem:training-failed',
        detail: 'the store shows 90662 rows, the writing service recorded 87247',
      });
    } finally {
      await app.close();
    }
  });

  it('without a token configured: loopback clients only; a remote one gets 403 saying how to configure it', async () => {
    delete process.env.ALPHAFEED_ADMIN_TOKEN;
    const { app, url } = await startApp(config);
    try {
      expect((await fetch(url, { method: 'POST' })).status).toBe(200);
    } finally {
      await app.close();
    }
    const guard = new AdminTokenGuard(config);
    const from = (remoteAddress: string) =>
      ({
        switchToHttp: () => ({ getRequest: () => ({ headers: {}, socket: { remoteAddress } }) }),
      }) as never;
    expect(guard.canActivate(from('::ffff:127.0.0.1'))).toBe(true);
    let refused: unknown = null;
    try {
      guard.canActivate(from('10.1.2.3'));
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(ProblemException);
    expect((refused as ProblemException).problem).toMatchObject({
      status: 403,
      type: 'urn:alphafeed:problem:admin-token-not-configured',
    });
    expect((refused as ProblemException).problem.detail).toMatch(
      /set ALPHAFEED_ADMIN_TOKEN or ALPHAFEED_ADMIN_TOKEN_FILE/,
    );
  });

  it('reads the token from the file named in the config and refuses one a bearer header cannot carry', () => {
    delete process.env.ALPHAFEED_ADMIN_TOKEN;
    const file = join(mkdtempSync(join(tmpdir(), 'tok-')), 'token');
    writeFileSync(file, 'has spaces in it\n');
    const withFile = overrideConfig(config, { streaming: { security: { admin: { token_file: file } } } });
    expect(() => new AdminTokenGuard(withFile)).toThrow(/characters a bearer token may have/);
  });
});
