import { execFileSync } from 'node:child_process';

let cached: string | undefined;

/**
 * The checkout's commit (12 hex digits), for log lines, manifests and
 * ModelTrained events; `GIT_SHA` from the environment outside a git work tree
 * (a container image sets it at build time), else `unknown`. Asked once per
 * process (one `git` call, ~5 ms).
 */
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
