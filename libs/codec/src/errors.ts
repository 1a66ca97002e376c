import { AlphafeedError } from '@alphafeed/core';

/**
 * Every failure of @alphafeed/codec. None is retriable: a message that does
 * not decode will not decode on the next try either, so consumers should
 * dead-letter it (see DeadLetter.avsc) instead of retrying.
 */
export type CodecErrorCode =
  | 'CODEC_BAD_MARKER'
  | 'CODEC_UNKNOWN_FINGERPRINT'
  | 'CODEC_UNKNOWN_SCHEMA_ID'
  | 'CODEC_TRUNCATED'
  | 'CODEC_TRAILING_BYTES'
  | 'CODEC_INVALID_VALUE'
  | 'CODEC_SCHEMA';

export class CodecError extends AlphafeedError {
  declare readonly code: CodecErrorCode;

  constructor(code: CodecErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { cause: options.cause, retriable: false });
  }
}

/** First bytes of a message as hex, for error messages (never the whole payload). */
export function hexPreview(bytes: Uint8Array, max = 16): string {
  const n = Math.min(bytes.length, max);
  let out = '';
  for (let i = 0; i < n; i++) out += bytes[i].toString(16).padStart(2, '0');
  return bytes.length > max ? `${out}… (${bytes.length} bytes)` : `${out} (${bytes.length} bytes)`;
}
