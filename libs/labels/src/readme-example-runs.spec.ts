/**
 * The README's opening example is executed as written (@alphafeed/testing's
 * runReadmeExample) and prints what its comments claim.
 */
import { join } from 'node:path';
import * as core from '@alphafeed/core';
import { jsonWithArrays, runReadmeExample } from '@alphafeed/testing';
import * as labels from './index';

it('runs the README example and prints the commented values', () => {
  const { printed } = runReadmeExample(
    join(__dirname, '..', 'README.md'),
    { '@alphafeed/core': core, '@alphafeed/labels': labels },
    jsonWithArrays,
  );
  const [labelLine, stepLine] = printed.map((line) => JSON.parse(line) as unknown[]);
  const values = labelLine[0] as (number | null)[];
  // AAA at t = 0: (0.1 - 0.05) + (0 - 0.05) = 0; the last two dates have no t + 2 (NaN, printed as null).
  expect(values[0]).toBeCloseTo(0, 15);
  expect(values.slice(4)).toEqual([null, null, null, null]);
  expect(stepLine).toEqual([2, 0]);
});
