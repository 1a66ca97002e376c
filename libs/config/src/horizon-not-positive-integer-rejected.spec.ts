import { parseConfig } from './load-config';
import { configErrorOf } from './test-helpers';

const RULE = 'a horizon must be a positive integer number of trading days';

describe('label horizons are positive integers, unique and ascending', () => {
  it.each([
    ['[21, 1.5]', 'labels.horizons[1] = 1.5'],
    ['[0, 21]', 'labels.horizons[0] = 0'],
    ['[-21]', 'labels.horizons[0] = -21'],
    ['["21"]', 'labels.horizons[0] = "21"'],
    ['[21, .nan]', 'labels.horizons[1] = NaN'],
  ])('%s is rejected', (horizons, what) => {
    const err = configErrorOf(() =>
      parseConfig(`region: us\nlabels:\n  horizons: ${horizons}\n`, 'config/us.yaml'),
    );
    expect(err.message).toBe(`config/us.yaml: ${what} is not allowed: ${RULE}`);
  });

  it('a horizon listed twice is rejected', () => {
    expect(
      configErrorOf(() => parseConfig({ region: 'us', labels: { horizons: [21, 21] } }, 'x')).message,
    ).toBe('x: labels.horizons[1] = 21 is not allowed: horizons must be unique; 21 appears twice');
  });

  it('an unsorted list is rejected with the sorted one to write', () => {
    expect(
      configErrorOf(() => parseConfig({ region: 'us', labels: { horizons: [63, 5, 21] } }, 'x')).message,
    ).toBe(
      'x: labels.horizons = [63,5,21] is not allowed: horizons must be sorted ascending: write [5, 21, 63]',
    );
  });

  it('a scalar instead of a list is rejected', () => {
    expect(configErrorOf(() => parseConfig({ region: 'us', labels: { horizons: 21 } }, 'x')).message).toBe(
      'x: labels.horizons = 21 is not allowed: must be a list of horizons, e.g. [21, 63]',
    );
  });

  it('other positive integers are accepted', () => {
    expect(parseConfig({ region: 'us', labels: { horizons: [5, 21, 126] } }, 'x').labels.horizons).toEqual([
      5, 21, 126,
    ]);
  });
});
