/**
 * The data source spec string used by `data.source` and the CLI's
 * `--source`: `synthetic`, `csv:PATH` (also .csv.gz), `parquet:PATH`,
 * `qlib:DIR`. Parsed here once so every caller splits it the same way
 * (a path may itself contain `:`).
 */
export type SourceSpec =
  { readonly kind: 'synthetic' } | { readonly kind: 'csv' | 'parquet' | 'qlib'; readonly path: string };

/** The parsed spec, or null when the text is not a valid spec. */
export function parseSourceSpec(text: string): SourceSpec | null {
  if (text === 'synthetic') return { kind: 'synthetic' };
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  const kind = text.slice(0, colon);
  const path = text.slice(colon + 1);
  if (path === '' || (kind !== 'csv' && kind !== 'parquet' && kind !== 'qlib')) return null;
  return { kind, path };
}
