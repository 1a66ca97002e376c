import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { MemoryBus } from '@alphafeed/bus';
import { loadEventCodecs } from '@alphafeed/codec';
import type { BarEvent, EventCodecs } from '@alphafeed/codec';
import type { BarPanel } from '@alphafeed/core';
import { silentLogger } from '@alphafeed/ops';
import type { Logger } from '@alphafeed/ops';
import { codecReplayEncoders, replayBars } from '@alphafeed/pipeline';
import type { ReplayResult } from '@alphafeed/pipeline';
import { startServiceApp } from '@alphafeed/runtime';
import { EmbeddedStore } from '@alphafeed/store';
import type { KeyedColumns, ReadQuery } from '@alphafeed/store';
import { DATES_TABLE } from '@alphafeed/streaming';
import type { Backends } from '@alphafeed/streaming';
import type { RegionConfig } from '@alphafeed/config';

/**
 * The set-up every stream = batch spec of the services shares: one
 * MemoryBus and one in-memory EmbeddedStore shared by the services a spec
 * starts (as `alphafeed serve` shares them), replay of a panel onto the bus,
 * and reads of what the services recorded. `close()` stops the services,
 * then the store.
 */
export class StreamTestBed {
  readonly codecs: EventCodecs = loadEventCodecs();
  readonly backends: Backends;
  private readonly apps: INestApplicationContext[] = [];

  private constructor(
    readonly config: RegionConfig,
    readonly bus: MemoryBus,
    readonly store: EmbeddedStore,
  ) {
    this.backends = { bus, store, kind: { bus: 'memory', store: 'embedded' } };
  }

  /** `maxBatchSize`: messages per bus batch (small batches exercise dates spanning batches). */
  static async open(config: RegionConfig, options: { maxBatchSize?: number } = {}): Promise<StreamTestBed> {
    const bus = new MemoryBus({ maxBatchSize: options.maxBatchSize ?? 500, onError: () => undefined });
    await bus.connect();
    return new StreamTestBed(config, bus, await EmbeddedStore.open({}));
  }

  /** The runtime options a service module gets here: the shared backends, a logger (silent by default). */
  runtime(logger: Logger = silentLogger): { readonly backends: Backends; readonly logger: Logger } {
    return { backends: this.backends, logger };
  }

  /** Starts a service module without HTTP; stopped by `stop` or `close`. */
  async start(module: DynamicModule): Promise<INestApplicationContext> {
    const app = await startServiceApp(module, null, silentLogger);
    this.apps.push(app);
    return app;
  }

  /** Stops one started service gracefully (its consumer finishes the batch in flight). */
  async stop(app: INestApplicationContext): Promise<void> {
    const i = this.apps.indexOf(app);
    if (i >= 0) this.apps.splice(i, 1);
    await app.close();
  }

  /** Publishes the panel's dates in [from, to] with their markers, as `alphafeed replay` does. */
  replay(
    panel: BarPanel,
    range: { readonly from?: string; readonly to?: string } = {},
  ): Promise<ReplayResult> {
    return replayBars({
      panel,
      region: this.config.region,
      sink: this.bus,
      ...codecReplayEncoders(this.codecs),
      ...range,
    });
  }

  /** Publishes single bars (a correction, a late bar) keyed by instrument. */
  async publishBars(bars: readonly BarEvent[]): Promise<void> {
    await this.bus.publish(
      this.config.streaming.kafka.topics.bars,
      bars.map((bar) => ({ key: Buffer.from(bar.instrument), value: this.codecs.bar.encode(bar) })),
    );
  }

  /** Processed dates of a service in `closed_dates`: day -> revision. */
  async closedDates(service: string): Promise<Map<number, number>> {
    const rows = await this.store.read(DATES_TABLE.name, { region: this.config.region });
    const out = new Map<number, number>();
    for (let r = 0; r < rows.length; r++)
      if (rows.instruments[rows.instrument[r]] === service) out.set(rows.date[r], rows.columns.revision[r]);
    return out;
  }

  /** True when the group has committed every message of the topic. */
  drained(groupId: string, topic: string): boolean {
    const ends = this.bus.endOffsets(topic);
    return this.bus.committedOffsets(groupId, topic).every((offset, p) => offset === ends[p]);
  }

  /** A table's rows as one comparable string (keys, dictionaries resolved, every column). */
  async snapshot(table: string, query: Partial<ReadQuery> = {}): Promise<string> {
    return tableSnapshot(await this.store.read(table, { region: this.config.region, ...query }));
  }

  async close(): Promise<void> {
    for (const app of this.apps.splice(0).reverse()) await app.close();
    await this.bus.close();
    await this.store.close();
  }
}

/** Rows of a store read as one comparable string. */
export function tableSnapshot(rows: KeyedColumns): string {
  return JSON.stringify({
    n: rows.length,
    d: Array.from(rows.date),
    i: Array.from(rows.instrument, (i) => rows.instruments[i]),
    c: Object.entries(rows.columns).map(([k, v]) => [k, Array.from(v)]),
  });
}
