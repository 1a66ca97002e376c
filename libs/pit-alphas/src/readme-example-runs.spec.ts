/**
 * The README's opening example is executed as written (@alphafeed/testing's
 * runReadmeExample) and prints what its comments claim; the temporary
 * directory it writes is removed afterwards.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as config from '@alphafeed/config';
import * as data from '@alphafeed/data';
import * as features from '@alphafeed/features';
import * as labels from '@alphafeed/labels';
import { runReadmeExampleAsync } from '@alphafeed/testing';
import * as pit from './index';

const ROOT = path.join(__dirname, '../../..');

it('runs the README example and prints the commented values', async () => {
  const made: string[] = [];
  try {
    const { printed, claimed } = await runReadmeExampleAsync(path.join(__dirname, '..', 'README.md'), {
      '@alphafeed/config': { ...config, loadConfig: (p: string) => config.loadConfig(path.join(ROOT, p)) },
      '@alphafeed/data': data,
      '@alphafeed/features': features,
      '@alphafeed/labels': labels,
      '@alphafeed/pit-alphas': pit,
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
    expect(printed).toEqual(claimed);
  } finally {
    made.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  }
});
