/**
 * Every bad input fails loudly, with its own error class, a stable code and a
 * message that names the offending value.
 */
import { cpcvSplits } from './cpcv.splitter';
import { assertEmbargo } from './embargo.check';
import {
  CvError,
  CvInputError,
  EmbargoTooSmallError,
  FoldTooSmallError,
  HorizonTooLongError,
  TooManySplitsError,
} from './errors';
import { walkForwardSplits } from './walk-forward.splitter';

const contiguous = (n: number, perDate = 1): Int32Array =>
  Int32Array.from({ length: n * perDate }, (_, i) => Math.floor(i / perDate));

function thrown(fn: () => unknown): CvError {
  try {
    fn();
  } catch (e) {
    return e as CvError;
  }
  throw new Error('expected an error');
}

describe('embargo below 63 trading days', () => {
  it.each([0, 21, 62])('walk-forward rejects embargoDays = %i', (embargoDays) => {
    const e = thrown(() => walkForwardSplits(contiguous(1200), { horizon: 21, embargoDays }));
    expect(e).toBeInstanceOf(EmbargoTooSmallError);
    expect(e.code).toBe('CV_EMBARGO_TOO_SMALL');
    expect(e.message).toContain(`embargo_days = ${embargoDays}`);
    expect(e.retriable).toBe(false);
  });

  it('cpcv and the checker reject it too; 63 itself is accepted', () => {
    expect(() => cpcvSplits(contiguous(1200), { horizon: 21, embargoDays: 62 })).toThrow(
      EmbargoTooSmallError,
    );
    const split = { trainRows: new Int32Array([0]), testRows: new Int32Array([100]) };
    expect(() => assertEmbargo(split, contiguous(200), { horizon: 21, embargoDays: 10 })).toThrow(
      EmbargoTooSmallError,
    );
    expect(() => walkForwardSplits(contiguous(1200), { horizon: 21, embargoDays: 63 })).not.toThrow();
  });

  it('a non-integer embargo is an input error', () => {
    expect(() => walkForwardSplits(contiguous(1200), { horizon: 21, embargoDays: 63.5 })).toThrow(
      CvInputError,
    );
  });
});

describe('fold with fewer than minFoldSamples samples', () => {
  it('walk-forward: the first fold has too few train samples after the embargo', () => {
    // 600 dates x 1 row: test blocks of 100, train of fold 0 = 100 - 63 = 37 dates.
    const e = thrown(() => walkForwardSplits(contiguous(600), { horizon: 21 }));
    expect(e).toBeInstanceOf(FoldTooSmallError);
    expect(e.code).toBe('CV_FOLD_TOO_SMALL');
    expect(e.message).toMatch(/fold 0 has 37 train samples/);
    expect(() => walkForwardSplits(contiguous(600), { horizon: 21, minFoldSamples: 37 })).not.toThrow();
  });

  it('test side too small', () => {
    const e = thrown(() => walkForwardSplits(contiguous(1200), { horizon: 21, minFoldSamples: 201 }));
    expect(e).toBeInstanceOf(FoldTooSmallError);
    expect((e as FoldTooSmallError).side).toBe('train');
    // 5 rows a date on dates 0..599, 1 row a date after: fold 2 tests dates 600..799 = 200 rows.
    const dense = Int32Array.from([...contiguous(600, 5), ...Array.from({ length: 600 }, (_, i) => 600 + i)]);
    const t = thrown(() => walkForwardSplits(dense, { horizon: 21, minFoldSamples: 300 }));
    expect((t as FoldTooSmallError).side).toBe('test');
    expect(t.message).toMatch(/fold 2 has 200 test samples/);
  });

  it('cpcv: a split with no train left', () => {
    // 6 groups of 50 dates: testing groups 0 and 2 embargoes all of group 1 and most of the rest.
    const e = thrown(() => cpcvSplits(contiguous(300, 3), { horizon: 21 }));
    expect(e).toBeInstanceOf(FoldTooSmallError);
  });
});

describe('more splits than the data allows', () => {
  it('walk-forward: floor(M / (nSplits + 1)) = 0', () => {
    const e = thrown(() => walkForwardSplits(contiguous(5, 50), { horizon: 1, nSplits: 5 }));
    expect(e).toBeInstanceOf(TooManySplitsError);
    expect(e.code).toBe('CV_TOO_MANY_SPLITS');
    expect(e.message).toContain('got 5');
  });

  it('cpcv: more groups than dates', () => {
    expect(() => cpcvSplits(contiguous(4, 50), { horizon: 1, nGroups: 6 })).toThrow(TooManySplitsError);
  });

  it('bad split counts are input errors', () => {
    expect(() => walkForwardSplits(contiguous(1200), { horizon: 21, nSplits: 1 })).toThrow(CvInputError);
    expect(() => cpcvSplits(contiguous(1200), { horizon: 21, nGroups: 6, nTestGroups: 6 })).toThrow(
      CvInputError,
    );
    expect(() => cpcvSplits(contiguous(1200), { horizon: 21, nGroups: 6, nTestGroups: 0 })).toThrow(
      CvInputError,
    );
    expect(() => cpcvSplits(contiguous(1200), { horizon: 21, nGroups: 1 })).toThrow(CvInputError);
  });
});

describe('horizon longer than the data', () => {
  it('a label window from the first sample date past the last one', () => {
    const e = thrown(() => walkForwardSplits(contiguous(300, 2), { horizon: 300, nSplits: 2 }));
    expect(e).toBeInstanceOf(HorizonTooLongError);
    expect(e.code).toBe('CV_HORIZON_TOO_LONG');
    expect(() => cpcvSplits(contiguous(300, 2), { horizon: 400 })).toThrow(HorizonTooLongError);
  });

  it('a non-positive or fractional horizon is an input error', () => {
    expect(() => walkForwardSplits(contiguous(1200), { horizon: 0 })).toThrow(CvInputError);
    expect(() => walkForwardSplits(contiguous(1200), { horizon: 2.5 })).toThrow(CvInputError);
  });
});

describe('malformed sample dates', () => {
  it('unsorted', () => {
    const d = contiguous(1200);
    d[10] = 3;
    expect(() => walkForwardSplits(d, { horizon: 21 })).toThrow(/must be sorted/);
  });

  it('empty, negative, or outside the calendar', () => {
    expect(() => walkForwardSplits(new Int32Array(0), { horizon: 21 })).toThrow(CvInputError);
    expect(() => walkForwardSplits(Int32Array.from([-1, 0, 1]), { horizon: 21 })).toThrow(CvInputError);
    const calendar = Array.from({ length: 1000 }, (_, i) => String(i));
    expect(() => walkForwardSplits(contiguous(1200), { horizon: 21, calendar })).toThrow(
      /not a position in the calendar/,
    );
  });
});
