import { execFileSync } from 'node:child_process';

let cached: string | undefined;

/** The checkout's commit for ModelTrained.git_sha; `unknown` outside a git work tree (containers). */
export function gitSha(): string {
  if (cached === undefined) {
    try {
      cached = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .toString()
        .trim();
    } catch {
      cached = process.env.GIT_SHA ?? 'unknown';
    }
  }
  return cached;
}
