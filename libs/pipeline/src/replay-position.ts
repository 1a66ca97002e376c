import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PipelineError } from './errors';

/** The resumable position of a replay: the last date whose bars and marker the broker acknowledged. */
export interface ReplayPosition {
  readonly version: 1;
  /** Hash of what was replayed (region, start date, topics, caller's config hash): a position only resumes the same replay. */
  readonly configHash: string;
  /** ISO date; every date up to and including it is published. */
  readonly lastDate: string;
}

/** Reads the position file; null when it does not exist. */
export async function readReplayPosition(path: string): Promise<ReplayPosition | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new PipelineError(
      'REPLAY_POSITION_CORRUPT',
      `replay position ${path} is not JSON; delete it to start the replay over`,
      { cause },
    );
  }
  const p = parsed as Partial<ReplayPosition>;
  if (
    p === null ||
    typeof p !== 'object' ||
    p.version !== 1 ||
    typeof p.configHash !== 'string' ||
    typeof p.lastDate !== 'string'
  ) {
    throw new PipelineError(
      'REPLAY_POSITION_CORRUPT',
      `replay position ${path} is not a version-1 position (${text.slice(0, 200)}); delete it to start over`,
    );
  }
  return { version: 1, configHash: p.configHash, lastDate: p.lastDate };
}

/**
 * Writes the position atomically (temp file + rename), so a crash leaves the
 * old or the new position, never half a file.
 */
export async function writeReplayPosition(path: string, position: ReplayPosition): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(position)}\n`, 'utf8');
  await rename(temp, path);
}
