import { CarryForward, carriedRowOffsets } from './carry-forward';
import { FeatureEngine } from './feature.engine';
import { RAW_COLUMN_NAMES } from './feature-names';

/** Bars per date: instrument 0 delists after date 24, instrument 1 is suspended on dates 25-31. */
function barsOn(d: number): number[] {
  const out: number[] = [];
  if (d <= 24) out.push(0);
  if (d <= 24 || d >= 32) out.push(1);
  out.push(2, 3, 4, 5, 6);
  return out;
}

describe('carry-forward: the whole raw row, for at most 5 calendar positions (ffill limit 5)', () => {
  it('carries a delisted and a suspended instrument for 5 dates, then drops them; a resumed instrument is real again', () => {
    const carry = new CarryForward(5);
    const seen: string[] = [];
    for (let d = 20; d <= 33; d++) {
      const instruments = Int32Array.from(barsOn(d));
      const rows = carry.step(d, instruments, instruments.length);
      const carried = [...rows.instrument].filter((_, r) => rows.carried[r] === 1);
      seen.push(`${d}:${[...rows.instrument].slice(0, 2).join(',')}|carried ${carried.join(',')}`);
    }
    expect(seen).toEqual([
      '20:0,1|carried ',
      '21:0,1|carried ',
      '22:0,1|carried ',
      '23:0,1|carried ',
      '24:0,1|carried ',
      '25:0,1|carried 0,1',
      '26:0,1|carried 0,1',
      '27:0,1|carried 0,1',
      '28:0,1|carried 0,1',
      '29:0,1|carried 0,1',
      '30:2,3|carried ',
      '31:2,3|carried ',
      '32:1,2|carried ',
      '33:1,2|carried ',
    ]);
  });

  it('rejects a skipped calendar position and a negative limit', () => {
    const carry = new CarryForward(5);
    carry.step(0, Int32Array.of(0), 1);
    expect(() => carry.step(2, Int32Array.of(0), 1)).toThrow(/consecutive calendar positions: got 2 after 0/);
    expect(() => new CarryForward(-1)).toThrow(RangeError);
  });

  it('the engine emits the carried rows with the last bar raw row and industry; the batch row count agrees', () => {
    const engine = new FeatureEngine({ features: ['rev_1m'], hasSharesOut: true });
    const raw = new Float64Array(RAW_COLUMN_NAMES.length);
    let sizeAtLastBar = NaN;
    for (let d = 0; d <= 31; d++) {
      const instruments = barsOn(d);
      const rows = engine.closeDate(d, {
        length: instruments.length,
        instrument: Int32Array.from(instruments),
        // Instrument 0 moves to industry 3 on its last bar.
        industry: Int32Array.from(instruments, (i) => (i === 0 && d === 24 ? 3 : i % 2)),
        close: Float64Array.from(instruments, (i) => 10 + i + d / 10),
        volume: new Float64Array(instruments.length).fill(100),
        sharesOut: new Float64Array(instruments.length).fill(1e6),
      });
      if (d === 24) {
        engine.copyRawRow(0, raw);
        sizeAtLastBar = raw[RAW_COLUMN_NAMES.indexOf('size')];
      }
      const r0 = [...rows.instrument].indexOf(0);
      if (d >= 25 && d <= 29) {
        expect(rows.carried[r0]).toBe(1);
        expect(rows.size[r0]).toBe(sizeAtLastBar);
        expect(rows.industry[r0]).toBe(3);
      }
      if (d >= 30) expect(r0).toBe(-1);
    }
    const date = Int32Array.from(Array.from({ length: 32 }, (_, d) => barsOn(d).map(() => d)).flat());
    const instrument = Int32Array.from(Array.from({ length: 32 }, (_, d) => barsOn(d)).flat());
    const offsets = carriedRowOffsets(date, instrument, 32, 7, 5);
    // Date 27: five real rows plus instruments 0 and 1 carried.
    expect(offsets[28] - offsets[27]).toBe(7);
    expect(offsets[31] - offsets[30]).toBe(5);
  });
});
