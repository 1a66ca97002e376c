/**
 * Secrets never reach a log line. Two nets, because a secret can hide in a
 * field or inside a message text:
 *
 * - field names: `redactPaths` lists the keys pino blanks wherever they sit
 *   (`password`, `token`, `sasl`, `authorization`, ...);
 * - values: whoever reads a secret (a password file, an env variable) calls
 *   `registerSecret(value)` once, and `scrubSecrets` replaces every occurrence
 *   in a message with `[redacted]`; credentials in a URL
 *   (`scheme://user:pass@host`) are blanked whether registered or not.
 *
 * Cost: one `includes` per registered secret per line (there are a handful),
 * paid only by lines that are written.
 */

const REDACTED = '[redacted]';
const secrets = new Set<string>();

/** Field names whose values are never logged, at any depth pino's redaction supports (top level and one below). */
const SECRET_KEYS = [
  'password',
  'passwd',
  'secret',
  'token',
  'authorization',
  'sasl',
  'apiKey',
  'api_key',
  'credentials',
] as const;

export const redactPaths: readonly string[] = SECRET_KEYS.flatMap((k) => [k, `*.${k}`]);

/** Remembers a secret value so that no log line ever shows it. Values shorter than 4 characters are ignored (they would blank ordinary words). */
export function registerSecret(value: string | null | undefined): void {
  if (value !== null && value !== undefined && value.length >= 4) secrets.add(value);
}

/** For tests: forgets the registered values. */
export function clearSecrets(): void {
  secrets.clear();
}

const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/:@]+:[^\s/@]+@/gi;

/** `text` with registered secrets and URL credentials replaced by `[redacted]`. */
export function scrubSecrets(text: string): string {
  let out = text.includes('@') ? text.replace(URL_CREDENTIALS, `$1${REDACTED}@`) : text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}
