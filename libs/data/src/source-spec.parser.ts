import { InputError } from '@alphafeed/core';

/** Where bars come from, as parsed from `--source` text. */
export type SourceSpec =
  | { readonly kind: 'csv'; readonly path: string }
  | { readonly kind: 'parquet'; readonly path: string }
  | { readonly kind: 'qlib'; readonly dir: string; readonly market: string }
  | { readonly kind: 'synthetic' };

export const DEFAULT_QLIB_MARKET = 'all';
const MARKET_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * `csv:PATH` (plain or .gz), `parquet:PATH`, `qlib:DIR[:MARKET]` (market
 * defaults to `all`, i.e. `instruments/all.txt`) or `synthetic`. A trailing
 * `:NAME` after a qlib directory is read as the market only when NAME is a
 * plain word, so directories with colons still work.
 */
export function parseSourceSpec(text: string): SourceSpec {
  const t = text.trim();
  if (t === 'synthetic') return { kind: 'synthetic' };
  const colon = t.indexOf(':');
  const scheme = colon < 0 ? '' : t.slice(0, colon);
  const rest = colon < 0 ? '' : t.slice(colon + 1);
  if ((scheme === 'csv' || scheme === 'parquet') && rest !== '') return { kind: scheme, path: rest };
  if (scheme === 'qlib' && rest !== '') {
    const last = rest.lastIndexOf(':');
    if (last > 0 && MARKET_NAME.test(rest.slice(last + 1))) {
      return { kind: 'qlib', dir: rest.slice(0, last), market: rest.slice(last + 1) };
    }
    return { kind: 'qlib', dir: rest, market: DEFAULT_QLIB_MARKET };
  }
  throw new InputError(
    `unknown bar source "${text}"; use csv:PATH (.csv or .csv.gz), parquet:PATH, qlib:DIR[:MARKET] or synthetic`,
  );
}

/** The text form of a spec (inverse of parseSourceSpec), for logs and manifests. */
export function formatSourceSpec(spec: SourceSpec): string {
  switch (spec.kind) {
    case 'synthetic':
      return 'synthetic';
    case 'qlib':
      return `qlib:${spec.dir}:${spec.market}`;
    default:
      return `${spec.kind}:${spec.path}`;
  }
}
