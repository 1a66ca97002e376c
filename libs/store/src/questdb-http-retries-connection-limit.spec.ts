import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QuestDbHttp } from './questdb.http';
import { resolveQuestDbStoreOptions } from './questdb.options';

/** A stand-in QuestDB that answers 429 (connection limit) to the first `busy` requests. */
async function busyServer(busy: number) {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    if (requests <= busy) {
      res.writeHead(429, { 'content-type': 'text/plain' });
      res.end('exceeded connection limit [name=http_export_connections]');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ dataset: [[1]], count: 1 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests: () => requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('QuestDbHttp under the server connection limit', () => {
  it('retries a read answered 429 until it goes through', async () => {
    const server = await busyServer(3);
    try {
      const http = new QuestDbHttp(resolveQuestDbStoreOptions({ url: server.url, requestTimeoutMs: 10_000 }));
      await expect(http.exec('SELECT 1')).resolves.toMatchObject({ count: 1 });
      expect(server.requests()).toBe(4);
    } finally {
      await server.close();
    }
  });

  // 1 s: long enough for one answer of a local server on a loaded machine, short enough for a spec.
  it('gives up with the 429 once the request timeout is spent', async () => {
    const server = await busyServer(Number.MAX_SAFE_INTEGER);
    try {
      const http = new QuestDbHttp(resolveQuestDbStoreOptions({ url: server.url, requestTimeoutMs: 1000 }));
      await expect(http.exec('SELECT 1')).rejects.toMatchObject({
        code: 'STORE_SQL',
        message: expect.stringContaining('HTTP 429'),
      });
    } finally {
      await server.close();
    }
  });
});
