/**
 * Scenario: `models.names` lists one base model only. The meta Ridge then
 * stacks that model's OOF alone, the artifacts hold only its files, and the
 * saved set still reproduces the predictions exactly.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeArtifacts } from './artifacts.writer';
import { loadModelSet, predictWithModelSet } from './model-set';
import { smallConfig, syntheticPanel } from './testing/synthetic-frames';
import { trainModel2 } from './train-model2';

const panel = syntheticPanel({ instruments: 25, dates: 600, signal: 0.3, seed: 12 });

test.each([
  ['ridge', 'ridge'],
  ['xgboost', 'xgb'],
] as const)('%s only', async (name, short) => {
  const root = mkdtempSync(join(tmpdir(), 'alphafeed-single-model-'));
  const r = trainModel2({ ...panel, config: smallConfig({ models: { names: [name] } }, 10) });
  try {
    expect(r.horizons.every((h) => Object.keys(h.oof).join() === short)).toBe(true);
    expect(r.models.horizons.every((h) => h.meta.coef.length === 1)).toBe(true);
    expect(new Set(r.scores.map((s) => s.model))).toEqual(new Set([short]));
    const w = await writeArtifacts(r, { modelsDir: join(root, 'models'), dataDir: join(root, 'data') });
    const other = short === 'ridge' ? 'xgb' : 'ridge';
    expect(readdirSync(w.modelDir).some((f) => f.startsWith(`${other}_`))).toBe(false);
    expect(readdirSync(w.dataDir).some((f) => f.startsWith(`oof_${other}_`))).toBe(false);
    expect(readdirSync(w.dataDir).some((f) => f.startsWith('feature_importance_'))).toBe(short === 'xgb');
    const set = loadModelSet(w.modelDir);
    try {
      const again = predictWithModelSet(set, r.frame);
      expect(Array.from(again.combined)).toEqual(Array.from(r.predictions.combined));
    } finally {
      set.dispose();
    }
  } finally {
    r.dispose();
    rmSync(root, { recursive: true, force: true });
  }
});
