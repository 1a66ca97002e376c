/**
 * The fault suite (issue 9): a small synthetic region replayed through the
 * four services as separate processes on a secured Kafka (SASL_SSL) and
 * QuestDB (basic auth), with faults injected; every QuestDB table and the
 * decoded alpha topic of each faulty run are compared with a clean run of
 * the same input (values, revisions, duplicates). See test/faults/README.md.
 *
 * Seeded (ALPHAFEED_FAULT_SEED, default 42): the kill points, delays and
 * fuzz messages are the same on every run.
 */
import 'reflect-metadata';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadEventCodecs } from '@alphafeed/codec';
import type { BarEvent } from '@alphafeed/codec';
import { parseIsoDay } from '@alphafeed/core';
import { computeFeatureFrame } from '@alphafeed/features';
import type { FeatureName } from '@alphafeed/features';
import { loadModelSet, predictWithModelSet } from '@alphafeed/training';
import { Rng } from '@alphafeed/core';
import type { BarPanel } from '@alphafeed/core';
import { generateSyntheticBars } from '@alphafeed/data';
import { startSecuredInfra } from '../infra/secured-infra';
import type { SecuredInfra } from '../infra/secured-infra';
import { MAX_PARTITIONS, restatementRows, runFlow } from './pipeline-flow';
import { fuzzBars, fuzzMarkers } from './fuzz.messages';
import { probeHealth } from './health.adapter';
import type { HealthProbe } from './health.adapter';
import type { FlowHooks } from './pipeline-flow';
import { BAR_SERVICES, PipelineRun, REGION, SERVICES } from './pipeline-run';
import type { RunOptions, RunSnapshot, Service, SuiteContext } from './pipeline-run';
import { compareSnapshots, describeDiffs, PIPELINE_TABLES } from './store-snapshot';
import type { TableDiff } from './store-snapshot';

/** The first `n` dates of a panel (rows are sorted by date, so a prefix of every column). */
function firstDates(panel: BarPanel, n: number): BarPanel {
  let end = 0;
  while (end < panel.length && panel.date[end] < n) end++;
  const cut = <T extends Float64Array | Int32Array>(a: T): T => a.subarray(0, end) as T;
  return {
    ...panel,
    calendar: panel.calendar.slice(0, n),
    length: end,
    date: cut(panel.date),
    instrument: cut(panel.instrument),
    industry: cut(panel.industry),
    open: cut(panel.open),
    high: cut(panel.high),
    low: cut(panel.low),
    close: cut(panel.close),
    volume: cut(panel.volume),
    amount: panel.amount === null ? null : cut(panel.amount),
    sharesOut: panel.sharesOut === null ? null : cut(panel.sharesOut),
  };
}

const SEED = Number(process.env.ALPHAFEED_FAULT_SEED ?? 42);

interface CleanReference {
  readonly snapshot: RunSnapshot;
  readonly closed: Map<string, { count: number; revisions: number }>;
  readonly alphas: number;
}

interface MatrixRow {
  scenario: string;
  faults: string;
  rowsCompared: number;
  differences: number;
  ms: number;
  detail: string;
}

describe('fault suite: services as processes on secured Kafka + QuestDB, compared with a clean run', () => {
  let infra: SecuredInfra;
  let ctx: SuiteContext;
  const matrix: MatrixRow[] = [];
  const logFiles: string[] = [];
  const started = Date.now();

  beforeAll(async () => {
    infra = await startSecuredInfra({ label: 'faults' });
    ctx = {
      infra,
      db: { url: infra.questdbUrl, user: infra.questdbUser, password: infra.secrets.questdb },
      panel: firstDates(
        generateSyntheticBars({
          region: 'us',
          instruments: REGION.instruments,
          years: REGION.years,
          seed: REGION.seed,
          startDate: REGION.startDate,
        }),
        REGION.dates,
      ),
      codecs: loadEventCodecs(),
      workDir: mkdtempSync(path.join(tmpdir(), 'alphafeed-faults-')),
    };
  }, 300_000);

  afterAll(() => {
    const lines = matrix.map(
      (m) =>
        `| ${m.scenario} | ${m.faults} | ${m.rowsCompared} | ${m.differences} | ${(m.ms / 1000).toFixed(0)} s |`,
    );
    const text = [
      `fault suite (seed ${SEED}), ${((Date.now() - started) / 1000).toFixed(0)} s in all`,
      '| scenario | faults injected | rows compared | differences | wall |',
      '|---|---|---|---|---|',
      ...lines,
      '',
      ...matrix.filter((m) => m.detail !== '').map((m) => `${m.scenario}:\n${m.detail}`),
    ].join('\n');
    process.stdout.write(`\n${text}\n`);
    if (ctx !== undefined) writeFileSync(path.join(ctx.workDir, 'matrix.md'), text);
    infra?.down();
  });

  /** A run of the flow; always stopped, its logs kept for the secrets check. */
  async function withRun(
    options: RunOptions,
    body: (run: PipelineRun) => Promise<RunSnapshot>,
  ): Promise<{ run: PipelineRun; snapshot: RunSnapshot }> {
    const run = await PipelineRun.create(ctx, options);
    try {
      await run.startAll();
      const snapshot = await body(run);
      return { run, snapshot };
    } finally {
      await run.stop();
      logFiles.push(...run.logFiles());
    }
  }

  /**
   * The clean reference, computed once: a run on 6 partitions. Runs on 1
   * partition are compared with it too (the partition count is outside the
   * config hash, and the flow's restatement is one batch on either count).
   */
  let clean: Promise<CleanReference> | null = null;
  function cleanRun(): Promise<CleanReference> {
    clean ??= (async () => {
      const t0 = Date.now();
      const { run, snapshot } = await withRun({ name: 'clean', partitions: MAX_PARTITIONS }, (r) =>
        runFlow(r),
      );
      const entry = { snapshot, closed: await summary(snapshot), alphas: snapshot.store.alphas.size };
      matrix.push({
        scenario: `clean run (the reference), ${MAX_PARTITIONS} partitions`,
        faults: 'none',
        rowsCompared: rows(snapshot),
        differences: 0,
        ms: Date.now() - t0,
        detail: [...run.timings, ...run.notes].join('; '),
      });
      return entry;
    })();
    return clean;
  }

  function rows(s: RunSnapshot): number {
    return PIPELINE_TABLES.reduce((n, t) => n + s.store[t].size, 0) + s.alphaEvents.size;
  }

  /** Closed dates and revision sums per service, from a snapshot's closed_dates rows. */
  async function summary(s: RunSnapshot): Promise<Map<string, { count: number; revisions: number }>> {
    const out = new Map<string, { count: number; revisions: number }>();
    for (const [key, value] of s.store.closed_dates) {
      const service = key.split('|')[1];
      const revision = Number(/revision=(\d+)/.exec(value)?.[1] ?? 0);
      const e = out.get(service) ?? { count: 0, revisions: 0 };
      e.count++;
      e.revisions += revision;
      out.set(service, e);
    }
    return out;
  }

  function diffAgainst(want: RunSnapshot, got: RunSnapshot): TableDiff[] {
    return [
      ...compareSnapshots(want.store, got.store, PIPELINE_TABLES),
      ...compareSnapshots({ alpha_events: want.alphaEvents }, { alpha_events: got.alphaEvents }),
    ];
  }

  /** Runs a faulty flow on `partitions`, compares with the clean run, records the matrix row; returns the diffs. */
  async function faultyRun(
    scenario: string,
    partitions: number,
    hooks: (run: PipelineRun) => FlowHooks,
    describeFaults: (run: PipelineRun) => string,
    /** Checks that need the run's bus (e.g. reading the DLQ topics), after the snapshot, before the run stops. */
    inspect?: (run: PipelineRun, snapshot: RunSnapshot) => Promise<void>,
  ): Promise<{ diffs: TableDiff[]; run: PipelineRun; snapshot: RunSnapshot }> {
    const base = await cleanRun();
    const t0 = Date.now();
    let current: PipelineRun | null = null;
    let outcome: { run: PipelineRun; snapshot: RunSnapshot };
    try {
      outcome = await withRun({ name: scenario.replace(/\W+/g, '-').slice(0, 40), partitions }, async (r) => {
        current = r;
        const snapshot = await runFlow(r, hooks(r), { closed: base.closed, alphas: base.alphas });
        await inspect?.(r, snapshot);
        return snapshot;
      });
    } catch (error) {
      // The run could not finish (e.g. training refused): that is the scenario's result, recorded before failing.
      const r = current as PipelineRun | null;
      matrix.push({
        scenario,
        faults: r === null ? '-' : describeFaults(r),
        rowsCompared: 0,
        differences: 1,
        ms: Date.now() - t0,
        detail: [
          `did not finish: ${String(error).slice(0, 400)}`,
          r === null ? '' : [...r.timings, ...r.notes].join('; '),
        ].join('\n'),
      });
      throw error;
    }
    const { run, snapshot } = outcome;
    const diffs = diffAgainst(base.snapshot, snapshot);
    const n = diffs.reduce((s, d) => s + d.missing + d.extra + d.changed, 0);
    matrix.push({
      scenario,
      faults: describeFaults(run),
      rowsCompared: rows(base.snapshot),
      differences: n,
      ms: Date.now() - t0,
      detail: [describeDiffs(diffs), [...run.timings, ...run.notes].join('; ')]
        .filter((x) => x !== '')
        .join('\n'),
    });
    return { diffs, run, snapshot };
  }

  const expectNoDifferences = (diffs: TableDiff[]) => expect(describeDiffs(diffs)).toBe('');

  const ms = (rng: Rng, lo: number, hi: number) => lo + rng.int(hi - lo + 1);
  const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
  const tallyText = (run: PipelineRun) =>
    SERVICES.map((s) => {
      const t = run.tally.get(s)!;
      return `${s} ${t.kills} kill -9${t.faultPointHits > 0 ? ` + ${t.faultPointHits} at archive-written` : ''}`;
    }).join(', ');

  it('clean run, 6 partitions (the reference of every faulty run)', async () => {
    const base = await cleanRun();
    expect(base.snapshot.store.features.size).toBeGreaterThan(5000);
    expect(base.snapshot.alphaEvents.size).toBeGreaterThan(1000);
    // The restatement of the flow is in the baseline: revision 1 rows exist.
    expect([...base.snapshot.alphaEvents.keys()].some((k) => k.endsWith('|1'))).toBe(true);
  });

  /** kill -9 at seeded points: while replaying, at archive-written (before the commit), during training, during the restatement. */
  const killHooks = (seed: number) => (): FlowHooks => {
    const rng = new Rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)];
    // Services waiting for their fault point are left alone until it fired.
    const kill = (r: PipelineRun, s: Service) => (r.armed(s) ? Promise.resolve() : r.kill(s));
    return {
      afterChunk: async (r, i) => {
        if (i === 0) await Promise.all(BAR_SERVICES.map((s) => r.armArchiveFaultPoint(s, ms(rng, 1, 4))));
        await sleep(ms(rng, 200, 2500));
        if (i === 1)
          await Promise.all(
            ['trainer', pick(['features', 'labels', 'scorer'] as const)].map((s) => kill(r, s as Service)),
          );
        if (i === 2)
          await Promise.all(
            ['trainer', 'scorer', pick(['features', 'labels'] as const)].map((s) => kill(r, s as Service)),
          );
        if (i === 3)
          await Promise.all(SERVICES.map(async (s) => (await sleep(ms(rng, 0, 1500)), kill(r, s))));
      },
      duringTraining: async (r) => {
        await sleep(ms(rng, 100, 1500));
        await r.kill('trainer');
      },
      afterReplayB: async (r) => {
        await Promise.all([r.armArchiveFaultPoint(pick(BAR_SERVICES), ms(rng, 1, 2)), kill(r, 'trainer')]);
        await sleep(ms(rng, 200, 2000));
        await Promise.all([kill(r, 'labels'), kill(r, 'scorer')]);
      },
      duringRestatement: async (r) => {
        await Promise.all(BAR_SERVICES.map(async (s) => (await sleep(ms(rng, 0, 1500)), kill(r, s))));
      },
    };
  };

  it(`kill -9 of every service at seeded points (seed ${SEED}), 6 partitions`, async () => {
    const { diffs } = await faultyRun(`kill -9, seed ${SEED}`, 6, killHooks(SEED), tallyText);
    expectNoDifferences(diffs);
  });

  it('QuestDB and Kafka killed and restarted mid-replay: readiness goes false and comes back, nothing lost', async () => {
    const readiness: string[] = [];
    const outage = async (run: PipelineRun, server: 'questdb' | 'kafka') => {
      run.ctx.infra.server('stop', server, true);
      run.notes.push(`${server} killed`);
      // Every service must notice within 20 s...
      // Readiness false *because of the server* (the reason names it): a scorer without a model is not ready anyway.
      const dependency = server === 'questdb' ? 'store (questdb)' : 'bus (kafka)';
      const reasons = (p: HealthProbe): string[] =>
        ((p.body as { reasons?: unknown } | null)?.reasons as string[] | undefined) ?? [];
      const down = await pollAll(
        run,
        (p) => p.ready === false && reasons(p).some((r) => r.startsWith(dependency)),
        20_000,
      );
      readiness.push(`${server} down: readiness false in ${down.join(', ')}`);
      run.ctx.infra.server('start', server);
      // ...and be ready again within 60 s of the server's return.
      // Ready again, or (the scorer before the first model) not ready for that reason only.
      const up = await pollAll(
        run,
        (p) =>
          p.ready === true ||
          (reasons(p).length > 0 && reasons(p).every((r) => /no model set loaded/.test(r))),
        60_000,
      );
      readiness.push(`${server} back: readiness true in ${up.join(', ')}`);
    };
    const { diffs, run } = await faultyRun(
      'QuestDB restart + Kafka broker restart mid-replay',
      6,
      () => ({
        afterChunk: async (r, i) => {
          if (i === 1) await outage(r, 'questdb');
          if (i === 2) await outage(r, 'kafka');
        },
      }),
      () => 'kill -9 of QuestDB, then of the Kafka broker, each restarted on its data',
    );
    run.notes.push(...readiness);
    matrix[matrix.length - 1].detail += `\n${readiness.join('\n')}`;
    expectNoDifferences(diffs);
    expect(readiness.filter((l) => /: readiness (false|true) in .*(never|no answer)/.test(l))).toEqual([]);
  });

  /** Per service, how long until `ok(probe)` held (or 'never'). */
  async function pollAll(
    run: PipelineRun,
    ok: (p: HealthProbe) => boolean,
    timeoutMs: number,
  ): Promise<string[]> {
    const t0 = Date.now();
    const when = new Map<Service, string>();
    while (when.size < SERVICES.length && Date.now() - t0 < timeoutMs) {
      for (const s of SERVICES) {
        if (when.has(s)) continue;
        const p = await probeHealth(run.port(s));
        if (p.ready === null) continue;
        if (ok(p)) when.set(s, `${s} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
      await sleep(250);
    }
    return SERVICES.map((s) => when.get(s) ?? `${s} never`);
  }

  /** A second instance of each bar service, started mid-replay; the active ones killed mid-replay and mid-restatement. */
  const standbyHooks = (): FlowHooks => ({
    afterChunk: async (r, i) => {
      if (i === 0) await Promise.all(BAR_SERVICES.map((s) => r.start(s, 1)));
      if (i === 2) await r.kill('features', 0, false);
    },
    duringRestatement: async (r) => {
      await sleep(300);
      await Promise.all([r.kill('labels', 0, false), r.kill('scorer', 0, false)]);
    },
  });

  it.each([6, 1])(
    'a standby takes over mid-replay and mid-restatement, %i partition(s)',
    async (partitions) => {
      const { diffs } = await faultyRun(
        `standby takeover, ${partitions} partition(s)`,
        partitions,
        standbyHooks,
        (run) => `standbys of features/labels/scorer started mid-replay; active killed: ${tallyText(run)}`,
      );
      expectNoDifferences(diffs);
    },
  );

  /**
   * The second kill -9 run also carries the fuzz (one run instead of two):
   * 10,000 bad messages on each input topic while services die.
   */
  it(`10,000 fuzzed messages on each input topic while services are killed (seed ${SEED + 1}): all dead-lettered with a reason, none archived, output unchanged`, async () => {
    const panel = ctx.panel;
    const base = {
      region: 'us',
      date: parseIsoDay(panel.calendar[40]),
      instrument: panel.instruments[0],
      open: 10,
      high: 11,
      low: 9,
      close: 10.5,
      volume: 1000,
      amount: null,
      shares_out: null,
      factor: null,
      industry: panel.industries[0],
    };
    const bars = fuzzBars(ctx.codecs, base, 10_000, SEED);
    const markers = fuzzMarkers(
      ctx.codecs,
      { region: 'us', date: base.date, bar_count: 40 },
      10_000,
      SEED + 7,
    );
    const problems: string[] = [];
    const kills = killHooks(SEED + 1);
    const { diffs, snapshot } = await faultyRun(
      `kill -9, seed ${SEED + 1} + fuzz: 10,000 bad messages on bars and on markers`,
      6,
      () => {
        const hooks = kills();
        return {
          ...hooks,
          afterChunk: async (rr, i) => {
            if (i === 1) {
              await rr.publishRaw('bars', bars);
              await rr.publishRaw('eod', markers);
            }
            await hooks.afterChunk?.(rr, i);
          },
        };
      },
      (r) =>
        `${tallyText(r)}; ${bars.length} bars + ${markers.length} markers (${new Set([...bars, ...markers].map((m) => m.kind)).size} kinds)`,
      async (run) => {
        // Every message, for each of the three bar services, in the DLQ with a reason.
        const topics = run.config.streaming.kafka.topics;
        for (const [topic, sent] of [
          [topics.bars, bars],
          [topics.eod, markers],
        ] as const) {
          const letters = await run.readTopic(`${topic}${topics.dead_letter_suffix}`, 3000, 0, 180_000);
          const seen = new Map<string, Set<string>>();
          for (const l of letters) {
            const d = ctx.codecs.deadLetter.decode(l.value);
            if (d.reason.trim() === '') continue;
            const k = d.payload.toString('base64');
            const set = seen.get(k) ?? new Set<string>();
            set.add(d.service);
            seen.set(k, set);
          }
          const byKind = new Map<string, number>();
          for (const m of sent) {
            const got = seen.get(m.value.toString('base64'));
            const missing = BAR_SERVICES.filter((s) => !(got?.has(s) ?? false));
            if (missing.length > 0)
              byKind.set(
                `${m.kind} (not dead-lettered by ${missing.join('+')})`,
                (byKind.get(`${m.kind} (not dead-lettered by ${missing.join('+')})`) ?? 0) + 1,
              );
          }
          for (const [kind, n] of byKind) problems.push(`${topic}: ${n} × ${kind}`);
        }
      },
    );
    // Nothing of a fuzzed message in the archive.
    const known = new Set(panel.instruments);
    const calendar = new Set(panel.calendar);
    let archived = 0;
    const archivedExamples: string[] = [];
    for (const table of ['bars_ahead', 'markers_ahead'] as const) {
      for (const key of snapshot.store[table].keys()) {
        const [ts, instrument] = key.split('|');
        const bad = !calendar.has(ts.slice(0, 10)) || (table === 'bars_ahead' && !known.has(instrument));
        if (bad) {
          archived++;
          if (archivedExamples.length < 3)
            archivedExamples.push(
              `${table} ${ts.slice(0, 10)} ${instrument.slice(0, 40)}${instrument.length > 40 ? `… (${instrument.length} chars)` : ''}`,
            );
        }
      }
    }
    if (archived > 0)
      problems.push(`${archived} fuzzed rows in the archive, e.g. ${archivedExamples.join('; ')}`);
    matrix[matrix.length - 1].detail += problems.length === 0 ? '' : `\n${problems.join('\n')}`;
    matrix[matrix.length - 1].differences += problems.length;
    expect(problems).toEqual([]);
    expectNoDifferences(diffs);
  });

  it('restatement storm: 5 % of the bars of 20 closed dates re-sent with new values; revisions + 1, final alphas equal the batch run on the corrected data', async () => {
    const panel = ctx.panel;
    const rng = new Rng(SEED + 99);
    const T = panel.calendar.length;
    // 20 closed dates of the live-scored part, 2 of 40 bars each (5 %).
    const dates = new Set<number>();
    while (dates.size < 20) dates.add(T - 58 + rng.int(30));
    const corrected = copyPanel(panel);
    const storm: BarEvent[] = [];
    const perDate = new Map<number, number>();
    for (let r = 0; r < panel.length; r++) {
      const d = panel.date[r];
      if (!dates.has(d) || (perDate.get(d) ?? 0) >= 2 || rng.uniform() < 0.8) continue;
      perDate.set(d, (perDate.get(d) ?? 0) + 1);
      const k = 1 + (rng.uniform() - 0.5) * 0.06;
      corrected.close[r] = panel.close[r] * k;
      corrected.high[r] = Math.max(panel.high[r], corrected.close[r]);
      corrected.low[r] = Math.min(panel.low[r], corrected.close[r]);
      storm.push(barOf(corrected, r));
    }
    // The flow's own restatement applies on top (the same correction in both).
    for (const b of restatementRows(panel, 6)) {
      corrected.close[b] = panel.close[b] * 1.03;
      corrected.high[b] = Math.max(corrected.high[b], corrected.close[b]);
    }
    const t0 = Date.now();
    const { run, snapshot } = await withRun({ name: 'storm', partitions: 6 }, (r) =>
      runFlow(
        r,
        {
          afterReplayB: async (rr) => {
            await rr.waitClosed(BAR_SERVICES, T - 1, 240_000);
            await rr.publishBars(storm);
          },
        },
        null,
        90_000,
      ),
    );
    const problems: string[] = [];
    // Revisions: every stormed date was re-emitted (revision >= 1) by every bar service; untouched earlier dates stayed at 0.
    const first = Math.min(...dates);
    for (const [key, value] of snapshot.store.closed_dates) {
      const [ts, service] = key.split('|');
      const d = panel.calendar.indexOf(ts.slice(0, 10));
      const revision = Number(/revision=(\d+)/.exec(value)?.[1]);
      if (dates.has(d) && !(revision >= 1))
        problems.push(`${service} ${ts.slice(0, 10)} stormed but revision ${revision}`);
      if (d < first && revision !== 0)
        problems.push(`${service} ${ts.slice(0, 10)} before the storm but revision ${revision}`);
    }
    // Final alphas (highest revision per key) equal the batch predictions of the same model on the corrected panel.
    const model = [...snapshot.store.alphas.keys()][0]?.split('|')[2];
    const artifact = path.join(run.dir, 'models', 'model2_us');
    const set = loadModelSet(artifact);
    const frame = computeFeatureFrame(corrected, {
      features: [...REGION.features] as FeatureName[],
      minIndustrySize: run.config.features.min_industry_size,
      ffillLimit: run.config.features.ffill_limit,
      winsorize: run.config.features.winsorize,
    });
    const batch = predictWithModelSet(set, frame);
    set.dispose();
    let worst = 0;
    let compared = 0;
    let missing = 0;
    for (let i = 0; i < frame.length; i++) {
      const key = `${frame.calendar[frame.date[i]]}T00:00:00.000000Z|${frame.instruments[frame.instrument[i]]}|${model}`;
      const row = snapshot.store.alphas.get(key);
      if (row === undefined) continue;
      compared++;
      const got = Number(/alpha_combined=([^,]+)/.exec(row)?.[1]);
      if (!Number.isFinite(got)) missing++;
      else worst = Math.max(worst, Math.abs(got - batch.combined[i]));
    }
    if (!(worst <= 1e-6))
      problems.push(
        `final alpha_combined differs from the batch run by up to ${worst.toExponential(2)} bps over ${compared} rows`,
      );
    if (compared < 1000) problems.push(`only ${compared} alphas compared`);
    matrix.push({
      scenario: 'restatement storm (20 dates × 2 bars)',
      faults: `${storm.length} corrected bars on ${dates.size} closed dates`,
      rowsCompared: compared + snapshot.store.closed_dates.size,
      differences: problems.length + missing,
      ms: Date.now() - t0,
      detail: [...problems.slice(0, 6), [...run.timings, ...run.notes].join('; ')].join('\n'),
    });
    expect(problems).toEqual([]);
  });

  it('no secret appears in any log line of the suite (services, brokers, QuestDB)', () => {
    const needles = [
      infra.secrets.kafka,
      infra.secrets.questdb,
      infra.secrets.admin,
      Buffer.from(`${infra.questdbUser}:${infra.secrets.questdb}`).toString('base64'),
    ];
    const files = [
      ...logFiles,
      ...['kafka.log', 'kafka-format.log', 'questdb.log'].map((f) => path.join(infra.runDir, f)),
    ];
    const leaks: string[] = [];
    let lines = 0;
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n')) {
        lines++;
        if (needles.some((n) => line.includes(n)))
          leaks.push(`${path.basename(file)}: ${line.slice(0, 200)}`);
      }
    }
    matrix.push({
      scenario: 'secrets in logs',
      faults: '-',
      rowsCompared: lines,
      differences: leaks.length,
      ms: 0,
      detail: leaks.slice(0, 5).join('\n'),
    });
    expect(lines).toBeGreaterThan(100);
    expect(leaks).toEqual([]);
  });
});

function copyPanel(p: BarPanel): BarPanel & { close: Float64Array; high: Float64Array; low: Float64Array } {
  return {
    ...p,
    close: Float64Array.from(p.close),
    high: Float64Array.from(p.high),
    low: Float64Array.from(p.low),
  };
}

function barOf(p: BarPanel, r: number): BarEvent {
  return {
    region: 'us',
    date: parseIsoDay(p.calendar[p.date[r]]),
    instrument: p.instruments[p.instrument[r]],
    open: p.open[r],
    high: p.high[r],
    low: p.low[r],
    close: p.close[r],
    volume: p.volume[r],
    amount: p.amount === null ? null : p.amount[r],
    shares_out: p.sharesOut === null ? null : p.sharesOut[r],
    factor: null,
    industry: p.industries[p.industry[r]],
  };
}
