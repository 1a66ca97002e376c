import type { StorePort } from '@alphafeed/store';
import { INDUSTRIES_TABLE } from './tables';

/**
 * Stable industry ids of one service, persisted in the `industries` table so
 * that written-ahead bars (which store the id) read back with the same
 * industry after a restart. The incremental engines also need ids that stay
 * the same across dates. New names are written before the bars that use
 * them (`flush` is called by the archive first).
 */
export class IndustryDictionary {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];
  private pending: string[] = [];

  constructor(
    private readonly store: StorePort,
    private readonly region: string,
    private readonly service: string,
  ) {}

  async load(): Promise<void> {
    const rows = await this.store.read(INDUSTRIES_TABLE.name, { region: this.region, tags: { service: this.service } });
    const code = rows.columns.code;
    const byCode: [number, string][] = [];
    for (let r = 0; r < rows.length; r++) byCode.push([code[r], rows.instruments[rows.instrument[r]]]);
    byCode.sort((a, b) => a[0] - b[0]);
    for (const [c, name] of byCode) {
      if (c !== this.names.length) throw new Error(`industries of ${this.service}: code ${c} of ${name} is not the next code ${this.names.length}; the dictionary table is corrupt, delete it with the bars_ahead rows and replay`);
      this.ids.set(name, c);
      this.names.push(name);
    }
  }

  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
      this.pending.push(name);
    }
    return id;
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const names = this.pending;
    this.pending = [];
    await this.store.write(INDUSTRIES_TABLE.name, {
      region: this.region,
      length: names.length,
      date: new Int32Array(names.length),
      instrument: Int32Array.from(names, (_, i) => i),
      instruments: names,
      columns: { code: Float64Array.from(names, (n) => this.ids.get(n) as number) },
      tags: { service: this.service },
    });
  }
}
