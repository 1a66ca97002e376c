/**
 * The README's opening example is executed as written (@alphafeed/testing's
 * runReadmeExample) and prints what its comments claim.
 */
import * as path from 'node:path';
import * as config from '@alphafeed/config';
import * as data from '@alphafeed/data';
import { runReadmeExample } from '@alphafeed/testing';
import * as backtest from './index';

it('runs the README example and prints the commented values', () => {
  const { printed, claimed } = runReadmeExample(path.join(__dirname, '..', 'README.md'), {
    '@alphafeed/config': config,
    '@alphafeed/data': data,
    '@alphafeed/backtest': backtest,
  });
  expect(printed).toEqual(claimed);
});
