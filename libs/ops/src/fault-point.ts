/**
 * Deterministic crash points for the fault suite (test/faults/): with
 * `ALPHAFEED_FAULT_POINT=<name>:<n>` in its environment, a process kills
 * itself with SIGKILL — no cleanup, no flush, like `kill -9` — the n-th time
 * it passes `faultPoint(<name>)`. Points:
 *
 * - `archive-written`: a bus batch's bars and markers are in the write-ahead
 *   archive, its offsets not yet committed.
 *
 * The variable is read once at load; unset (production), a call is one
 * comparison with null.
 */
const armed = parse(process.env.ALPHAFEED_FAULT_POINT);
let passed = 0;

export function faultPoint(name: string): void {
  if (armed === null || name !== armed.name) return;
  passed++;
  if (passed === armed.at) {
    process.stderr.write(`fault point ${name} #${passed}: SIGKILL (ALPHAFEED_FAULT_POINT)\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}

function parse(text: string | undefined): { readonly name: string; readonly at: number } | null {
  if (text === undefined || text === '') return null;
  const m = /^([a-z-]+):(\d+)$/.exec(text);
  if (m === null || Number(m[2]) < 1)
    throw new Error(
      `ALPHAFEED_FAULT_POINT must be <point>:<n> with n >= 1 (e.g. archive-written:3), got '${text}'`,
    );
  return { name: m[1], at: Number(m[2]) };
}
