import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BarPanel } from '@alphafeed/core';

/**
 * Writes a panel as a Qlib binary data directory readable by Qlib and by
 * readQlibBars: `calendars/day.txt` (the panel calendar), `instruments/
 * <market>.txt` (first and last date of each instrument) and per instrument
 * `features/<code lower-cased>/{open,high,low,close,volume,factor}.day.bin`
 * (+ `amount`, and `shares_out` as an alphafeed extension). Values are
 * float32 (Qlib's format): precision is cut to ~7 digits. The panel is
 * adjusted already, so `factor` is written as 1. Dates without a bar inside
 * an instrument's range are NaN, as Qlib writes suspensions. Each file is
 * written to a temporary name and renamed. O(rows) plus one
 * (instrument x span) buffer at a time.
 */
export function writeQlibDir(panel: BarPanel, dir: string, options: { market?: string } = {}): void {
  const market = options.market ?? 'all';
  mkdirSync(join(dir, 'calendars'), { recursive: true });
  mkdirSync(join(dir, 'instruments'), { recursive: true });
  atomicWrite(join(dir, 'calendars', 'day.txt'), `${panel.calendar.join('\n')}\n`);

  const nInst = panel.instruments.length;
  // Rows of each instrument, in date order (the panel is date-major).
  const counts = new Int32Array(nInst + 1);
  for (let i = 0; i < panel.length; i++) counts[panel.instrument[i] + 1]++;
  for (let k = 0; k < nInst; k++) counts[k + 1] += counts[k];
  const rowsOf = new Int32Array(panel.length);
  const fill = counts.slice(0, nInst);
  for (let i = 0; i < panel.length; i++) rowsOf[fill[panel.instrument[i]]++] = i;

  const fields: [string, Float64Array | null][] = [
    ['open', panel.open],
    ['high', panel.high],
    ['low', panel.low],
    ['close', panel.close],
    ['volume', panel.volume],
    ['factor', null],
    ['amount', panel.amount],
    ['shares_out', panel.sharesOut],
  ];
  const lines: string[] = [];
  for (let k = 0; k < nInst; k++) {
    const from = counts[k];
    const to = counts[k + 1];
    if (from === to) continue;
    const code = panel.instruments[k];
    const first = panel.date[rowsOf[from]];
    const last = panel.date[rowsOf[to - 1]];
    lines.push(`${code}\t${panel.calendar[first]}\t${panel.calendar[last]}`);
    const featureDir = join(dir, 'features', code.toLowerCase());
    mkdirSync(featureDir, { recursive: true });
    for (const [name, values] of fields) {
      if (values === null && name !== 'factor') continue;
      const data = new Float32Array(1 + last - first + 1).fill(NaN);
      data[0] = first;
      for (let r = from; r < to; r++) {
        const i = rowsOf[r];
        data[1 + panel.date[i] - first] = values === null ? 1 : values[i];
      }
      atomicWrite(join(featureDir, `${name}.day.bin`), new Uint8Array(data.buffer));
    }
  }
  atomicWrite(join(dir, 'instruments', `${market}.txt`), `${lines.join('\n')}\n`);
}

function atomicWrite(path: string, data: string | Uint8Array): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, data);
  renameSync(temp, path);
}
