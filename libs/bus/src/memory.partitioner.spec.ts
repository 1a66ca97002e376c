import { keyPartition, murmur2 } from './memory.partitioner';

describe('murmur2 (Kafka default partitioner)', () => {
  // Kafka's own UtilsTest.testMurmur2 vectors.
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('hashes %s as Kafka does', (key, expected) => {
    expect(murmur2(Buffer.from(key))).toBe(expected);
  });

  it('maps keys to a partition in range, deterministically', () => {
    for (const key of ['a', 'AAPL', '600519.SH', '']) {
      const p = keyPartition(Buffer.from(key), 7);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(7);
      expect(keyPartition(Buffer.from(key), 7)).toBe(p);
    }
    expect(keyPartition(Buffer.from('21'), 1000)).toBe((-973932308 & 0x7fffffff) % 1000);
  });
});
