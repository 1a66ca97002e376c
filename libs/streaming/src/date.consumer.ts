import { Subject, merge } from 'rxjs';
import type { BusPort } from '@alphafeed/bus';
import type { EventCodecs } from '@alphafeed/codec';
import type { RegionConfig } from '@alphafeed/config';
import { formatIsoDay } from '@alphafeed/core';
import { Backoff, faultPoint } from '@alphafeed/ops';
import type { Logger, ServiceMetrics } from '@alphafeed/ops';
import { Checkpoint, ackAfter, deadLetterPublisher, routeDeadLetters, writeAhead } from '@alphafeed/pipeline';
import type { DeadLetter, MarketEvent } from '@alphafeed/pipeline';
import type { StorePort, TableSpec } from '@alphafeed/store';
import { BarArchive } from './bar.archive';
import { CachedDateBars } from './cached-date-bars';
import { admitEvents, closeDates } from './close-dates.operator';
import type { ClosedDate } from './closed-date';
import { ClosedDateRunner } from './closed-date.runner';
import type { DateProcessor } from './closed-date.runner';
import { consumerGroup } from './consumer-group';
import { DateCloser } from './date-closer';
import type { DateBarsPort } from './date-bars.port';
import { decodedMarketEvents } from './market-events.stream';
import { StoreDateBars } from './store-date-bars';
import { BARS_TABLE, DATES_TABLE, INDUSTRIES_TABLE, MARKERS_TABLE } from './tables';
import { ensureStreamingTopics } from './topics';

export interface DateConsumerOptions {
  /** Service name: consumer group suffix, archive partition, dead-letter `service`. */
  readonly service: string;
  readonly config: RegionConfig;
  readonly bus: BusPort;
  readonly store: StorePort;
  readonly codecs: EventCodecs;
  readonly logger: Logger;
  /** The service's own output tables, created before consuming. */
  readonly tables: readonly TableSpec[];
  /**
   * Processed dates whose bars a `consumers: single` member keeps in memory
   * for corrections (default 300, ~60 bytes per bar); corrections of older
   * dates are read back from the store.
   */
  readonly cacheDates?: number;
  /** Where progress is counted for Prometheus (dates, bars, restatements, dead letters, lag, marker → output). */
  readonly metrics?: ServiceMetrics;
  /** Backoff between restarts of a failed consumer (default 500 ms doubling to 15 s). */
  readonly restartBackoff?: { readonly initialMs: number; readonly maxMs: number };
}

/**
 * Where the date-closing member is: `standby` holds no partition (another
 * member closes dates), `resuming` just got them and reads its state back,
 * `active` closes dates, `restarting` waits out a backoff after a failure.
 */
export type ConsumerRole = 'starting' | 'standby' | 'resuming' | 'active' | 'restarting' | 'stopping';

/** What `/health` and the metrics show of a date consumer. */
export type DateConsumerReport = {
  /** Liveness: true unless stopped (the consumer restarts itself after failures). */
  readonly ok: boolean;
  /** Closing dates or standing by, not resuming, restarting or stopping. */
  readonly ready: boolean;
  readonly reason?: string;
  readonly role: ConsumerRole;
  /** `shared` only: the ingestion of this member's bars partitions. */
  readonly ingest?: 'running' | 'restarting';
  /** Restarts after failures so far, and the last failure. */
  readonly restarts: number;
  readonly last_error?: string;
  readonly stopping: boolean;
  readonly consumers: 'single' | 'shared';
  readonly bars_ingested?: number;
  readonly dates_processed: number;
  readonly last_date: string | null;
  readonly last_revision: number | null;
  readonly open_dates: number;
  readonly ms_since_last_date: number | null;
};

/** The term of a closing member lost its partitions (another member closes dates now). */
class OwnershipLost extends Error {
  constructor() {
    super('this member no longer holds the partitions; another member closes dates now');
  }
}

/** The date closer of the current term and the bars it reads (null while standing by). */
interface ActiveTerm {
  readonly closer: DateCloser;
  readonly bars: DateBarsPort;
}

/**
 * The bars consumer of a date-driven service (features, labels, scorer),
 * free of Nest: creates topics and tables, then runs its roles, each
 * supervised (a failure — a broker or store outage, a lost group membership —
 * ends the role's term: nothing uncommitted is acknowledged, the role waits
 * a capped backoff and starts a new term from the store).
 *
 * **Closing dates** (one member of the service at a time). The member that
 * holds the closing partitions (`single`: every partition of the bars and
 * EOD topics, an exclusive group; `shared`: the one partition of the EOD
 * topic, group `<service>-close`) resumes from the store the moment it gets
 * them — processed dates from `closed_dates`, the engine rebuilt from the bar
 * archive, pending restatements finished, open dates reopened — and only
 * then consumes, from the committed offsets: exactly where the previous
 * owner stopped. A member without them stands by with no state at all: it
 * reads nothing, times nothing out and writes nothing, so a standby can never
 * close a date it has not seen the bars of nor write `closed_dates` while
 * another member is active. Losing the partitions ends the term (state
 * dropped; the member stands by again). Pipeline: decode → validate →
 * admit (late dates) → write ahead → close → dead letters → the use case →
 * commit.
 *
 * **Ingesting** (`shared` only, every member): its share of the bars
 * partitions → dead letters | the archive, commit after the write; a bar of
 * an already processed date re-sends that date's marker (the closer sees
 * markers only).
 */
export class DateConsumer {
  private runner: ClosedDateRunner | null = null;
  private term: ActiveTerm | null = null;
  private role: ConsumerRole = 'starting';
  private ingest: 'running' | 'restarting' = 'running';
  private restarts = 0;
  private lastError: string | null = null;
  private stopping = false;
  private lastDate: ClosedDate | null = null;
  private ingested = 0;
  private readonly loops: Promise<void>[] = [];
  private readonly abort = new AbortController();
  private markReady: () => void = () => undefined;
  /** The closing role was active or standing by once (later failures restart it instead of failing the start). */
  private wasReady = false;
  private failStart: (error: unknown) => void = () => undefined;
  /**
   * Resolves once the consumer is closing dates (resumed from the store) or
   * standing by; rejects when the very first attempt fails (a start-up
   * error, e.g. no broker), after which `start` rejects too.
   */
  readonly ready: Promise<void> = new Promise((resolve, reject) => {
    this.markReady = () => {
      this.wasReady = true;
      resolve();
    };
    this.failStart = reject;
  });

  constructor(private readonly options: DateConsumerOptions) {
    this.ready.catch(() => undefined);
  }

  async start(processor: DateProcessor, onDate?: (closed: ClosedDate) => void): Promise<void> {
    const { config, bus, store, service, logger } = this.options;
    await ensureStreamingTopics(bus, config);
    await store.ensureTables([
      BARS_TABLE,
      MARKERS_TABLE,
      INDUSTRIES_TABLE,
      DATES_TABLE,
      ...this.options.tables,
    ]);
    const archive = new BarArchive(store, config.region, service);
    const shared = config.streaming.consumers === 'shared';
    this.runner = new ClosedDateRunner({
      store,
      region: config.region,
      service,
      archive,
      processor,
      logger,
      recent: shared ? 0 : (this.options.cacheDates ?? 300),
    });
    this.loops.push(this.supervise('closing dates', () => this.closingTerm(archive, onDate)));
    if (shared) this.loops.push(this.supervise('ingesting bars', () => this.ingestTerm(archive)));
    await this.ready;
  }

  /**
   * Scores or publishes again from `fromDay` (the scorer's model swap) when
   * this member closes dates now, under the runner's lock; a standby does
   * nothing (its takeover republishes what is missing). Returns the dates
   * stepped, or null when not active.
   */
  async rerun(fromDay: number): Promise<number | null> {
    if (this.role !== 'active' || this.runner === null) return null;
    return this.runner.rerun(fromDay);
  }

  /** Runs `term` again and again until stopped; a failure waits a capped backoff, a lost ownership none. */
  private async supervise(what: string, term: () => Promise<void>): Promise<void> {
    const { logger } = this.options;
    const newBackoff = (): Backoff =>
      new Backoff({
        initialMs: this.options.restartBackoff?.initialMs ?? 500,
        maxMs: this.options.restartBackoff?.maxMs ?? 15_000,
        factor: 2,
        jitter: 0.2,
      });
    let backoff = newBackoff();
    while (!this.stopping) {
      const began = Date.now();
      try {
        await term();
      } catch (error) {
        if (this.stopping) break;
        this.term = null;
        if (error instanceof OwnershipLost) {
          logger.warn(`${what}: ${error.message}; standing by`);
          continue;
        }
        if (what === 'closing dates' && !this.wasReady) {
          // The very first attempt: a start-up error (no broker, no store) fails the start.
          this.failStart(error);
          return;
        }
        // A term that ran a while failed afresh: start the backoff over.
        if (Date.now() - began > 60_000) backoff = newBackoff();
        this.restarts++;
        this.lastError = String(error);
        if (what === 'closing dates') this.role = 'restarting';
        else this.ingest = 'restarting';
        const wait = Math.round(backoff.delay());
        logger.warn(
          `${what} stopped: ${String(error)}; nothing uncommitted was acknowledged, starting again from the store in ${wait} ms`,
          { stack: error instanceof Error ? error.stack : undefined, restarts: this.restarts },
        );
        await this.sleep(wait);
        if (this.stopping) break;
        if (what === 'closing dates') this.role = 'starting';
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.abort.signal.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * One term of the closing role: join the group, stand by until this
   * member holds the partitions, then resume from the store and close dates
   * until stopped (resolves) or failed / dispossessed (rejects).
   */
  private closingTerm(archive: BarArchive, onDate?: (closed: ClosedDate) => void): Promise<void> {
    const { service, config, logger } = this.options;
    const runner = this.runner as ClosedDateRunner;
    const shared = config.streaming.consumers === 'shared';
    const bars: DateBarsPort = shared
      ? new StoreDateBars(archive)
      : new CachedDateBars(archive, this.options.cacheDates ?? 300);
    const closer = new DateCloser(bars, {
      region: config.region,
      eodTimeoutMs: config.streaming.eod_timeout_ms,
      logger,
      revisionOf: (day) => runner.revisionOf(day),
    });
    const topics = config.streaming.kafka.topics;
    const group = shared ? `${consumerGroup(config, service)}-close` : consumerGroup(config, service);
    const read = shared ? [topics.eod] : [topics.bars, topics.eod];
    this.watchLag(group, read);
    // Checkpoints the term injects itself: right after resuming (the closer's timers and the dates
    // already complete in the archive), and the error that ends the term when ownership is lost.
    const control = new Subject<Checkpoint>();
    const onAbort = (): void => control.complete();
    this.abort.signal.addEventListener('abort', onAbort, { once: true });
    let owner = false;
    let resumed: Promise<void> | null = null;
    const onAssignment = (partitions: number): void => {
      if (partitions > 0 && !owner) {
        owner = true;
        this.role = 'resuming';
        logger.info(`holding ${partitions} partition(s) of group ${group}: resuming from the store`);
        resumed = this.resume(runner, bars, closer).then(
          () => {
            this.term = { closer, bars };
            this.role = 'active';
            this.markReady();
            control.next(new Checkpoint(() => undefined));
          },
          (error: unknown) => {
            control.error(error);
            throw error;
          },
        );
        resumed.catch(() => undefined);
      } else if (partitions === 0 && owner) {
        owner = false;
        control.error(new OwnershipLost());
      } else if (partitions === 0) {
        this.role = 'standby';
        this.markReady();
      }
    };
    const events = decodedMarketEvents(this.options, {
      groupId: group,
      topics: read,
      exclusive: !shared,
      signal: this.abort.signal,
      onAssignment,
      // A batch reaches the closer only after the resume (a member gets batches only once it holds partitions).
      gate: () => resumed,
    });
    logger.info(
      shared
        ? `closing dates from ${topics.eod} as group ${group} (one member at a time, the others stand by)`
        : `consuming ${topics.bars} + ${topics.eod} as group ${group} (one member at a time, the others stand by)`,
    );
    return new Promise<void>((resolve, reject) => {
      merge(control, events.pipe(admitEvents(closer)))
        .pipe(
          writeAhead(async (batch: readonly MarketEvent[]) => {
            await bars.write(batch);
            faultPoint('archive-written'); // the fault suite's crash between the archive write and the commit
          }),
          closeDates(closer, { logger }),
          routeDeadLetters(this.deadLetters()),
          ackAfter((closed: ClosedDate) => this.track(runner, closed, onDate)),
        )
        .subscribe({ error: reject, complete: resolve });
    }).finally(() => {
      this.abort.signal.removeEventListener('abort', onAbort);
      this.term = null;
    });
  }

  /** Restores runner, cache and closer from the store (what the previous owner left, pending restatements finished). */
  private async resume(runner: ClosedDateRunner, bars: DateBarsPort, closer: DateCloser): Promise<void> {
    const resume = await runner.resume();
    if (bars instanceof CachedDateBars) {
      bars.seed(resume.recent, runner.lastDay);
      bars.load(resume.open);
    }
    const now = Date.now();
    closer.resume(resume.processed, now);
    for (const event of resume.open) closer.onEvent(event, now);
  }

  /**
   * One term of the ingest role (`shared`): this member's bars partitions →
   * dead letters | the archive, commit after the write. A bar of an already
   * processed date re-sends that date's marker (the closer sees markers only).
   */
  private ingestTerm(archive: BarArchive): Promise<void> {
    const { config, bus, codecs, logger, service } = this.options;
    const group = consumerGroup(config, service);
    const topics = config.streaming.kafka.topics;
    this.watchLag(group, [topics.bars]);
    let processedThrough: number | null = null;
    const resend = async (events: readonly MarketEvent[]): Promise<void> => {
      let newest = -Infinity;
      for (const e of events) if (e.kind === 'bar') newest = Math.max(newest, e.bar.date);
      // Only a bar newer than the known last processed date can find it stale.
      if (processedThrough === null || newest > processedThrough)
        processedThrough = await this.processedAfter(processedThrough);
      const through = processedThrough;
      if (through === null) return;
      const late = new Set<number>();
      for (const e of events) if (e.kind === 'bar' && e.bar.date <= through) late.add(e.bar.date);
      if (late.size === 0) return;
      const markers = await archive.readMarkers(Math.min(...late), Math.max(...late));
      const messages = markers
        .filter((m) => late.has(m.date))
        .map((m) => ({ key: Buffer.from(config.region), value: codecs.endOfDay.encode(m) }));
      if (messages.length > 0) await bus.publish(topics.eod, messages);
    };
    return new Promise<void>((resolve, reject) => {
      let announced = false;
      decodedMarketEvents(this.options, {
        groupId: group,
        topics: [topics.bars],
        signal: this.abort.signal,
        onAssignment: () => {
          this.ingest = 'running';
          if (!announced) logger.info(`ingesting ${topics.bars} as group ${group}`);
          announced = true;
        },
      })
        .pipe(
          writeAhead(async (events: readonly MarketEvent[]) => {
            await archive.write(events);
            faultPoint('archive-written');
            await resend(events);
            this.ingested += events.length;
          }),
          routeDeadLetters(this.deadLetters()),
          ackAfter(() => undefined),
        )
        .subscribe({ error: reject, complete: resolve });
    });
  }

  /** Publishes dead letters to `<topic>.dlq` and counts them by reason and code. */
  private deadLetters(): (letters: readonly DeadLetter[]) => Promise<void> {
    const { service, bus, codecs, metrics } = this.options;
    const publish = deadLetterPublisher({ sink: bus, codecs, service });
    return async (letters) => {
      await publish(letters);
      for (const l of letters) metrics?.deadLetters.inc({ reason: l.reason, code: l.code });
    };
  }

  private readonly watched = new Set<string>();

  /** Reports the group's lag on `topics` at each metrics scrape (once per group). */
  private watchLag(group: string, topics: readonly string[]): void {
    const { bus, metrics } = this.options;
    if (this.watched.has(group)) return;
    this.watched.add(group);
    metrics?.addLagSource(async () => (await bus.consumerLag(group, topics)).map((l) => ({ ...l, group })));
  }

  /** The last date this service recorded in `closed_dates` after `after` (any member), or `after`. */
  private async processedAfter(after: number | null): Promise<number | null> {
    const { store, config, service } = this.options;
    const rows = await store.read(DATES_TABLE.name, {
      region: config.region,
      from: after === null ? undefined : formatIsoDay(after + 1),
    });
    let last = after;
    for (let r = 0; r < rows.length; r++)
      if (rows.instruments[rows.instrument[r]] === service && (last === null || rows.date[r] > last))
        last = rows.date[r];
    return last;
  }

  /** Runs one closed date. */
  private async track(
    runner: ClosedDateRunner,
    closed: ClosedDate,
    onDate?: (closed: ClosedDate) => void,
  ): Promise<void> {
    await runner.handle(closed);
    this.lastDate = closed;
    this.count(closed);
    onDate?.(closed);
  }

  /** Counts a processed date; for a new one, the time from its marker to its output stored. */
  private count(closed: ClosedDate): void {
    const metrics = this.options.metrics;
    const markerAt = this.term?.closer.markerTime(closed.day);
    if (metrics === undefined) return;
    const kind = closed.restated ? 'restated' : 'new';
    metrics.datesProcessed.inc({ kind });
    metrics.barsProcessed.inc({ kind }, closed.length);
    if (closed.restated) metrics.restatements.inc();
    else if (markerAt !== undefined) metrics.eodToOutput.observe((Date.now() - markerAt) / 1000);
  }

  /** Stops consuming (the batch in flight finishes and commits, the rest is redelivered), then flushes the store. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.role = 'stopping';
    this.abort.abort();
    await Promise.allSettled(this.loops);
    try {
      await this.options.store.flush();
    } catch (error) {
      this.options.logger.warn(`store flush on shutdown failed: ${String(error)}`);
    }
  }

  get datesProcessed(): number {
    return this.runner?.datesProcessed ?? 0;
  }

  /** Bars this instance wrote ahead as an ingest member (`consumers: shared`). */
  get barsIngested(): number {
    return this.ingested;
  }

  get lastDay(): number | null {
    return this.runner?.lastDay ?? null;
  }

  /** Whether this member closes dates now (holds the partitions and resumed). */
  get active(): boolean {
    return this.role === 'active';
  }

  get currentRole(): ConsumerRole {
    return this.role;
  }

  /** Progress for `/health`; cheap (counters only). */
  report(): DateConsumerReport {
    const last = this.runner?.lastDay ?? null;
    const at = this.runner?.lastProcessedAt ?? 0;
    const mode = this.options.config.streaming.consumers;
    const reasons: Record<ConsumerRole, string | undefined> = {
      starting: 'joining the consumer group',
      standby: undefined,
      resuming: 'resuming from the store',
      active: undefined,
      restarting: `restarting after a failure: ${this.lastError ?? ''}`,
      stopping: 'stopping',
    };
    let reason = reasons[this.role];
    if (reason === undefined && mode === 'shared' && this.ingest === 'restarting')
      reason = `bar ingestion restarting after a failure: ${this.lastError ?? ''}`;
    return {
      ok: true,
      ready: reason === undefined,
      reason,
      role: this.role,
      ingest: mode === 'shared' ? this.ingest : undefined,
      restarts: this.restarts,
      last_error: this.lastError ?? undefined,
      stopping: this.stopping,
      consumers: mode,
      bars_ingested: mode === 'shared' ? this.ingested : undefined,
      dates_processed: this.runner?.datesProcessed ?? 0,
      last_date: last === null ? null : formatIsoDay(last),
      last_revision: this.lastDate?.revision ?? null,
      open_dates: this.term?.closer.openDays.length ?? 0,
      // Time since the service last finished a date (consumer lag per partition is on /metrics).
      ms_since_last_date: at === 0 ? null : Date.now() - at,
    };
  }
}
