import type { BarPanel } from '@alphafeed/core';
export interface SyntheticOptions { readonly region?: 'us' | 'cn' }
export function generateSynthetic(options: SyntheticOptions): { panel: BarPanel; hasAmount: boolean; hasSharesOut: boolean } {
  throw new Error(`todo ${String(options)}`);
}
