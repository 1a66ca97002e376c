/** The README's opening example runs as written and prints what its comments claim. */
import { join } from 'node:path';
import * as bus from '@alphafeed/bus';
import * as codec from '@alphafeed/codec';
import * as config from '@alphafeed/config';
import * as core from '@alphafeed/core';
import * as ops from '@alphafeed/ops';
import * as pipeline from '@alphafeed/pipeline';
import * as store from '@alphafeed/store';
import { runReadmeExample } from '@alphafeed/testing';
import * as streaming from './index';

it('runs the README example and prints the commented values', async () => {
  const { printed, claimed } = runReadmeExample(join(__dirname, '..', 'README.md'), {
    '@alphafeed/bus': bus,
    '@alphafeed/codec': codec,
    '@alphafeed/config': config,
    '@alphafeed/core': core,
    '@alphafeed/ops': ops,
    '@alphafeed/pipeline': pipeline,
    '@alphafeed/store': store,
    '@alphafeed/streaming': streaming,
  });
  const deadline = Date.now() + 10_000;
  while (printed.length < claimed.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  expect(printed).toEqual(claimed);
});
