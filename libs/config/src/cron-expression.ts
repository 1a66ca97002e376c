/**
 * Checks a classic 5-field cron expression (minute hour day-of-month month
 * day-of-week), the form the trainer's scheduler accepts. Checked here so a
 * typo fails at start-up instead of silently never firing. No seconds field,
 * no `@daily` macros, no `L`/`W`/`#`: they are not portable between cron
 * libraries.
 */

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Accepted 3-letter names, index + `min` is the value. */
  readonly names?: readonly string[];
}

const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  },
  // 0 and 7 are both Sunday, as in Vixie cron.
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

/** Why the expression is invalid, or null when it is a valid 5-field cron expression. */
export function cronProblem(expression: string): string | null {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5 || parts[0] === '') {
    return `a cron expression has 5 fields (minute hour day-of-month month day-of-week), found ${parts[0] === '' ? 0 : parts.length}`;
  }
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(parts[i], FIELDS[i]);
    if (problem !== null) return `${FIELDS[i].name} field "${parts[i]}": ${problem}`;
  }
  return null;
}

/**
 * The time of day the expression fires, when its minute and hour fields are
 * single numbers (`30 17 * * 1-5` → 17:30); null for anything wider, which the
 * caller then does not compare against the close.
 */
export function cronFixedTime(expression: string): { hour: number; minute: number } | null {
  const parts = expression.trim().split(/\s+/);
  if (!/^\d+$/.test(parts[0] ?? '') || !/^\d+$/.test(parts[1] ?? '')) return null;
  return { minute: Number(parts[0]), hour: Number(parts[1]) };
}

function fieldProblem(text: string, field: CronField): string | null {
  for (const item of text.split(',')) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(item);
    if (m === null) return `"${item}" is not a value, range or step`;
    const [, base, step] = m;
    if (step !== undefined && Number(step) < 1) return 'a step must be at least 1';
    if (base === '*') continue;
    const bounds = base.split('-');
    if (bounds.length > 2) return `"${base}" is not a value or range`;
    const values: number[] = [];
    for (const bound of bounds) {
      const v = fieldValue(bound, field);
      if (v === null)
        return `"${bound}" is out of range: use ${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : ''}`;
      values.push(v);
    }
    if (values.length === 2 && values[0] > values[1]) return `range "${base}" runs backwards`;
  }
  return null;
}

function fieldValue(text: string, field: CronField): number | null {
  if (/^\d+$/.test(text)) {
    const v = Number(text);
    return v >= field.min && v <= field.max ? v : null;
  }
  const at = field.names?.indexOf(text.toLowerCase()) ?? -1;
  return at >= 0 ? at + (field.name === 'month' ? 1 : 0) : null;
}
