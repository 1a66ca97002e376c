import { InputError } from '@alphafeed/core';
import { FEATURE_NAMES, modelFeatureNames } from './feature-names';
import { FeatureEngine } from './feature.engine';
import { resolveFeatureOptions } from './feature.options';

describe('feature options are validated once, with messages that name the value and the fix', () => {
  it('defaults to the SPEC model order, turnover_20 only with shares_out', () => {
    expect(resolveFeatureOptions({ hasSharesOut: true }).features).toEqual([...FEATURE_NAMES]);
    expect(resolveFeatureOptions().features).toEqual(FEATURE_NAMES.filter((n) => n !== 'turnover_20'));
    expect(modelFeatureNames(false)).not.toContain('turnover_20');
    const defaults = resolveFeatureOptions();
    expect([defaults.minIndustrySize, defaults.ffillLimit, defaults.winsorize]).toEqual([
      5,
      5,
      { lower: 0.01, upper: 0.99 },
    ]);
  });

  it.each([
    [{ features: ['mom_12_2'] }, InputError, /unknown feature "mom_12_2"; valid names are mom_12_1/],
    [{ features: ['rev_1m', 'rev_1m'] }, InputError, /"rev_1m" is listed twice/],
    [{ features: [] }, InputError, /features is empty/],
    [{ features: ['turnover_20'] }, InputError, /turnover_20" needs a shares_out column/],
    [{ minIndustrySize: 0 }, RangeError, /minIndustrySize must be an integer >= 1, got 0/],
    [{ ffillLimit: 2.5 }, RangeError, /ffillLimit must be a non-negative integer .* got 2.5/],
    [{ winsorize: { lower: 0.99, upper: 0.01 } }, RangeError, /lower=0.99, upper=0.01/],
    [{ winsorize: { lower: 1, upper: 99 } }, RangeError, /fractions/],
  ])('rejects %j', (options, type, message) => {
    expect(() => resolveFeatureOptions(options as never)).toThrow(type);
    expect(() => resolveFeatureOptions(options as never)).toThrow(message);
  });

  it('rejects bad bars at the boundary: duplicates, non-positive closes, a missing declared column, skipped dates', () => {
    const bar = (close: number, instrument = [0]) => ({
      length: instrument.length,
      instrument: Int32Array.from(instrument),
      industry: new Int32Array(instrument.length),
      close: new Float64Array(instrument.length).fill(close),
      volume: new Float64Array(instrument.length).fill(1),
    });
    expect(() => new FeatureEngine().closeDate(0, bar(10, [3, 3]))).toThrow(
      /instrument 3 has two bars on date 0/,
    );
    expect(() => new FeatureEngine().closeDate(0, bar(0))).toThrow(
      /close 0 of instrument 0 on date 0 is not a positive finite price/,
    );
    expect(() => new FeatureEngine({ hasAmount: true }).closeDate(0, bar(10))).toThrow(
      /bars.amount is missing/,
    );
    const engine = new FeatureEngine();
    // A rejected date leaves no trace: the corrected bars are accepted.
    expect(() => engine.closeDate(4, bar(10, [1, 1]))).toThrow(InputError);
    engine.closeDate(4, bar(10, [1]));
    expect(() => engine.closeDate(6, bar(10))).toThrow(/got 6 after 4/);
  });
});
