import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import type { BusPort, LedgerPublisher, OutgoingMessage } from '@alphafeed/bus';
import type { EventCodecs } from '@alphafeed/codec';
import type { RegionConfig } from '@alphafeed/config';
import { formatIsoDay } from '@alphafeed/core';
import type { Logger } from '@alphafeed/ops';
import type { KeyedColumns, StorePort } from '@alphafeed/store';
import { BUS, CODECS, CONFIG, LOGGER, STORE } from '@alphafeed/runtime';
import { ALPHAS_PUBLISHED_TABLE, ALPHAS_TABLE, consumerGroup } from '@alphafeed/streaming';

/** Scored rows of one or more dates, aligned arrays, in bps (SPEC §4: alphas are in basis points). */
export interface ScoredRows {
  readonly length: number;
  readonly day: Int32Array;
  readonly instrument: readonly string[];
  readonly alpha21: Float64Array;
  readonly alpha63: Float64Array;
  readonly combined: Float64Array;
  readonly var21: number;
  readonly var63: number;
  readonly revision: Int32Array;
  readonly modelVersion: string;
  readonly configHash: string;
}

/** A (date, model version)'s entry of the ledger table. */
interface Entry {
  readonly revision: number;
  readonly rows: number;
  sequence: number;
}

/** Rows staged for the next flush, all of one date and model. */
interface Staged {
  readonly day: number;
  readonly modelVersion: string;
  readonly configHash: string;
  readonly revision: number;
  readonly instruments: string[];
  readonly values: number[][];
  readonly var21: number;
  readonly var63: number;
}

/** Staged rows above which `stage` flushes by itself (one transaction of bounded size). */
const FLUSH_ROWS = 50_000;

/**
 * The scorer's alpha output with exactly-once publication: the `alphas`
 * table (upserts on date, instrument, model_version) and the Alpha events on
 * `alphas.daily.v1`, keyed by instrument, each (date, instrument, model,
 * revision) published once even across crashes and takeovers.
 *
 * How: scores are staged per date and written at `flush` — the alpha rows,
 * then one ledger row per (date, model) in `alphas_published` with the next
 * sequence number, then one Kafka transaction holding the events and the
 * bus ledger set to that sequence (`BusPort.ledgerPublisher`). The
 * transaction is all or nothing, so after a crash the ledger tells exactly
 * which sequences were published. `open` (at every term start: restart or
 * takeover) opens the transactional publisher, which fences the previous
 * owner's, reads the ledger, and publishes again from the `alphas` rows every
 * entry whose sequence is above it; a date whose (model, revision) is
 * already published is never staged again. Subscribers see each event once;
 * they should still be idempotent on (date, instrument, model_version,
 * revision) for anything outside this scorer's control.
 *
 * Cost per flush: two store writes and one transaction (a few broker round
 * trips): one per live date, one per restatement, one per 50,000 rows of a
 * model swap's history.
 */
@Injectable()
export class AlphasPublisher implements OnApplicationShutdown {
  private published = 0;
  private publisher: LedgerPublisher | null = null;
  private committed = -1;
  private nextSequence = 0;
  private readonly entries = new Map<string, Entry>();
  private staged: Staged[] = [];
  private stagedRows = 0;
  /** Called after each published transaction with the days it held (benchmarks time the marker → alpha path with it). */
  onPublished: ((days: readonly number[]) => void) | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: RegionConfig,
    @Inject(BUS) private readonly bus: BusPort,
    @Inject(STORE) private readonly store: StorePort,
    @Inject(CODECS) private readonly codecs: EventCodecs,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Alpha events published by this process. */
  get count(): number {
    return this.published;
  }

  /** Whether (day, model) was published with this revision (or a later one). */
  isPublished(day: number, modelVersion: string, revision: number): boolean {
    const e = this.entries.get(key(day, modelVersion));
    return e !== undefined && e.sequence <= this.committed && e.revision >= revision;
  }

  /** Whether (day, model) has a ledger entry at all (written; published or pending). */
  hasEntry(day: number, modelVersion: string): boolean {
    return this.entries.has(key(day, modelVersion));
  }

  /**
   * Starts a term as the publishing member: opens the transactional
   * publisher (fencing an earlier owner's), reads the ledger and the
   * `alphas_published` rows, and publishes what was written but not
   * published, from the stored alpha rows (same values, same revisions).
   */
  async open(): Promise<void> {
    await this.publisher?.close();
    this.publisher = null;
    this.staged = [];
    this.stagedRows = 0;
    const topics = this.config.streaming.kafka.topics;
    const group = consumerGroup(this.config, 'scorer');
    await this.store.ensureTables([ALPHAS_TABLE, ALPHAS_PUBLISHED_TABLE]);
    await this.store.sync([ALPHAS_TABLE.name, ALPHAS_PUBLISHED_TABLE.name]);
    const publisher = await this.bus.ledgerPublisher({
      transactionalId: `${group}-alphas`,
      ledgerGroup: `${group}-alphas-ledger`,
      ledgerTopic: topics.alphas,
    });
    this.publisher = publisher;
    this.committed = publisher.committed;
    this.entries.clear();
    const rows = await this.store.read(ALPHAS_PUBLISHED_TABLE.name, { region: this.config.region });
    let top = this.committed;
    const pending: { day: number; modelVersion: string; entry: Entry }[] = [];
    for (let r = 0; r < rows.length; r++) {
      const modelVersion = rows.instruments[rows.instrument[r]];
      const entry: Entry = {
        revision: rows.columns.revision[r],
        rows: rows.columns.rows[r],
        sequence: rows.columns.sequence[r],
      };
      this.entries.set(key(rows.date[r], modelVersion), entry);
      top = Math.max(top, entry.sequence);
      if (entry.sequence > this.committed) pending.push({ day: rows.date[r], modelVersion, entry });
    }
    this.nextSequence = top + 1;
    if (pending.length > 0) await this.republish(pending);
  }

  /** Stages scored rows for the next `flush`; rows of a (date, model, revision) already published are dropped. */
  async stage(scored: ScoredRows): Promise<void> {
    let start = 0;
    while (start < scored.length) {
      const day = scored.day[start];
      const revision = scored.revision[start];
      let end = start;
      while (end < scored.length && scored.day[end] === day && scored.revision[end] === revision) end++;
      if (!this.isPublished(day, scored.modelVersion, revision)) {
        const values: number[][] = [[], [], []];
        const instruments: string[] = [];
        for (let i = start; i < end; i++) {
          instruments.push(scored.instrument[i]);
          values[0].push(scored.alpha21[i]);
          values[1].push(scored.alpha63[i]);
          values[2].push(scored.combined[i]);
        }
        this.staged.push({
          day,
          modelVersion: scored.modelVersion,
          configHash: scored.configHash,
          revision,
          instruments,
          values,
          var21: scored.var21,
          var63: scored.var63,
        });
        this.stagedRows += end - start;
      }
      start = end;
    }
    if (this.stagedRows >= FLUSH_ROWS) await this.flush();
  }

  /** Writes the staged rows and their ledger rows, then publishes them in one transaction. */
  async flush(): Promise<void> {
    if (this.staged.length === 0) return;
    const staged = this.staged;
    this.staged = [];
    this.stagedRows = 0;
    await this.writeRows(staged);
    await this.publishStaged(staged);
  }

  private async writeRows(staged: readonly Staged[]): Promise<void> {
    // One store write per model version (the tag); usually one.
    for (const modelVersion of new Set(staged.map((s) => s.modelVersion))) {
      const part = staged.filter((s) => s.modelVersion === modelVersion);
      const n = part.reduce((k, s) => k + s.instruments.length, 0);
      const rows: KeyedColumns = {
        region: this.config.region,
        length: n,
        date: new Int32Array(n),
        instrument: Int32Array.from({ length: n }, (_, i) => i),
        instruments: part.flatMap((s) => s.instruments),
        columns: {
          alpha_21d: new Float64Array(n),
          alpha_63d: new Float64Array(n),
          alpha_combined: new Float64Array(n),
          var_21d: new Float64Array(n),
          var_63d: new Float64Array(n),
          revision: new Float64Array(n),
        },
        tags: { model_version: modelVersion, config_hash: part[0].configHash },
      };
      let i = 0;
      for (const s of part)
        for (let k = 0; k < s.instruments.length; k++, i++) {
          rows.date[i] = s.day;
          rows.columns.alpha_21d[i] = s.values[0][k];
          rows.columns.alpha_63d[i] = s.values[1][k];
          rows.columns.alpha_combined[i] = s.values[2][k];
          rows.columns.var_21d[i] = s.var21;
          rows.columns.var_63d[i] = s.var63;
          rows.columns.revision[i] = s.revision;
        }
      await this.store.write(ALPHAS_TABLE.name, rows);
    }
  }

  /** Ledger rows with the next sequence, then the transaction (events + ledger). */
  private async publishStaged(staged: readonly Staged[]): Promise<void> {
    const publisher = this.publisher;
    if (publisher === null)
      throw new Error('AlphasPublisher.flush before open(): the scorer publishes only while it closes dates');
    const sequence = this.nextSequence++;
    const byKey = new Map<string, Staged[]>();
    for (const s of staged) {
      const k = key(s.day, s.modelVersion);
      const list = byKey.get(k) ?? [];
      list.push(s);
      byKey.set(k, list);
    }
    const ledgerRows = [...byKey.values()].map((list) => {
      const last = list[list.length - 1];
      return { day: last.day, modelVersion: last.modelVersion, revision: last.revision, rows: last.instruments.length };
    });
    const models = [...new Set(ledgerRows.map((r) => r.modelVersion))];
    const n = ledgerRows.length;
    await this.store.write(ALPHAS_PUBLISHED_TABLE.name, {
      region: this.config.region,
      length: n,
      date: Int32Array.from(ledgerRows, (r) => r.day),
      instrument: Int32Array.from(ledgerRows, (r) => models.indexOf(r.modelVersion)),
      instruments: models,
      columns: {
        revision: Float64Array.from(ledgerRows, (r) => r.revision),
        rows: Float64Array.from(ledgerRows, (r) => r.rows),
        sequence: new Float64Array(n).fill(sequence),
      },
    });
    for (const r of ledgerRows)
      this.entries.set(key(r.day, r.modelVersion), { revision: r.revision, rows: r.rows, sequence });
    const messages = this.events(staged);
    await publisher.publish([{ topic: this.config.streaming.kafka.topics.alphas, messages }], sequence);
    this.committed = sequence;
    this.published += messages.length;
    this.onPublished?.([...new Set(staged.map((s) => s.day))]);
  }

  /** Publishes written-but-unpublished entries again from the stored alpha rows, in one transaction. */
  private async republish(pending: readonly { day: number; modelVersion: string; entry: Entry }[]): Promise<void> {
    const staged: Staged[] = [];
    for (const p of pending) {
      const day = formatIsoDay(p.day);
      const rows = await this.store.read(ALPHAS_TABLE.name, {
        region: this.config.region,
        from: day,
        to: day,
        tags: { model_version: p.modelVersion },
      });
      const keep: number[] = [];
      for (let r = 0; r < rows.length; r++) if (rows.columns.revision[r] === p.entry.revision) keep.push(r);
      if (keep.length !== p.entry.rows) {
        // A later revision overwrote them before they went out: the later one is published by its own entry.
        this.logger.warn(
          `alphas of ${day} (${p.modelVersion}, revision ${p.entry.revision}) were written but not published, and the store now holds ${keep.length} of their ${p.entry.rows} rows; not re-published`,
        );
        continue;
      }
      staged.push({
        day: p.day,
        modelVersion: p.modelVersion,
        configHash: rows.tags?.config_hash ?? '',
        revision: p.entry.revision,
        instruments: keep.map((r) => rows.instruments[rows.instrument[r]]),
        values: [
          keep.map((r) => rows.columns.alpha_21d[r]),
          keep.map((r) => rows.columns.alpha_63d[r]),
          keep.map((r) => rows.columns.alpha_combined[r]),
        ],
        var21: rows.columns.var_21d[keep[0]] ?? NaN,
        var63: rows.columns.var_63d[keep[0]] ?? NaN,
      });
    }
    if (staged.length === 0) return;
    await this.publishStaged(staged);
    this.logger.warn(
      `published ${staged.length} (date, model) alpha sets the previous run wrote but had not published (${staged
        .slice(0, 5)
        .map((s) => formatIsoDay(s.day))
        .join(', ')}${staged.length > 5 ? ', ...' : ''})`,
    );
  }

  private events(staged: readonly Staged[]): OutgoingMessage[] {
    const region = this.config.region;
    const out: OutgoingMessage[] = [];
    for (const s of staged)
      for (let k = 0; k < s.instruments.length; k++)
        out.push({
          key: Buffer.from(s.instruments[k], 'utf8'),
          value: this.codecs.alpha.encode({
            date: s.day,
            instrument: s.instruments[k],
            region,
            alpha_21d: s.values[0][k],
            alpha_63d: s.values[1][k],
            alpha_combined: s.values[2][k],
            var_21d: s.var21,
            var_63d: s.var63,
            model_version: s.modelVersion,
            config_hash: s.configHash,
            revision: s.revision,
          }),
        });
    return out;
  }

  /** After the consumer stopped (Nest runs this hook after every beforeApplicationShutdown). */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  /** Closes the transactional publisher (shutdown; a takeover's `open` fences it anyway). */
  async close(): Promise<void> {
    await this.publisher?.close();
    this.publisher = null;
  }
}

function key(day: number, modelVersion: string): string {
  return `${day}|${modelVersion}`;
}
