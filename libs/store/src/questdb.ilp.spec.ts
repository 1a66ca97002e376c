import { Sender } from '@questdb/nodejs-client';
import { escapeIlp, IlpBatchEncoder } from './questdb.ilp';
import type { KeyedColumns, TableSpec } from './store.port';

const spec: TableSpec = {
  name: 'bars_ahead',
  columns: [
    { name: 'open', kind: 'double' },
    { name: 'close', kind: 'double' },
    { name: 'revision', kind: 'long' },
  ],
  tags: ['service'],
} as unknown as TableSpec;

const rows: KeyedColumns = {
  region: 'us',
  length: 4,
  date: Int32Array.from([19724, 19724, 19725, 19725]),
  instrument: Int32Array.from([0, 1, 0, 2]),
  instruments: ['AAPL', 'odd name,x=1\\', 'MSFT'],
  columns: {
    open: Float64Array.from([1.5, NaN, 0.1 + 0.2, -1e-300]),
    close: Float64Array.from([2, 3.25, Number.MAX_VALUE, 5]),
    revision: Float64Array.from([0, NaN, 3, 12]),
  },
  tags: { service: 'features' },
};

/** The lines the official client writes for the same rows (protocol v2, what the store sent before). */
async function clientBytes(r: KeyedColumns, from: number, to: number): Promise<Buffer> {
  const sender = await Sender.fromConfig('http::addr=127.0.0.1:9;auto_flush=off;protocol_version=2');
  for (let i = from; i < to; i++) {
    sender.table(spec.name).symbol('region', r.region).symbol('instrument', r.instruments[r.instrument[i]]);
    for (const [k, v] of Object.entries(r.tags ?? {})) sender.symbol(k, v);
    for (const c of spec.columns) {
      const v = r.columns[c.name]?.[i];
      if (v === undefined) continue;
      if (c.kind === 'double') sender.floatColumn(c.name, v);
      else if (v === v) sender.intColumn(c.name, v);
    }
    await sender.at(r.date[i] * 86_400_000, 'ms');
  }
  const bytes = Buffer.from(
    (sender as unknown as { buffer: { toBufferView(): Buffer } }).buffer.toBufferView(),
  );
  await sender.close();
  return bytes;
}

describe('IlpBatchEncoder', () => {
  it('writes byte for byte what @questdb/nodejs-client writes (protocol v2), NaN doubles kept, NaN longs omitted', async () => {
    const encoder = new IlpBatchEncoder(spec, rows);
    expect(encoder.encode(0, 4).equals(await clientBytes(rows, 0, 4))).toBe(true);
    expect(encoder.encode(1, 3).equals(await clientBytes(rows, 1, 3))).toBe(true);
  });

  it('handles a batch without some columns and rows with only longs', async () => {
    const partial: KeyedColumns = { ...rows, columns: { revision: rows.columns.revision }, tags: {} };
    expect(new IlpBatchEncoder(spec, partial).encode(0, 4).equals(await clientBytes(partial, 0, 4))).toBe(
      true,
    );
  });

  it('escapes separators in symbol values', () => {
    expect(escapeIlp('a b,c=d\\e')).toBe('a\\ b\\,c\\=d\\\\e');
    expect(escapeIlp('plain')).toBe('plain');
  });
});
