import type { SourceContext, SourceOutput } from './source.types';
export async function readQlibBars(dir: string, market: string, ctx: SourceContext): Promise<SourceOutput> {
  throw new Error(`todo ${dir} ${market} ${String(ctx)}`);
}
