/** Test-only: a Parquet file read back as JSON records (dates as ISO text), the shape the schemas describe. */
import { formatIsoDay } from '@alphafeed/core';
import { readParquet, type ParquetColumn } from '@alphafeed/data';

function cell(c: ParquetColumn, i: number): unknown {
  switch (c.type) {
    case 'string':
      return c.codes[i] < 0 ? null : c.dictionary[c.codes[i]];
    case 'date':
      return formatIsoDay(c.values[i]);
    case 'double':
    case 'float': {
      const v = c.values[i];
      return Number.isFinite(v) ? v : null;
    }
    default:
      return c.values[i];
  }
}

export async function parquetRecords(path: string): Promise<{
  columns: string[];
  types: string[];
  records: Record<string, unknown>[];
}> {
  const t = await readParquet(path);
  const records: Record<string, unknown>[] = [];
  for (let i = 0; i < t.length; i++) {
    const r: Record<string, unknown> = {};
    for (const c of t.columns) r[c.name] = cell(c, i);
    records.push(r);
  }
  return { columns: t.columns.map((c) => c.name), types: t.columns.map((c) => c.type), records };
}
