import fc from 'fast-check';
import { parseNumberBytes } from './byte.parse';

const parse = (text: string): number | undefined => {
  const buf = Buffer.from(`#${text}#`, 'latin1'); // offsets inside a larger buffer, as in the CSV parser
  return parseNumberBytes(buf, 1, buf.length - 1);
};

describe('byte number parser', () => {
  it('reads every shortest round-trip double back bit for bit (the 16–17 digit path)', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
        (x) => {
          expect(Object.is(parse(String(x)), x)).toBe(true);
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('reads prices and volumes (1e-4 .. 1e12) printed in full precision back bit for bit', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-4, max: 1e12, noNaN: true }), (x) => {
        expect(Object.is(parse(String(x)), x)).toBe(true);
        expect(Object.is(parse(x.toPrecision(17)), Number(x.toPrecision(17)))).toBe(true);
        expect(Object.is(parse(x.toPrecision(19)), Number(x.toPrecision(19)))).toBe(true);
      }),
      { numRuns: 30_000 },
    );
  });

  it('equals Number() on decimal strings of 1–19 significant digits with any point position and sign', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[1-9][0-9]{0,18}$/),
        fc.nat(25),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        (digits, pointFromRight, negative, leadingZeros) => {
          const k = Math.min(pointFromRight, 22);
          const padded = digits.padStart(k + 1, '0');
          const text = `${negative ? '-' : ''}${'0'.repeat(leadingZeros)}${padded.slice(0, padded.length - k)}.${padded.slice(padded.length - k)}`;
          expect({ text, v: parse(text) }).toEqual({ text, v: Number(text) });
        },
      ),
      { numRuns: 50_000 },
    );
  });

  it('settles near-ties correctly (halfway cases fall back to Number)', () => {
    // 2^53 + 1 is exactly halfway between two doubles; scaled into 17-digit decimals.
    for (const text of [
      '9007199254740993',
      '900719925474099.3',
      '9007199254740993.0',
      '0.9007199254740993',
      '1.0000000000000001',
      '1.00000000000000011102230246251565',
    ]) {
      expect({ text, v: parse(text) }).toEqual({ text, v: Number(text) });
    }
  });

  it('returns NaN for empty and NaN cells and undefined for text that is not a number', () => {
    expect(parse('')).toBeNaN();
    expect(parse('  ')).toBeNaN();
    expect(parse('nan')).toBeNaN();
    expect(parse('-inf')).toBe(-Infinity);
    for (const bad of ['1x', '1e', '--1', '0x10', '1,5', '.', 'e5'])
      expect({ bad, v: parse(bad) }).toEqual({ bad, v: undefined });
  });
});
