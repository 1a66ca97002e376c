/**
 * Every pipeline table of a region read back from QuestDB (over HTTP with
 * basic auth), in canonical rows keyed by their DEDUP keys, and compared
 * table by table with another run's: keys missing or extra, values that
 * differ. Internal dictionary codes (the `industry` id of `bars_ahead`) are
 * resolved to names first, since two runs may assign them in another order.
 */

export const PIPELINE_TABLES = [
  'features',
  'labels',
  'alphas',
  'closed_dates',
  'bars_ahead',
  'markers_ahead',
  'industries',
] as const;
export type PipelineTable = (typeof PIPELINE_TABLES)[number];

/** key → canonical value text, per table. */
export type StoreSnapshot = Record<PipelineTable, Map<string, string>>;

export interface QuestDbAccess {
  readonly url: string;
  readonly user: string;
  readonly password: string;
}

interface ExecResult {
  readonly columns?: { readonly name: string; readonly type: string }[];
  readonly dataset?: unknown[][];
  readonly error?: string;
}

export async function exec(db: QuestDbAccess, sql: string): Promise<ExecResult> {
  const res = await fetch(`${db.url}/exec?query=${encodeURIComponent(sql)}`, {
    headers: { authorization: `Basic ${Buffer.from(`${db.user}:${db.password}`).toString('base64')}` },
  });
  const body = (await res.json()) as ExecResult;
  if (!res.ok || body.error !== undefined)
    throw new Error(`QuestDB ${res.status}: ${body.error ?? ''} for ${sql}`);
  return body;
}

/** Drops the pipeline's tables (the services recreate them on start), so runs of one region do not mix. */
/**
 * Tables a run writes but the comparison leaves out: the scorer's publication
 * ledger (its `sequence` counts Kafka transactions, which depend on timing).
 * Dropped with the others, or a run would inherit the previous run's ledger.
 */
const UNCOMPARED_TABLES = ['alphas_published'] as const;

export async function dropPipelineTables(db: QuestDbAccess): Promise<void> {
  for (const t of [...PIPELINE_TABLES, ...UNCOMPARED_TABLES]) await exec(db, `DROP TABLE IF EXISTS ${t}`);
}

/** Dedup keys beyond (ts, region, instrument) of each table. */
const EXTRA_KEYS: Record<PipelineTable, string[]> = {
  features: [],
  labels: ['horizon'],
  alphas: ['model_version'],
  closed_dates: [],
  bars_ahead: ['service'],
  markers_ahead: ['service'],
  industries: ['service'],
};

async function tableRows(db: QuestDbAccess, table: PipelineTable, region: string): Promise<ExecResult> {
  const exists = await exec(db, `SELECT count() FROM tables() WHERE table_name = '${table}'`);
  if (Number(exists.dataset?.[0]?.[0] ?? 0) === 0) return { columns: [], dataset: [] };
  return exec(db, `SELECT * FROM ${table} WHERE region = '${region}'`);
}

function value(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  return String(v);
}

export async function readStoreSnapshot(db: QuestDbAccess, region: string): Promise<StoreSnapshot> {
  const out = {} as StoreSnapshot;
  const industryNames = new Map<string, string>(); // `${service}|${code}` → name
  const industries = await tableRows(db, 'industries', region);
  {
    const cols = (industries.columns ?? []).map((c) => c.name);
    for (const row of industries.dataset ?? []) {
      const r = Object.fromEntries(cols.map((c, i) => [c, row[i]]));
      industryNames.set(`${value(r.service)}|${value(r.code)}`, value(r.instrument));
    }
  }
  for (const table of PIPELINE_TABLES) {
    const res = table === 'industries' ? industries : await tableRows(db, table, region);
    const cols = (res.columns ?? []).map((c) => c.name);
    const keyCols = ['ts', 'instrument', ...EXTRA_KEYS[table]];
    const valueCols = cols.filter((c) => !keyCols.includes(c) && c !== 'region');
    const rows = new Map<string, string>();
    for (const row of res.dataset ?? []) {
      const r = Object.fromEntries(cols.map((c, i) => [c, row[i]]));
      if (table === 'bars_ahead')
        r.industry =
          industryNames.get(`${value(r.service)}|${value(r.industry)}`) ?? `?code ${value(r.industry)}`;
      const key = keyCols.map((c) => value(r[c])).join('|');
      // industries: the code is an internal id; the (service, name) pair is what must exist.
      const vals = table === 'industries' ? '' : valueCols.map((c) => `${c}=${value(r[c])}`).join(',');
      if (rows.has(key)) rows.set(key, `${rows.get(key)} DUPLICATE ${vals}`);
      else rows.set(key, vals);
    }
    out[table] = rows;
  }
  return out;
}

export interface TableDiff {
  readonly table: string;
  readonly rows: number;
  readonly missing: number;
  readonly extra: number;
  readonly changed: number;
  readonly examples: string[];
}

/** Differences of `got` against `want`, per table; `examples` quotes the first few. */
export function compareSnapshots(
  want: Record<string, Map<string, string>>,
  got: Record<string, Map<string, string>>,
  tables: readonly string[] = Object.keys(want),
): TableDiff[] {
  return tables.map((table) => {
    const w = want[table] ?? new Map<string, string>();
    const g = got[table] ?? new Map<string, string>();
    const examples: string[] = [];
    let missing = 0;
    let extra = 0;
    let changed = 0;
    for (const [k, v] of w) {
      const o = g.get(k);
      if (o === undefined) {
        missing++;
        if (examples.length < 4) examples.push(`missing ${k} (${v.slice(0, 160)})`);
      } else if (o !== v) {
        changed++;
        if (examples.length < 4)
          examples.push(`changed ${k}: want ${v.slice(0, 200)} got ${o.slice(0, 200)}`);
      }
    }
    for (const [k, v] of g) {
      if (!w.has(k)) {
        extra++;
        if (examples.length < 4) examples.push(`extra ${k} (${v.slice(0, 160)})`);
      }
    }
    return { table, rows: w.size, missing, extra, changed, examples };
  });
}

export function describeDiffs(diffs: readonly TableDiff[]): string {
  return diffs
    .filter((d) => d.missing + d.extra + d.changed > 0)
    .map(
      (d) =>
        `${d.table} (${d.rows} rows): ${d.missing} missing, ${d.extra} extra, ${d.changed} changed; ${d.examples.join('; ')}`,
    )
    .join('\n');
}
