/** The README's opening example runs as written and prints what its comments claim. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import * as path from 'node:path';
import { runReadmeExample } from '@alphafeed/testing';
import * as cli from './index';

it('runs the README example and prints the commented values', async () => {
  const { printed, claimed } = runReadmeExample(join(__dirname, '..', 'README.md'), {
    '@alphafeed/service-cli': cli,
    'node:fs': fs,
    'node:os': os,
    'node:path': path,
  });
  const deadline = Date.now() + 60_000;
  while (printed.length < claimed.length && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  expect(printed).toEqual(claimed);
});
