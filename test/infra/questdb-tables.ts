/**
 * The e2e files share one QuestDB and the store's tables are keyed by
 * region, not by test: a file that compares what the services stored drops
 * the service tables first, so rows another file wrote for the same region
 * (the metrics and shared-consumer files both replay `cn`, the flow and the
 * portfolio files `us`) cannot count as its own.
 */
const SERVICE_TABLES = [
  'features',
  'labels',
  'alphas',
  'alphas_published',
  'closed_dates',
  'bars_ahead',
  'markers_ahead',
  'industries',
  'target_weights',
  'portfolio_model_horizons',
];

export async function dropServiceTables(questdbUrl: string): Promise<void> {
  for (const t of SERVICE_TABLES) {
    const r = await fetch(`${questdbUrl}/exec?query=${encodeURIComponent(`DROP TABLE IF EXISTS ${t}`)}`);
    if (!r.ok) throw new Error(`DROP TABLE ${t}: QuestDB answered ${r.status} ${await r.text()}`);
  }
}
