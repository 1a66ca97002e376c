/**
 * The README's opening example is executed as written (@alphafeed/testing's
 * runReadmeExample) and prints what its comments claim.
 */
import { join } from 'node:path';
import * as core from '@alphafeed/core';
import { runReadmeExample } from '@alphafeed/testing';
import * as cv from './index';

it('runs the README example and prints the commented values', () => {
  const { printed, claimed } = runReadmeExample(join(__dirname, '..', 'README.md'), {
    '@alphafeed/cv': cv,
    '@alphafeed/core': core,
  });
  expect(printed).toEqual(claimed);
});
