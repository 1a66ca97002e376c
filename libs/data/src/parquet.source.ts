import type { SourceContext, SourceOutput } from './source.types';
export async function readParquetBars(path: string, ctx: SourceContext): Promise<SourceOutput> {
  throw new Error(`todo ${path} ${String(ctx)}`);
}
