/**
 * A 5-field cron matcher (minute hour day-of-month month day-of-week) in an
 * IANA time zone: the subset `@alphafeed/config` validates (numbers, names,
 * `*`, ranges, lists, steps). Day-of-month and day-of-week combine as in
 * Vixie cron: when both are restricted, either may match.
 */
const NAMES: Record<number, readonly string[]> = {
  3: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  4: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
};
const BOUNDS: readonly [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];

export class CronMatcher {
  private readonly fields: Set<number>[];
  private readonly restricted: boolean[];
  private readonly format: Intl.DateTimeFormat;

  constructor(
    readonly expression: string,
    readonly timeZone: string,
  ) {
    const parts = expression.trim().split(/\s+/);
    if (parts.length !== 5)
      throw new RangeError(
        `cron expression "${expression}" needs 5 fields (minute hour day-of-month month day-of-week)`,
      );
    this.fields = parts.map((text, i) => parseField(text, i));
    this.restricted = parts.map((text) => text !== '*');
    // Sunday is 0 and 7.
    if (this.fields[4].has(7)) this.fields[4].add(0);
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      minute: 'numeric',
      hour: 'numeric',
      day: 'numeric',
      month: 'numeric',
      weekday: 'short',
    });
  }

  /** Whether the expression fires in the minute containing `at`. */
  matches(at: Date): boolean {
    const p: Record<string, string> = {};
    for (const part of this.format.formatToParts(at)) p[part.type] = part.value;
    const minute = Number(p.minute);
    const hour = Number(p.hour);
    const dom = Number(p.day);
    const month = Number(p.month);
    const dow = NAMES[4].indexOf(p.weekday.toLowerCase().slice(0, 3));
    if (!this.fields[0].has(minute) || !this.fields[1].has(hour) || !this.fields[3].has(month)) return false;
    const domOk = this.fields[2].has(dom);
    const dowOk = this.fields[4].has(dow);
    if (this.restricted[2] && this.restricted[4]) return domOk || dowOk;
    return domOk && dowOk;
  }
}

function parseField(text: string, index: number): Set<number> {
  const [lo, hi] = BOUNDS[index];
  const out = new Set<number>();
  const value = (v: string): number => {
    const named = NAMES[index]?.indexOf(v.toLowerCase()) ?? -1;
    const n = named >= 0 ? named + (index === 3 ? 1 : 0) : Number(v);
    if (!Number.isInteger(n) || n < lo || n > hi)
      throw new RangeError(`cron field "${text}": ${v} is outside ${lo}-${hi}`);
    return n;
  };
  for (const item of text.split(',')) {
    const [range, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1)
      throw new RangeError(`cron field "${text}": step must be an integer >= 1`);
    let from = lo;
    let to = hi;
    if (range !== '*') {
      const [a, b] = range.split('-');
      from = value(a);
      to = b === undefined ? (stepText === undefined ? from : hi) : value(b);
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}
