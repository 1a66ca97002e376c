import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BarPanel } from '@alphafeed/core';

/**
 * A membership CSV (`instrument,start_date,end_date`) for a panel of at least
 * 40 instruments and 300 dates, in a fresh temp dir: instruments 0–24
 * members throughout, 25–29 joining at date 275, 30–34 leaving after date
 * 295, 35–39 out between dates 100 and 285 (feature rows start after the
 * 253-bar warm-up of mom_12_1, at about date 253).
 */
export function writeMembershipCsv(panel: Pick<BarPanel, 'instruments' | 'calendar'>): {
  readonly path: string;
  readonly joinAt: number;
  readonly leaveAfter: number;
} {
  const cal = panel.calendar;
  const lines = ['instrument,start_date,end_date'];
  panel.instruments.forEach((code, i) => {
    if (i < 25) lines.push(`${code},1990-01-01,`);
    else if (i < 30) lines.push(`${code},${cal[275]},`);
    else if (i < 35) lines.push(`${code},1990-01-01,${cal[295]}`);
    else lines.push(`${code},1990-01-01,${cal[100]}`, `${code},${cal[285]},`);
  });
  const path = join(mkdtempSync(join(tmpdir(), 'alphafeed-members-')), 'universe.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { path, joinAt: 275, leaveAfter: 295 };
}
