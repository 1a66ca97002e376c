/**
 * SLOW (full 400-tree run; about 2 min on one core): golden case c, cpcv variant.
 * The default training run must reproduce the independent implementation's
 * splits, OOF predictions, scores, coefficients, variances, weights,
 * predictions and clip counts (see testing/golden-c.agreement.ts).
 */
import { trainModel2 } from './train-model2';
import { describeGoldenVariant } from './testing/golden-c.agreement';
import { goldenConfig, goldenFrames } from './testing/golden-c.fixture';

describe('golden case c, cpcv, full default run [slow]', () => {
  describeGoldenVariant('cpcv', () => {
    const g = goldenFrames();
    return trainModel2(
      { features: g.features, labels: g.labels, config: goldenConfig({ cv: { method: 'cpcv' } }) },
      { nthread: 1 },
    );
  });
});
