import type { StorePort } from '@alphafeed/store';
import { INDUSTRIES_TABLE } from './tables';

/**
 * Industry codes of one service, persisted in the `industries` table so that
 * written-ahead bars (which store the code) read back with their industry
 * after a restart. A code is a 48-bit hash of the name rather than a running
 * number: several instances of a service (`streaming.consumers: shared`)
 * write the same archive without coordinating, and a hash gives every one of
 * them the same code for the same name. Two names with one code would be
 * ambiguous, so a collision is an error (about 1 in 10^10 for 200 names).
 * New names are written before the bars that use them (`flush`, called by the
 * archive first) and count as written only once that write succeeded: a
 * failed write (store outage, the batch redelivered) writes them again with
 * the retried batch, so a code in `bars_ahead` always has its name (the upsert
 * of one (name, code) by two writers is harmless).
 */
export class IndustryDictionary {
  private readonly codes = new Map<string, number>();
  private readonly names = new Map<number, string>();
  /** Names used by bars not yet written whose row is not known to be in the store. */
  private readonly pending = new Set<string>();

  constructor(
    private readonly store: StorePort,
    private readonly region: string,
    private readonly service: string,
  ) {}

  /** Reads the names written so far (by this process or another instance). */
  async load(): Promise<void> {
    const rows = await this.store.read(INDUSTRIES_TABLE.name, {
      region: this.region,
      tags: { service: this.service },
    });
    for (let r = 0; r < rows.length; r++) {
      const name = rows.instruments[rows.instrument[r]];
      this.remember(name, rows.columns.code[r]);
      this.pending.delete(name);
    }
  }

  code(name: string): number {
    let code = this.codes.get(name);
    if (code === undefined) {
      code = industryCode(name);
      this.remember(name, code);
      this.pending.add(name);
    }
    return code;
  }

  /** The name of a code; reloads the table once for a code another instance wrote. */
  async name(code: number): Promise<string> {
    if (!this.names.has(code)) {
      // Written by another process: wait until its writes are visible (QuestDB applies WAL asynchronously).
      await this.store.sync([INDUSTRIES_TABLE.name]);
      await this.load();
    }
    const name = this.names.get(code);
    if (name === undefined)
      throw new Error(
        `industries of ${this.service}: code ${code} is in bars_ahead but not in the industries table; the archive is corrupt, delete both and replay`,
      );
    return name;
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const names = [...this.pending];
    await this.store.write(INDUSTRIES_TABLE.name, {
      region: this.region,
      length: names.length,
      date: new Int32Array(names.length),
      instrument: Int32Array.from(names, (_, i) => i),
      instruments: names,
      columns: { code: Float64Array.from(names, (n) => this.codes.get(n) as number) },
      tags: { service: this.service },
    });
    for (const n of names) this.pending.delete(n);
  }

  private remember(name: string, code: number): void {
    const known = this.names.get(code);
    if (known !== undefined && known !== name)
      throw new Error(
        `industries of ${this.service}: "${known}" and "${name}" hash to the same code ${code}; rename one of them in the data source`,
      );
    this.codes.set(name, code);
    this.names.set(code, name);
  }
}

/** FNV-1a over the UTF-16 code units, folded to 48 bits (exact in a double and in a QuestDB long). */
export function industryCode(name: string): number {
  let lo = 0x811c9dc5;
  let hi = 0x050c5d1f;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    lo = Math.imul(lo ^ c, 0x01000193) >>> 0;
    hi = Math.imul(hi ^ c ^ (lo >>> 16), 0x01000193) >>> 0;
  }
  return (hi & 0xffff) * 0x1_0000_0000 + lo;
}
