/**
 * The README's opening example is executed as written (@alphafeed/testing's
 * runReadmeExample) and prints what its comments claim.
 */
import { join } from 'node:path';
import { runReadmeExample } from '@alphafeed/testing';
import * as optimizer from './index';

it('runs the README example and prints the commented values', () => {
  const { printed, claimed } = runReadmeExample(
    join(__dirname, '..', 'README.md'),
    { '@alphafeed/optimizer': optimizer },
    (args) => args.map((a) => (Array.isArray(a) ? `[${a.join(', ')}]` : String(a))).join(' '),
  );
  expect(printed).toEqual(claimed);
  expect(printed[0]).toBe('optimal 0');
  expect(printed).toHaveLength(4);
});
