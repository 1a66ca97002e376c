import { createHash } from 'node:crypto';

import type { RegionConfig } from './region-config.schema';

/**
 * Keys left out of `configHash`, with the reason: none of them can change a
 * feature, label, prediction or alpha of a run that completes. The hash
 * identifies *what was computed*, so two deployments of one method (other
 * brokers, other folders, other thread counts) share it, and a change to any
 * number-setting key changes it.
 */
export const HASH_EXCLUDED_KEYS: Readonly<Record<string, string>> = {
  calendar: 'exchange clock for the scheduler only; dates come from the bars',
  'training.schedule':
    'when retraining runs, not what it computes (the label cut-off is recorded in the manifest)',
  output: 'where artifacts are written',
  streaming:
    'transport addresses, topic names, partitions and the EOD timeout; SPEC §8 makes streaming results equal batch results whatever the transport',
  log_level: 'logging only',
  'data.max_reject_ratio':
    'decides whether a run stops; a run that completes drops the same rejected rows whatever the ratio',
  'models.xgboost.nthread': 'SPEC §6: results must not depend on the thread count (beyond 1e-6)',
  'features.workers': 'batch raw features on worker threads are bit-identical to one thread',
};

/**
 * Keys left out only when another key makes them unused, so that two configs
 * computing the same numbers share a hash. Each entry says when it is unused.
 */
export const HASH_UNUSED_KEYS: readonly {
  readonly key: string;
  readonly unusedWhen: (config: RegionConfig) => boolean;
  readonly reason: string;
}[] = [
  {
    key: 'data.synthetic',
    unusedWhen: (c) => c.data.source !== 'synthetic',
    reason: 'generator options, unused when data.source is a file',
  },
  {
    key: 'cv.n_splits',
    unusedWhen: (c) => c.cv.method !== 'walk_forward',
    reason: 'walk-forward only',
  },
  {
    key: 'cv.n_groups',
    unusedWhen: (c) => c.cv.method !== 'cpcv',
    reason: 'cpcv only',
  },
  {
    key: 'cv.n_test_groups',
    unusedWhen: (c) => c.cv.method !== 'cpcv',
    reason: 'cpcv only',
  },
  {
    key: 'models.ridge',
    unusedWhen: (c) => !c.models.names.includes('ridge'),
    reason: 'unused when ridge is not among models.names',
  },
  {
    key: 'models.xgboost',
    unusedWhen: (c) => !c.models.names.includes('xgboost'),
    reason: 'unused when xgboost is not among models.names',
  },
  {
    key: 'training.debug',
    unusedWhen: (c) => !c.debug,
    reason: 'subset sizes, used only by a debug run (debug: true, which --debug sets)',
  },
  {
    key: 'portfolio.gross',
    unusedWhen: (c) => c.portfolio.mode !== 'long_short',
    reason: 'long_short only (long_only sums to 1 with w >= 0)',
  },
  {
    key: 'portfolio.max_weight',
    unusedWhen: (c) => c.portfolio.mode !== 'long_short',
    reason: 'long_short only (long_only bounds w_i by b_i + portfolio.active_max)',
  },
  {
    key: 'portfolio.active_max',
    unusedWhen: (c) => c.portfolio.mode !== 'long_only',
    reason: 'long_only only',
  },
];

/**
 * sha256 (hex) of the canonical form of a validated config: defaults already
 * filled and dates already `YYYY-MM-DD` (the parser did both), excluded and
 * unused keys removed, object keys sorted recursively, numbers in JSON's shortest
 * round-trip form (3 and 3.0 are the same number; -0 is written 0). Lists keep
 * their order: feature order and horizons are meaningful.
 * Cost: one walk and one hash of a few KB.
 */
export function configHash(config: RegionConfig): string {
  return createHash('sha256').update(canonicalConfigJson(config)).digest('hex');
}

/** The exact text `configHash` hashes; useful to diff two configs' hashes. */
export function canonicalConfigJson(config: RegionConfig): string {
  const pruned = structuredClone(config) as Record<string, unknown>;
  for (const path of Object.keys(HASH_EXCLUDED_KEYS)) deletePath(pruned, path.split('.'));
  for (const { key, unusedWhen } of HASH_UNUSED_KEYS)
    if (unusedWhen(config)) deletePath(pruned, key.split('.'));
  return canonicalJson(pruned);
}

function deletePath(root: Record<string, unknown>, keys: string[]): void {
  let node: unknown = root;
  for (let i = 0; i < keys.length - 1; i++) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Record<string, unknown>)[keys[i]];
  }
  if (node !== null && typeof node === 'object')
    delete (node as Record<string, unknown>)[keys[keys.length - 1]];
}

function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new TypeError(`configHash: non-finite number ${value} in a validated config`);
    return JSON.stringify(value === 0 ? 0 : value);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  throw new TypeError(`configHash: unexpected ${typeof value} in a validated config`);
}
