/**
 * The README's opening example is executed as written (@alphafeed/testing's
 * runReadmeExample) and prints what its comments claim; the temporary directory it writes is removed
 * afterwards.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as config from '@alphafeed/config';
import * as data from '@alphafeed/data';
import * as features from '@alphafeed/features';
import * as labels from '@alphafeed/labels';
import { runReadmeExample } from '@alphafeed/testing';
import * as training from './index';

const ROOT = path.join(__dirname, '../../..');

it('runs the README example and prints the commented values', async () => {
  const made: string[] = [];
  try {
    const { printed, claimed } = runReadmeExample(path.join(__dirname, '..', 'README.md'), {
      '@alphafeed/config': { ...config, loadConfig: (p: string) => config.loadConfig(path.join(ROOT, p)) },
      '@alphafeed/data': data,
      '@alphafeed/features': features,
      '@alphafeed/labels': labels,
      '@alphafeed/training': training,
      'node:fs': {
        ...fs,
        mkdtempSync: (prefix: string) => {
          const dir = fs.mkdtempSync(prefix);
          made.push(dir);
          return dir;
        },
      },
      'node:os': os,
      'node:path': path,
    });
    // The artifacts are written asynchronously (Parquet through DuckDB): wait for every line.
    const deadline = Date.now() + 60_000;
    while (printed.length < claimed.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(printed).toEqual(claimed);
  } finally {
    made.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  }
});
