import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { InputError } from '@alphafeed/core';
import { BAR_REJECT_REASONS } from './bar-admission';
import type { BarRejectReason } from './bar-admission';

/**
 * Why a row was refused: the admission's reasons (`BAR_REJECT_REASONS`, one
 * vocabulary with the stream's dead letters). Every refused row is counted
 * under exactly one reason (the first check it fails) and written to the
 * rejects file, so nothing is dropped silently.
 */
export const REJECT_REASONS = BAR_REJECT_REASONS;
export type RejectReason = BarRejectReason;

export interface RejectSummary {
  /** Data rows read from the source (header excluded). */
  readonly rowsRead: number;
  /** Rows refused, all reasons together. */
  readonly rejected: number;
  readonly byReason: Readonly<Record<RejectReason, number>>;
  /** Where the refused rows were written, or null when no path was given or nothing was refused. */
  readonly path: string | null;
}

export const DEFAULT_MAX_REJECT_RATIO = 0.01;

const FLUSH_BYTES = 1 << 16;

/**
 * Counts refused rows per reason and streams them to a CSV file
 * (`line,reason,raw`). The file is opened lazily on the first refusal, so a
 * clean input leaves no empty file behind. Memory stays bounded: rows are
 * flushed every 64 KiB instead of being kept.
 */
export class RejectLog {
  private readonly counts = new Map<RejectReason, number>();
  private fd = -1;
  private pending: string[] = [];
  private pendingBytes = 0;
  private total = 0;

  /** A rejects file left by an earlier run at `path` is removed, so the file on disk always matches this load. */
  constructor(private readonly path: string | undefined) {
    if (path !== undefined) rmSync(path, { force: true });
  }

  get rejected(): number {
    return this.total;
  }

  /** `line` is 1-based in the file (header = line 1) for text sources, the 1-based row number otherwise. */
  add(line: number, reason: RejectReason, raw: string): void {
    this.total++;
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    if (this.path === undefined) return;
    const row = `${line},${reason},${quoteCsv(raw)}\n`;
    this.pending.push(row);
    this.pendingBytes += row.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  /**
   * Closes the file and checks the ratio. Throws an InputError when
   * `rejected / rowsRead > maxRejectRatio` (the file is still written, so the
   * user can look at what was refused).
   */
  finish(rowsRead: number, maxRejectRatio: number = DEFAULT_MAX_REJECT_RATIO): RejectSummary {
    this.flush();
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    const byReason = {} as Record<RejectReason, number>;
    for (const r of REJECT_REASONS) byReason[r] = this.counts.get(r) ?? 0;
    const summary: RejectSummary = {
      rowsRead,
      rejected: this.total,
      byReason,
      path: this.total > 0 && this.path !== undefined ? this.path : null,
    };
    const ratio = rowsRead > 0 ? this.total / rowsRead : 0;
    if (ratio > maxRejectRatio) {
      const reasons = REJECT_REASONS.filter((r) => byReason[r] > 0)
        .map((r) => `${r}=${byReason[r]}`)
        .join(', ');
      throw new InputError(
        `${this.total} of ${rowsRead} rows were rejected (ratio ${ratio.toFixed(4)} > maxRejectRatio ` +
          `${maxRejectRatio}): ${reasons}. ` +
          (summary.path !== null ? `See ${summary.path}. ` : 'Pass rejectsPath to see them. ') +
          'Fix the input, or raise maxRejectRatio (--max-reject-ratio) to accept it.',
      );
    }
    return summary;
  }

  private flush(): void {
    if (this.pending.length === 0 || this.path === undefined) return;
    if (this.fd < 0) {
      this.fd = openSync(this.path, 'w');
      writeSync(this.fd, 'line,reason,raw\n');
    }
    writeSync(this.fd, this.pending.join(''));
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/** RFC 4180 quoting: only when the text holds a comma, quote or line break. */
export function quoteCsv(text: string): string {
  if (!/[",\r\n]/.test(text)) return text;
  return `"${text.replace(/"/g, '""')}"`;
}
