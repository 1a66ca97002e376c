/**
 * The columnar alpha table a backtest reads, whichever its source: the
 * point-in-time alphas of SPEC §9 or an external table a user brings. Rows
 * sorted by (date, instrument), dates and instruments coded on the bar
 * panel's own calendar and instrument list, so a backtest joins them to the
 * bars by integer codes.
 *
 * External tables carry only `alpha_combined` and `horizon_days`: their
 * `horizons`, `alphas` and `variances` are empty, `model` names the source.
 */
export interface AlphaTable {
  /** `point-in-time`, or the external source spec (`csv:PATH`, `parquet:PATH`). */
  readonly source: string;
  readonly calendar: readonly string[];
  readonly instruments: readonly string[];
  readonly length: number;
  /** Calendar position of each row. */
  readonly date: Int32Array;
  readonly instrument: Int32Array;
  /** Label horizons of the per-horizon columns (e.g. [21, 63]); [] for an external table. */
  readonly horizons: readonly number[];
  /** `alpha_{k}d` in bps, aligned with `horizons`. */
  readonly alphas: readonly Float64Array[];
  /** `var_{k}d` in bps², the scoring model's (constant within a model), aligned with `horizons`. */
  readonly variances: readonly Float64Array[];
  /** `alpha_combined` in bps (external: the table's `alpha`). */
  readonly alphaCombined: Float64Array;
  /** `H = sum_k w_k k` of the scoring model (external: the table's column or the default). */
  readonly horizonDays: Float64Array;
  /** Index into `modelIds` of the model that scored the row. */
  readonly model: Int32Array;
  readonly modelIds: readonly string[];
}

/** Per-row columns of a run of rows scored by one model. */
export interface AlphaSegment {
  readonly date: Int32Array;
  readonly instrument: Int32Array;
  readonly alphas: readonly Float64Array[];
  readonly alphaCombined: Float64Array;
  readonly variance: readonly number[];
  readonly horizonDays: number;
  readonly modelId: string;
}

/** Concatenates per-model segments (already in date order) into one table. O(rows). */
export function concatSegments(
  source: string,
  calendar: readonly string[],
  instruments: readonly string[],
  horizons: readonly number[],
  segments: readonly AlphaSegment[],
): AlphaTable {
  let n = 0;
  for (const s of segments) n += s.date.length;
  const date = new Int32Array(n);
  const instrument = new Int32Array(n);
  const alphas = horizons.map(() => new Float64Array(n));
  const variances = horizons.map(() => new Float64Array(n));
  const alphaCombined = new Float64Array(n);
  const horizonDays = new Float64Array(n);
  const model = new Int32Array(n);
  let at = 0;
  segments.forEach((s, m) => {
    const len = s.date.length;
    date.set(s.date, at);
    instrument.set(s.instrument, at);
    horizons.forEach((_, h) => {
      alphas[h].set(s.alphas[h], at);
      variances[h].fill(s.variance[h], at, at + len);
    });
    alphaCombined.set(s.alphaCombined, at);
    horizonDays.fill(s.horizonDays, at, at + len);
    model.fill(m, at, at + len);
    at += len;
  });
  return {
    source,
    calendar,
    instruments,
    length: n,
    date,
    instrument,
    horizons,
    alphas,
    variances,
    alphaCombined,
    horizonDays,
    model,
    modelIds: segments.map((s) => s.modelId),
  };
}

/** `alpha_21d`. */
export function alphaColumn(k: number): string {
  return `alpha_${k}d`;
}

/** `var_21d`. */
export function varianceColumn(k: number): string {
  return `var_${k}d`;
}
