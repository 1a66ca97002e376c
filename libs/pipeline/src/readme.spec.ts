/**
 * The README's opening example is executed as written (@alphafeed/testing's
 * runReadmeExample) and prints what its comments claim (it publishes asynchronously, so the
 * spec waits for every line).
 */
import { join } from 'node:path';
import * as bus from '@alphafeed/bus';
import * as codec from '@alphafeed/codec';
import * as core from '@alphafeed/core';
import { runReadmeExample } from '@alphafeed/testing';
import * as pipeline from './index';

it('runs the README example and prints the commented values', async () => {
  const { printed, claimed } = runReadmeExample(join(__dirname, '..', 'README.md'), {
    '@alphafeed/bus': bus,
    '@alphafeed/codec': codec,
    '@alphafeed/core': core,
    '@alphafeed/pipeline': pipeline,
  });
  const deadline = Date.now() + 5000;
  while (printed.length < claimed.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  expect(printed).toEqual(claimed);
});
