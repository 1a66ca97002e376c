/**
 * A progress bar for long work. On a TTY it redraws one line on stderr at most
 * ten times a second; elsewhere (CI, pipes) it prints a plain line every 10 %
 * so logs stay readable. Cost per `tick` is a counter and a clock read.
 */
export interface ProgressOptions {
  /** Where to draw; defaults to process.stderr. */
  readonly stream?: NodeJS.WriteStream;
  /** Unit shown after the counts, e.g. "dates" or "bars". */
  readonly unit?: string;
  /** Silence it entirely (tests, --quiet). */
  readonly quiet?: boolean;
}

export class Progress {
  private done = 0;
  private lastDraw = 0;
  private lastDecile = -1;
  private readonly started = Date.now();
  private readonly stream: NodeJS.WriteStream;
  private readonly unit: string;
  private readonly quiet: boolean;

  constructor(
    private readonly label: string,
    private readonly total: number,
    options: ProgressOptions = {},
  ) {
    this.stream = options.stream ?? process.stderr;
    this.unit = options.unit ?? '';
    this.quiet = options.quiet ?? false;
  }

  tick(n = 1): void {
    this.update(this.done + n);
  }

  /** Sets the absolute count (for callbacks that report totals, not increments). */
  update(done: number): void {
    this.done = done;
    if (this.quiet) return;
    const now = Date.now();
    if (this.stream.isTTY) {
      if (now - this.lastDraw < 100 && this.done < this.total) return;
      this.lastDraw = now;
      this.stream.write(`\r${this.line(now)}`);
    } else {
      const decile = this.total > 0 ? Math.floor((10 * this.done) / this.total) : 10;
      if (decile === this.lastDecile) return;
      this.lastDecile = decile;
      this.stream.write(`${this.line(now)}\n`);
    }
  }

  /** Ends the bar, leaving the final line on screen; returns the wall time in ms. */
  finish(): number {
    const elapsed = Date.now() - this.started;
    if (!this.quiet && this.stream.isTTY) this.stream.write(`\r${this.line(Date.now())}\n`);
    return elapsed;
  }

  private line(now: number): string {
    const fraction = this.total > 0 ? Math.min(1, this.done / this.total) : 1;
    const width = 28;
    const filled = Math.round(fraction * width);
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const eta = rate > 0 ? (this.total - this.done) / rate : 0;
    return (
      `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` +
      `${(100 * fraction).toFixed(0).padStart(3)}% ${this.done}/${this.total} ${this.unit} ` +
      `${seconds.toFixed(1)}s eta ${eta.toFixed(0)}s`
    );
  }
}
