import type { TableSpec } from '@alphafeed/store';

/**
 * Target weights decided at the close of a rebalance date, one row per
 * (region, date, instrument): upserts, so a replay leaves the same rows and
 * a restatement overwrites them with the higher revision. `status` and
 * `model_id` are tags (SYMBOL in QuestDB); `status_code` repeats the status
 * as a number for range queries (0 optimal, 1 relaxed, 2 kept_current, 3 no_alphas).
 */
export const TARGET_WEIGHTS_TABLE: TableSpec = {
  name: 'target_weights',
  columns: [
    { name: 'weight', kind: 'double' },
    { name: 'previous_weight', kind: 'double' },
    { name: 'ex_ante_vol', kind: 'double' },
    { name: 'status_code', kind: 'long' },
    { name: 'revision', kind: 'long' },
  ],
  tags: ['model_id', 'config_hash', 'status'],
  extraKeys: [],
};

/**
 * The horizon H (SPEC §9: `sum_k omega_k k`) of each model the portfolio
 * service has seen, read from the model's manifest when its ModelTrained
 * event arrives. Kept because the trainer replaces its artifact directory
 * with every training: after a restart the manifest of an older model is
 * gone, its H is here. `date` = the model's label cut-off (its retrain
 * date), `instrument` = the model version.
 */
export const MODEL_HORIZONS_TABLE: TableSpec = {
  name: 'portfolio_model_horizons',
  columns: [{ name: 'horizon_days', kind: 'double' }],
  tags: [],
  extraKeys: [],
};

/** The decision's status as a number (`status_code`): the engine's statuses in order. */
export const STATUS_CODES = { optimal: 0, relaxed: 1, kept_current: 2, no_alphas: 3 } as const;
