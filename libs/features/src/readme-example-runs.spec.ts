/**
 * The README's opening example is executed as written (@alphafeed/testing's
 * runReadmeExample) and prints what its comments claim.
 */
import { join } from 'node:path';
import * as core from '@alphafeed/core';
import { jsonWithArrays, runReadmeExample } from '@alphafeed/testing';
import * as features from './index';

it('runs the README example and prints the commented values', () => {
  const { printed } = runReadmeExample(
    join(__dirname, '..', 'README.md'),
    { '@alphafeed/core': core, '@alphafeed/features': features },
    jsonWithArrays,
  );
  const lines = printed.map((line) => JSON.parse(line) as unknown[]);
  // 12 model names without turnover_20, no row after the NaN drop; the streaming engine agrees.
  expect(lines).toEqual([[features.modelFeatureNames(false), 0], [0]]);
  expect((lines[0][0] as string[]).length).toBe(12);
});
