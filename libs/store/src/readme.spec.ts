/** The README's opening example runs as written and prints what its comments claim. */
import { join } from 'node:path';
import { runReadmeExample } from '@alphafeed/testing';
import * as store from './index';

it('runs the README example and prints the commented values', async () => {
  const { printed, claimed } = runReadmeExample(join(__dirname, '..', 'README.md'), {
    '@alphafeed/store': store,
  });
  const deadline = Date.now() + 5000;
  while (printed.length < claimed.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  expect(printed).toEqual(claimed);
});
