/**
 * The two ILP writers a QuestDbStore can use (`ilpWriter: 'own' | 'client'`)
 * send the same request bodies to QuestDB's `/write`: captured by a local
 * HTTP server that answers 204 as QuestDB does.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QuestDbClientWriter } from './questdb.client-writer';
import { IlpBatchEncoder, IlpHttpWriter } from './questdb.ilp';
import type { KeyedColumns, TableSpec } from './store.port';

const spec: TableSpec = {
  name: 'features',
  columns: [
    { name: 'mom', kind: 'double' },
    { name: 'vol', kind: 'double' },
    { name: 'revision', kind: 'long' },
  ],
  tags: ['config_hash'],
  extraKeys: [],
};

const rows: KeyedColumns = {
  region: 'us',
  length: 5,
  date: Int32Array.from([19724, 19724, 19725, 19725, 19726]),
  instrument: Int32Array.from([0, 1, 0, 2, 1]),
  instruments: ['AAPL', 'odd name,x=1\\', 'MSFT'],
  columns: {
    mom: Float64Array.from([1.5, NaN, 0.1 + 0.2, -1e-300, 7]),
    vol: Float64Array.from([2, 3.25, Number.MAX_VALUE, 5, 0]),
    revision: Float64Array.from([0, NaN, 3, 12, 1]),
  },
  tags: { config_hash: 'abc' },
};

describe('QuestDB ILP writers', () => {
  let server: Server;
  let bodies: Buffer[];
  let port: number;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks));
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (bodies = []));

  it('send byte-identical lines for the same rows (whole batch and a slice)', async () => {
    const own = new IlpHttpWriter('127.0.0.1', port, 5000);
    const encoder = new IlpBatchEncoder(spec, rows);
    await own.write(encoder.encode(0, 5));
    await own.write(encoder.encode(1, 4));
    own.close();
    const client = new QuestDbClientWriter('127.0.0.1', port, 5000);
    await client.write(spec, rows, 0, 5);
    await client.write(spec, rows, 1, 4);
    await client.close();
    expect(bodies).toHaveLength(4);
    expect(bodies[2].equals(bodies[0])).toBe(true);
    expect(bodies[3].equals(bodies[1])).toBe(true);
    expect(bodies[0].toString('latin1')).toContain(
      'features,region=us,instrument=AAPL,config_hash=abc mom==',
    );
  });
});
