/**
 * The README's opening example is executed as written (@alphafeed/testing's
 * runReadmeExample) and prints what its comments claim.
 */
import * as path from 'node:path';
import * as backtest from '@alphafeed/backtest';
import * as config from '@alphafeed/config';
import * as core from '@alphafeed/core';
import { runReadmeExample } from '@alphafeed/testing';
import * as portfolio from './index';

it('runs the README example and prints the commented values', () => {
  const { printed, claimed } = runReadmeExample(path.join(__dirname, '..', 'README.md'), {
    '@alphafeed/backtest': backtest,
    '@alphafeed/config': config,
    '@alphafeed/core': core,
    '@alphafeed/portfolio': portfolio,
  });
  expect(printed).toEqual(claimed);
});
