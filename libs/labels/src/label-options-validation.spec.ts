import { InputError } from '@alphafeed/core';
import { LabelEngine } from './label.engine';
import { resolveLabelOptions } from './label.options';

describe('label options and bars are validated at the boundary', () => {
  it('defaults to horizons [21, 63] and the features carry-forward limit 5', () => {
    expect(resolveLabelOptions()).toEqual({ horizons: [21, 63], ffillLimit: 5, membership: null });
  });

  it.each([
    [{ horizons: [] }, /horizons is empty/],
    [{ horizons: [0] }, /horizon 0 is not a positive integer/],
    [{ horizons: [21, 21] }, /horizon 21 is listed twice/],
    [{ horizons: [2.5] }, /horizon 2.5/],
    [{ ffillLimit: -1 }, /ffillLimit must be a non-negative integer/],
  ])('rejects %j', (options, message) => {
    expect(() => new LabelEngine(options)).toThrow(RangeError);
    expect(() => new LabelEngine(options)).toThrow(message);
  });

  it('rejects duplicate bars, bad closes and skipped dates, leaving no trace of a rejected date', () => {
    const bars = (instruments: number[], close = 10) => ({
      length: instruments.length,
      instrument: Int32Array.from(instruments),
      industry: new Int32Array(instruments.length),
      close: new Float64Array(instruments.length).fill(close),
    });
    const engine = new LabelEngine();
    expect(() => engine.closeDate(0, bars([2, 2]))).toThrow(InputError);
    expect(() => engine.closeDate(0, bars([2, 2]))).toThrow(/instrument 2 has two bars on date 0/);
    expect(() => engine.closeDate(0, bars([1], NaN))).toThrow(/close NaN of instrument 1 on date 0/);
    expect(engine.closeDate(0, bars([2])).rows.length).toBe(1);
    expect(() => engine.closeDate(2, bars([2]))).toThrow(/got 2 after 0/);
  });
});
