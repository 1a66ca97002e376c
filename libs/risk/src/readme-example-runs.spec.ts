/**
 * The README's opening example is executed as written (@alphafeed/testing's
 * runReadmeExample) and prints what its comments claim.
 */
import { join } from 'node:path';
import { jsonWithArrays, runReadmeExample } from '@alphafeed/testing';
import * as risk from './index';

it('runs the README example and prints the commented values', () => {
  const { printed, claimed } = runReadmeExample(
    join(__dirname, '..', 'README.md'),
    { '@alphafeed/risk': risk },
    jsonWithArrays,
  );
  const lines = printed.map((line) => JSON.parse(line) as unknown[]);
  expect(lines[0]).toEqual([6, 4]);
  expect(lines[1]).toEqual([[0.0454, -0.0204, 0.0283, 0, 0, 0]]);
  expect(lines[2]).toEqual([12, 0.00002813]);
  expect(claimed).toEqual(['6 4', '[0.0454, -0.0204, 0.0283, 0, 0, 0]', '12 0.00002813']);
});
