import type { KeyedColumns, TableSpec } from './store.port';
import { StoreError } from './errors';

/** Instrument ids share 22 bits of the numeric row key with the day number. */
const INSTRUMENT_BITS = 2 ** 22;

/**
 * One table of the embedded store, in memory and columnar: per region a
 * segment of typed arrays (day, instrument id, tag ids, one Float64Array per
 * numeric column) that grows by doubling, plus a hash index from the dedup
 * key to the row.
 *
 * Upsert semantics are QuestDB's DEDUP UPSERT KEYS(date, region, instrument,
 * ...extraKeys): a row with an existing key overwrites every column of the
 * old row (missing columns become NaN, missing tags ''), last write wins,
 * also within one batch. Cost per write: one array lookup per row plus a
 * scatter per column; the index is, per extra-key combination (constant per
 * batch because tags are), a map from the day to an Int32Array of
 * row + 1 by instrument id (0 = no row), grown by doubling: small-integer
 * keys and no per-row allocation.
 */
export class EmbeddedTable {
  readonly spec: TableSpec;
  /** Instrument dictionary shared by every region of the table. */
  private readonly instruments: string[] = [];
  private readonly instrumentIds = new Map<string, number>();
  /** Per tag column, its dictionary; id 0 is '' (tag absent). */
  private readonly tagValues: string[][];
  private readonly tagIds: Map<string, number>[];
  private readonly segments = new Map<string, Segment>();
  private readonly columnIndex: Map<string, number>;
  private readonly tagIndex: Map<string, number>;
  private readonly extraKeyTags: number[];

  constructor(spec: TableSpec) {
    validateSpec(spec);
    this.spec = spec;
    this.tagValues = spec.tags.map(() => ['']);
    this.tagIds = spec.tags.map(() => new Map([['', 0]]));
    this.columnIndex = new Map(spec.columns.map((c, i) => [c.name, i]));
    this.tagIndex = new Map(spec.tags.map((t, i) => [t, i]));
    this.extraKeyTags = spec.extraKeys.map((k) => this.tagIndex.get(k)!);
  }

  /** Rows ever written to the table (live rows after upserts). */
  get rowCount(): number {
    let n = 0;
    for (const s of this.segments.values()) n += s.length;
    return n;
  }

  /** Validates a batch against the spec; throws with the offending value. Run before logging or applying. */
  validate(rows: KeyedColumns): void {
    const name = this.spec.name;
    const n = rows.length;
    if (!Number.isInteger(n) || n < 0) throw bad(`${name}: length must be a non-negative integer, got ${n}`);
    if (typeof rows.region !== 'string' || rows.region === '')
      throw bad(`${name}: region must be a non-empty string, got ${JSON.stringify(rows.region)}`);
    if (rows.date.length !== n || rows.instrument.length !== n) {
      throw bad(
        `${name}: date (${rows.date.length}) and instrument (${rows.instrument.length}) must have length ${n}`,
      );
    }
    for (const [col, values] of Object.entries(rows.columns)) {
      if (!this.columnIndex.has(col))
        throw bad(
          `${name}: unknown column ${JSON.stringify(col)}; the table has ${this.spec.columns.map((c) => c.name).join(', ')}`,
        );
      if (!(values instanceof Float64Array) || values.length !== n)
        throw bad(`${name}: column ${col} must be a Float64Array of length ${n}`);
    }
    const tags = rows.tags ?? {};
    for (const [tag, value] of Object.entries(tags)) {
      if (!this.tagIndex.has(tag))
        throw bad(
          `${name}: unknown tag ${JSON.stringify(tag)}; the table has tags ${this.spec.tags.join(', ') || 'none'}`,
        );
      if (typeof value !== 'string')
        throw bad(`${name}: tag ${tag} must be a string, got ${JSON.stringify(value)}`);
    }
    for (const key of this.spec.extraKeys) {
      if (tags[key] === undefined || tags[key] === '')
        throw bad(`${name}: dedup key tag ${key} is required, got ${JSON.stringify(tags[key])}`);
    }
    const k = rows.instruments.length;
    for (let i = 0; i < n; i++) {
      const ins = rows.instrument[i];
      if (ins < 0 || ins >= k)
        throw bad(`${name}: row ${i} has instrument index ${ins}, outside instruments[0..${k})`);
    }
    for (let i = 0; i < n; i++) {
      const d = rows.date[i];
      if (d < -1e6 || d > 1e6) throw bad(`${name}: row ${i} has day number ${d}, not a plausible date`);
    }
  }

  /** Upserts a validated batch. */
  apply(rows: KeyedColumns): void {
    const n = rows.length;
    if (n === 0) return;
    let segment = this.segments.get(rows.region);
    if (segment === undefined) {
      segment = new Segment(this.spec.columns.length, this.spec.tags.length);
      this.segments.set(rows.region, segment);
    }
    // Batch-constant parts resolved once: instrument ids, tag ids, the index of this key combination.
    const idOf = new Int32Array(rows.instruments.length);
    for (let j = 0; j < rows.instruments.length; j++) idOf[j] = this.instrumentId(rows.instruments[j]);
    const tags = rows.tags ?? {};
    const tagIdsOfBatch = this.spec.tags.map((t, i) => this.tagId(i, tags[t] ?? ''));
    const combo = this.extraKeyTags.map((i) => tagIdsOfBatch[i]).join(',');
    let index = segment.index.get(combo);
    if (index === undefined) {
      index = new Map();
      segment.index.set(combo, index);
    }

    segment.reserve(segment.length + n);
    const target = new Int32Array(n);
    let lastDay = NaN;
    let rowsOfDay: Int32Array = new Int32Array(0);
    for (let i = 0; i < n; i++) {
      const inst = idOf[rows.instrument[i]];
      const day = rows.date[i];
      if (day !== lastDay) {
        rowsOfDay = index.get(day) ?? new Int32Array(0);
        lastDay = day;
      }
      if (inst >= rowsOfDay.length) {
        const grown = new Int32Array(Math.max(64, inst + 1, 2 * rowsOfDay.length));
        grown.set(rowsOfDay);
        rowsOfDay = grown;
        index.set(day, rowsOfDay);
      }
      let row = rowsOfDay[inst] - 1;
      if (row < 0) {
        row = segment.length++;
        rowsOfDay[inst] = row + 1;
        segment.date[row] = day;
        segment.instrument[row] = inst;
      }
      target[i] = row;
    }
    for (let t = 0; t < this.spec.tags.length; t++) {
      const dst = segment.tags[t];
      const id = tagIdsOfBatch[t];
      for (let i = 0; i < n; i++) dst[target[i]] = id;
    }
    this.spec.columns.forEach((c, j) => {
      const dst = segment.columns[j];
      const src = rows.columns[c.name];
      if (src === undefined) for (let i = 0; i < n; i++) dst[target[i]] = NaN;
      else for (let i = 0; i < n; i++) dst[target[i]] = src[i];
    });
  }

  /**
   * Rows of a region within [from, to] (day numbers, inclusive) whose tags
   * equal `tagFilter`, sorted by (date, instrument). Throws when two rows
   * share (date, instrument) — different extra-key values — because one
   * KeyedColumns cannot tell them apart: the caller must filter on the key.
   */
  select(
    region: string,
    from: number,
    to: number,
    tagFilter: Readonly<Record<string, string>>,
  ): KeyedColumns {
    const segment = this.segments.get(region);
    const filters: [number, number][] = [];
    for (const [tag, value] of Object.entries(tagFilter)) {
      const t = this.tagIndex.get(tag);
      if (t === undefined)
        throw bad(
          `${this.spec.name}: cannot filter on unknown tag ${JSON.stringify(tag)}; tags are ${this.spec.tags.join(', ') || 'none'}`,
        );
      filters.push([t, this.tagIds[t].get(value) ?? -1]);
    }
    if (segment === undefined) return this.empty(region, tagFilter);

    const picked: number[] = [];
    for (let r = 0; r < segment.length; r++) {
      const d = segment.date[r];
      if (d < from || d > to) continue;
      let ok = true;
      for (const [t, id] of filters) if (segment.tags[t][r] !== id) ok = false;
      if (ok) picked.push(r);
    }
    if (picked.length === 0) return this.empty(region, tagFilter);

    // Sort by (day, instrument name): rank the dictionary once, then one numeric key per row.
    const rank = new Int32Array(this.instruments.length);
    const byName = this.instruments
      .map((_, i) => i)
      .sort((a, b) => compareStrings(this.instruments[a], this.instruments[b]));
    byName.forEach((id, r) => (rank[id] = r));
    const n = picked.length;
    const keys = new Float64Array(n);
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const r = picked[i];
      keys[i] = segment.date[r] * INSTRUMENT_BITS + rank[segment.instrument[r]];
      order[i] = i;
    }
    order.sort((a, b) => keys[a] - keys[b]);
    for (let i = 1; i < n; i++) {
      if (keys[order[i]] === keys[order[i - 1]]) {
        const r = picked[order[i]];
        throw new StoreError(
          'STORE_AMBIGUOUS_READ',
          `${this.spec.name}: ${this.instruments[segment.instrument[r]]} on day ${segment.date[r]} has rows for several ` +
            `${this.spec.extraKeys.join('/')} values; add tags: { ${this.spec.extraKeys.map((k) => `${k}: ...`).join(', ')} } to the read`,
        );
      }
    }

    // Output dictionary: the result's instruments, sorted, so `instrument` indexes stay sorted too.
    const present = new Uint8Array(this.instruments.length);
    for (let i = 0; i < n; i++) present[segment.instrument[picked[i]]] = 1;
    const outIds: number[] = [];
    const outIndex = new Int32Array(this.instruments.length);
    for (const id of byName) if (present[id] === 1) outIndex[id] = outIds.push(id) - 1;

    const date = new Int32Array(n);
    const instrument = new Int32Array(n);
    const columns: Record<string, Float64Array> = {};
    const cols = this.spec.columns.map((c) => (columns[c.name] = new Float64Array(n)));
    for (let i = 0; i < n; i++) {
      const r = picked[order[i]];
      date[i] = segment.date[r];
      instrument[i] = outIndex[segment.instrument[r]];
    }
    for (let j = 0; j < cols.length; j++) {
      const src = segment.columns[j];
      const dst = cols[j];
      for (let i = 0; i < n; i++) dst[i] = src[picked[order[i]]];
    }
    // Tags shared by every returned row; a tag whose value varies is left out.
    const tags: Record<string, string> = {};
    this.spec.tags.forEach((tag, t) => {
      const col = segment.tags[t];
      const first = col[picked[0]];
      for (let i = 1; i < n; i++) if (col[picked[i]] !== first) return;
      if (first !== 0) tags[tag] = this.tagValues[t][first];
    });
    return {
      region,
      length: n,
      date,
      instrument,
      instruments: outIds.map((id) => this.instruments[id]),
      columns,
      tags,
    };
  }

  /** Every live row grouped by region and tag values, as batches that re-create the table when applied (compaction). */
  *snapshot(): Generator<KeyedColumns> {
    for (const [region, segment] of this.segments) {
      const groups = new Map<string, number[]>();
      for (let r = 0; r < segment.length; r++) {
        const key = segment.tags.map((col) => col[r]).join(',');
        let rows = groups.get(key);
        if (rows === undefined) groups.set(key, (rows = []));
        rows.push(r);
      }
      for (const rows of groups.values()) {
        const n = rows.length;
        const date = new Int32Array(n);
        const instrument = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          date[i] = segment.date[rows[i]];
          instrument[i] = segment.instrument[rows[i]];
        }
        const columns: Record<string, Float64Array> = {};
        this.spec.columns.forEach((c, j) => {
          const dst = (columns[c.name] = new Float64Array(n));
          const src = segment.columns[j];
          for (let i = 0; i < n; i++) dst[i] = src[rows[i]];
        });
        const tags: Record<string, string> = {};
        this.spec.tags.forEach((tag, t) => {
          const id = segment.tags[t][rows[0]];
          if (id !== 0) tags[tag] = this.tagValues[t][id];
        });
        yield { region, length: n, date, instrument, instruments: this.instruments, columns, tags };
      }
    }
  }

  private empty(region: string, tagFilter: Readonly<Record<string, string>>): KeyedColumns {
    const columns: Record<string, Float64Array> = {};
    for (const c of this.spec.columns) columns[c.name] = new Float64Array(0);
    return {
      region,
      length: 0,
      date: new Int32Array(0),
      instrument: new Int32Array(0),
      instruments: [],
      columns,
      tags: { ...tagFilter },
    };
  }

  private instrumentId(name: string): number {
    let id = this.instrumentIds.get(name);
    if (id === undefined) {
      id = this.instruments.length;
      if (id >= INSTRUMENT_BITS)
        throw bad(`${this.spec.name}: more than ${INSTRUMENT_BITS} distinct instruments`);
      this.instruments.push(name);
      this.instrumentIds.set(name, id);
    }
    return id;
  }

  private tagId(t: number, value: string): number {
    let id = this.tagIds[t].get(value);
    if (id === undefined) {
      id = this.tagValues[t].length;
      this.tagValues[t].push(value);
      this.tagIds[t].set(value, id);
    }
    return id;
  }
}

/** One region's rows: parallel typed arrays with spare capacity. */
class Segment {
  length = 0;
  date = new Int32Array(0);
  instrument = new Int32Array(0);
  tags: Int32Array[];
  columns: Float64Array[];
  /** Extra-key combination -> day -> row + 1 by instrument id (0 = none). */
  readonly index = new Map<string, Map<number, Int32Array>>();

  constructor(columnCount: number, tagCount: number) {
    this.columns = Array.from({ length: columnCount }, () => new Float64Array(0));
    this.tags = Array.from({ length: tagCount }, () => new Int32Array(0));
  }

  /** Doubling growth: amortised O(1) per row, at most 2x the live size in memory. */
  reserve(rows: number): void {
    if (rows <= this.date.length) return;
    const capacity = Math.max(1024, rows, 2 * this.date.length);
    this.date = grow(this.date, capacity);
    this.instrument = grow(this.instrument, capacity);
    this.tags = this.tags.map((a) => grow(a, capacity));
    this.columns = this.columns.map((a) => grow(a, capacity));
  }
}

function grow<T extends Int32Array | Float64Array>(a: T, capacity: number): T {
  const out = new (a.constructor as new (n: number) => T)(capacity);
  out.set(a);
  return out;
}

/** Code-unit order, as JavaScript's default sort and QuestDB/SQL binary collation order ASCII codes. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function bad(message: string): StoreError {
  return new StoreError('STORE_BAD_INPUT', message);
}

export function validateSpec(spec: TableSpec): void {
  const names = new Set<string>(['region', 'date', 'instrument']);
  for (const n of [...spec.columns.map((c) => c.name), ...spec.tags]) {
    if (names.has(n))
      throw bad(`table ${spec.name}: column name ${JSON.stringify(n)} is used twice or is reserved`);
    names.add(n);
  }
  for (const k of spec.extraKeys) {
    if (!spec.tags.includes(k))
      throw bad(
        `table ${spec.name}: extra key ${JSON.stringify(k)} must be one of its tags (${spec.tags.join(', ') || 'none'})`,
      );
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(spec.name))
    throw bad(`table name ${JSON.stringify(spec.name)} must be an identifier`);
}
