import { Cron } from 'croner';

/**
 * `training.schedule` is a cron expression in croner's grammar
 * (https://croner.56k.guru), read as exactly 5 fields (minute hour
 * day-of-month month day-of-week; `*`, ranges, lists, steps, `jan`–`dec`,
 * `sun`–`sat`, Sunday as 0 or 7, plus croner's `L`, `W`, `#` and `@daily`
 * style nicknames). Day-of-month and day-of-week combine with OR when both
 * are restricted, as in Vixie cron. The same library validates the config
 * and schedules the trainer, so what validates is what fires.
 */

const HINT = 'write 5 fields (minute hour day-of-month month day-of-week), e.g. "30 17 * * 1-5"';

/** A paused schedule in `timeZone` (no timer): for `nextRun` / `nextRuns`; throws croner's error on a bad expression. */
export function cronSchedule(expression: string, timeZone = 'UTC'): Cron {
  return new Cron(expression, { mode: '5-part', timezone: timeZone, domAndDow: false, paused: true });
}

/**
 * A running schedule: croner computes the next run and sleeps until it (one
 * timer, no polling); `run` is not started again while a previous call is
 * still running (`protect`). The timer does not keep the process alive.
 */
export function cronJob(expression: string, timeZone: string, run: () => void): Cron {
  return new Cron(
    expression,
    { mode: '5-part', timezone: timeZone, domAndDow: false, protect: true, unref: true },
    run,
  );
}

/** Why the expression is invalid (croner's reason and a hint), or null when it is valid. */
export function cronProblem(expression: string): string | null {
  try {
    cronSchedule(expression);
    return null;
  } catch (err) {
    // croner's message names 5, 6 or 7 parts; only 5 are read here, so a wrong count is said plainly.
    const fields = expression.trim() === '' ? 0 : expression.trim().split(/\s+/).length;
    const reason =
      fields !== 5 && !expression.trim().startsWith('@')
        ? `it has ${fields} field${fields === 1 ? '' : 's'}`
        : (err instanceof Error ? err.message : String(err))
            .replace(/^CronPattern:\s*/, '')
            .replace(/\.$/, '');
    return `not a cron expression (${reason}); ${HINT}`;
  }
}

/**
 * The time of day the schedule fires in `timeZone` when every run of the
 * next two weeks is at the same hour and minute (`30 17 * * 1-5` → 17:30);
 * null for schedules that fire at several times of day, which the caller
 * then does not compare against the close. Null for an invalid expression.
 */
export function cronFixedTime(
  expression: string,
  timeZone = 'UTC',
  from = new Date(Date.UTC(2026, 0, 5)),
): { hour: number; minute: number } | null {
  let runs: Date[];
  try {
    runs = cronSchedule(expression, timeZone).nextRuns(14, from);
  } catch {
    return null;
  }
  if (runs.length === 0) return null;
  const clock = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
  });
  const times = new Set(runs.map((d) => clock.format(d)));
  if (times.size !== 1) return null;
  const [hour, minute] = [...times][0].split(':').map(Number);
  return { hour, minute };
}
