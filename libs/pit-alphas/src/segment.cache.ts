/**
 * Cache of point-in-time segments (one per retrain date: the alphas its
 * model scored and the record of its training), so that an interrupted run
 * resumes where it stopped and a run on extended data retrains only the
 * segments whose inputs changed (the last one, when dates were appended).
 *
 * A segment's key is the SHA-256 of: a format version, config_hash, the
 * caller's code version, the retrain and last scored dates, and the digest
 * of every input the segment reads (`input.digest.ts`). Files:
 * `segment-<retrain date>-<key>.parquet` (the alpha table layout) and a
 * `.json` beside it with the full key and the training record; the JSON is
 * written last, so a segment without one (a crash between the two writes)
 * is not used. A hit is also checked row by row against the feature rows it
 * must cover. `prune()` removes the files of other keys after a successful
 * run. Not covered by the key: XGBoost's thread count (results agree to
 * 1e-6, SPEC §6) and code changes when no code version is given.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dateOffsets, type FeatureFrame } from '@alphafeed/core';
import { concatSegments, type AlphaSegment } from './alpha-table';
import { readAlphaTable, writeAlphaTable } from './alpha-table.parquet';
import { PitArtifactError } from './errors';
import type { PitTraining } from './point-in-time.audit';
import type { PanelKeys } from './table-keys';

/** Bump when the segment layout or the meaning of its numbers changes. */
export const SEGMENT_CACHE_VERSION = 1;

export interface SegmentCacheContext {
  readonly configHash: string;
  readonly codeVersion: string;
  readonly features: FeatureFrame;
  readonly horizons: readonly number[];
  readonly retrainDates: Int32Array;
  readonly ends: Int32Array;
  /** `segmentDigests` of the run's inputs, one per segment. */
  readonly digests: readonly string[];
}

interface SegmentDoc {
  readonly version: number;
  readonly key: string;
  readonly training: PitTraining;
}

export class SegmentCache {
  private readonly keys: string[];
  private readonly offsets: Int32Array;

  constructor(
    private readonly dir: string,
    private readonly ctx: SegmentCacheContext,
  ) {
    const cal = ctx.features.calendar;
    this.offsets = dateOffsets(ctx.features.date, cal.length);
    this.keys = ctx.digests.map((digest, j) =>
      createHash('sha256')
        .update(
          JSON.stringify({
            version: SEGMENT_CACHE_VERSION,
            config_hash: ctx.configHash,
            code: ctx.codeVersion,
            retrain_date: cal[ctx.retrainDates[j]],
            last_scored_date: cal[ctx.ends[j]],
            inputs: digest,
          }),
        )
        .digest('hex'),
    );
  }

  private base(j: number): string {
    return join(
      this.dir,
      `segment-${this.ctx.features.calendar[this.ctx.retrainDates[j]]}-${this.keys[j].slice(0, 24)}`,
    );
  }

  /** The cached segment j, or null when absent, stale or not matching the rows it must cover. */
  async read(
    j: number,
    calendar: readonly string[],
    instruments: readonly string[],
  ): Promise<{ segment: AlphaSegment; training: PitTraining } | null> {
    const base = this.base(j);
    if (!existsSync(`${base}.json`) || !existsSync(`${base}.parquet`)) return null;
    let doc: SegmentDoc;
    try {
      doc = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as SegmentDoc;
    } catch {
      return null;
    }
    if (doc.version !== SEGMENT_CACHE_VERSION || doc.key !== this.keys[j]) return null;
    const keys: PanelKeys = { calendar, instruments };
    let t;
    try {
      t = await readAlphaTable(`${base}.parquet`, keys);
    } catch {
      return null;
    }
    if (!this.coversScoredRows(j, t.date, t.instrument) || t.modelIds.length !== 1) return null;
    if (t.modelIds[0] !== doc.training.modelId || t.horizons.join() !== this.ctx.horizons.join()) return null;
    const segment: AlphaSegment = {
      date: t.date,
      instrument: t.instrument,
      alphas: t.alphas,
      alphaCombined: t.alphaCombined,
      variance: doc.training.variances,
      horizonDays: doc.training.horizonDays,
      modelId: doc.training.modelId,
    };
    return { segment, training: { ...doc.training, cached: true } };
  }

  async write(j: number, segment: AlphaSegment, training: PitTraining): Promise<void> {
    const base = this.base(j);
    const f = this.ctx.features;
    try {
      mkdirSync(this.dir, { recursive: true });
      await writeAlphaTable(
        `${base}.parquet`,
        concatSegments('point-in-time', f.calendar, f.instruments, this.ctx.horizons, [segment]),
      );
      const doc: SegmentDoc = { version: SEGMENT_CACHE_VERSION, key: this.keys[j], training };
      const tmp = `${base}.json.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(doc) + '\n');
      renameSync(tmp, `${base}.json`);
    } catch (err) {
      throw new PitArtifactError(`cannot write the cached segment ${base}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  /** Removes segment files of other keys (older runs, changed inputs) and temporary files left by a crash. */
  prune(): void {
    if (!existsSync(this.dir)) return;
    const keep = new Set(this.keys.map((_, j) => this.base(j)));
    for (const name of readdirSync(this.dir)) {
      const m = /^(segment-.*)\.(parquet|json)$/.exec(name);
      const stale = m !== null ? !keep.has(join(this.dir, m[1])) : /^\.?segment-.*\.tmp$/.test(name);
      if (stale) rmSync(join(this.dir, name), { force: true });
    }
  }

  /** The rows of a cached segment must be exactly the feature rows of `(T_j, end_j]`. */
  private coversScoredRows(j: number, date: Int32Array, instrument: Int32Array): boolean {
    const f = this.ctx.features;
    const T = this.ctx.retrainDates[j];
    const end = this.ctx.ends[j];
    const lo = this.offsets[T + 1];
    const hi = this.offsets[end + 1];
    if (hi - lo !== date.length) return false;
    for (let r = 0; r < date.length; r++) {
      if (date[r] !== f.date[lo + r] || instrument[r] !== f.instrument[lo + r]) return false;
    }
    return true;
  }
}
