/**
 * `alphas_pit.parquet` (and each cached segment) on disk:
 * `date, instrument, alpha_{k}d..., alpha_combined, var_{k}d..., horizon_days, model_id`
 * in (date, instrument) order; dates as Parquet DATE, instruments and model
 * ids dictionary-coded (schemas/PitAlphas.schema.json). Written through
 * `@alphafeed/data`'s writer (a temporary file renamed over the target, so a
 * reader never sees half a file). Cost: O(rows) encoding.
 */
import { formatIsoDay, parseIsoDay } from '@alphafeed/core';
import { readParquet, writeParquet, type ParquetColumn, type ParquetTableInput } from '@alphafeed/data';
import { alphaColumn, varianceColumn, type AlphaTable } from './alpha-table';
import { PitArtifactError } from './errors';
import { dayPositions, recode, type PanelKeys } from './table-keys';

export function alphaTableParquet(t: AlphaTable): ParquetTableInput {
  const days = Int32Array.from(t.calendar, (d) => parseIsoDay(d));
  const date = new Int32Array(t.length);
  for (let r = 0; r < t.length; r++) date[r] = days[t.date[r]];
  return {
    length: t.length,
    columns: [
      { name: 'date', type: 'date', values: date },
      { name: 'instrument', type: 'string', codes: t.instrument, dictionary: t.instruments },
      ...t.horizons.map((k, h) => ({ name: alphaColumn(k), type: 'double' as const, values: t.alphas[h] })),
      { name: 'alpha_combined', type: 'double', values: t.alphaCombined },
      ...t.horizons.map((k, h) => ({
        name: varianceColumn(k),
        type: 'double' as const,
        values: t.variances[h],
      })),
      { name: 'horizon_days', type: 'double', values: t.horizonDays },
      { name: 'model_id', type: 'string', codes: t.model, dictionary: t.modelIds },
    ],
  };
}

export async function writeAlphaTable(path: string, t: AlphaTable): Promise<void> {
  await writeParquet(path, alphaTableParquet(t));
}

/**
 * Reads a table written by `writeAlphaTable` back, coded on `keys`. Anything
 * that does not fit (a missing column, a date or instrument the panel does
 * not have) is a `PitArtifactError`: such a file was not written for these
 * bars. O(rows).
 */
export async function readAlphaTable(
  path: string,
  keys: PanelKeys,
  source = 'point-in-time',
): Promise<AlphaTable> {
  const file = await readParquet(path);
  const byName = new Map(file.columns.map((c) => [c.name, c]));
  const need = (name: string, type: ParquetColumn['type']): ParquetColumn => {
    const c = byName.get(name);
    if (c === undefined || c.type !== type)
      throw new PitArtifactError(
        `${path}: no ${type} column ${name}; it is not an alpha table written by this version.`,
      );
    return c;
  };
  const horizons = file.columns
    .map((c) => /^alpha_(\d+)d$/.exec(c.name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
  const values = (name: string): Float64Array => (need(name, 'double') as { values: Float64Array }).values;
  const dateCol = need('date', 'date') as { values: Int32Array };
  const instCol = need('instrument', 'string') as { codes: Int32Array; dictionary: readonly string[] };
  const modelCol = need('model_id', 'string') as { codes: Int32Array; dictionary: readonly string[] };
  const date = dayPositions(dateCol.values, keys.calendar);
  const instrument = recode(instCol.codes, instCol.dictionary, keys.instruments);
  const badDate = date.indexOf(-1);
  const badInst = instrument.indexOf(-1);
  if (badDate >= 0 || badInst >= 0) {
    throw new PitArtifactError(
      badDate >= 0
        ? `${path}: row ${badDate} is dated ${formatIsoDay(dateCol.values[badDate])}, not a date of the bars' calendar`
        : `${path}: row ${badInst} names instrument ${instCol.dictionary[instCol.codes[badInst]]}, not in the bars`,
    );
  }
  return {
    source,
    calendar: keys.calendar,
    instruments: keys.instruments,
    length: file.length,
    date,
    instrument,
    horizons,
    alphas: horizons.map((k) => values(alphaColumn(k))),
    variances: horizons.map((k) => values(varianceColumn(k))),
    alphaCombined: values('alpha_combined'),
    horizonDays: values('horizon_days'),
    model: modelCol.codes,
    modelIds: modelCol.dictionary,
  };
}
