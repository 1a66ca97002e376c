import { parseIsoDay } from '@alphafeed/core';
import { z } from 'zod';

import { cronFixedTime, cronProblem } from './cron-expression';
import { parseSourceSpec } from '@alphafeed/data';
import { MIN_EMBARGO_DAYS, MODEL_NAMES, REGIONS, SPEC_FEATURE_NAMES } from './spec-names';
import { portfolioCrossFieldChecks, portfolioSchema } from './portfolio-config.schema';

/**
 * The region config schema (zod v4). Every object is strict, so a misspelt
 * key is an error rather than a silently ignored setting. Nested objects use
 * `prefault({})` so their own defaults are filled when the whole section is
 * absent (zod's `default` would return `{}` unparsed).
 *
 * Keys are snake_case as in the YAML files, and the parsed object keeps them:
 * the key path in an error, in the docs and in code is the same string.
 * Region-dependent defaults (calendar, schedule, price limits, client names)
 * are filled before parsing by `withRegionDefaults`, so they, and the
 * sections holding them, are required here: with a valid region they are
 * always present, and without one the region is the error reported.
 */

const ISO_DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;
const MIDNIGHT_SUFFIX = /^(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?(?:Z|[+-]00:?00)?)?$/;

/**
 * A calendar date, normalised to `YYYY-MM-DD`. Accepts a JS Date (from YAML
 * 1.1 loaders or callers) and midnight timestamps, since they name the same
 * day; anything with a time of day is ambiguous and rejected.
 */
const isoDate = z.preprocess(
  (value) => {
    if (value instanceof Date && !Number.isNaN(value.getTime())) {
      const iso = value.toISOString();
      return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
    }
    if (typeof value === 'string') {
      const m = MIDNIGHT_SUFFIX.exec(value.trim());
      return m === null ? value : m[1];
    }
    return value;
  },
  z
    .string({ error: 'must be a date written YYYY-MM-DD' })
    .refine((s) => ISO_DATE_TEXT.test(s) && !Number.isNaN(parseIsoDay(s)), {
      error: 'must be a valid calendar date written YYYY-MM-DD',
    }),
);

const nonEmpty = z
  .string({ error: 'must be a non-empty string' })
  .min(1, { error: 'must be a non-empty string' });
const positiveInt = z
  .int({ error: 'must be a positive integer' })
  .positive({ error: 'must be a positive integer' });
/** Seeds are unsigned 32-bit: the generator (core's Rng) uses 32 bits of them. */
const uint32Seed = z
  .int({ error: 'must be an integer in [0, 4294967295]' })
  .min(0)
  .max(0xffffffff)
  .default(42);
const fraction = z.number({ error: 'must be a number in [0, 1]' }).min(0).max(1);

const sourceSpec = z.string({ error: 'must be a source spec string' }).refine(isSourceSpec, {
  error: 'a source is "synthetic", "csv:PATH" (also .csv.gz), "parquet:PATH" or "qlib:DIR[:MARKET]"',
});

/** The data lib owns the spec grammar; the config only asks whether a text parses. */
function isSourceSpec(text: string): boolean {
  try {
    parseSourceSpec(text);
    return true;
  } catch {
    return false;
  }
}

const isTimezone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

const calendarSchema = z.strictObject({
  timezone: nonEmpty.refine(isTimezone, {
    error: 'must be an IANA time zone such as America/New_York or Asia/Shanghai',
  }),
  close_time: z
    .string({ error: 'must be a time written HH:MM' })
    .regex(HH_MM, { error: 'must be a 24-hour time written HH:MM' }),
});

const priceLimitsSchema = z.strictObject({
  main: z
    .number()
    .gt(0, { error: 'a daily price limit must be a fraction above 0, e.g. 0.1 for ±10 %' })
    .max(1),
  growth: z
    .number()
    .gt(0, { error: 'a daily price limit must be a fraction above 0, e.g. 0.2 for ±20 %' })
    .max(1),
  growth_share: fraction,
});

const syntheticSchema = z.strictObject({
  instruments: positiveInt.default(3000),
  years: positiveInt.default(15),
  start_date: isoDate.default('2005-01-03'),
  seed: uint32Seed,
  signal_strength: z
    .number({ error: 'must be a number in [0, 1] (0 = pure noise)' })
    .min(0)
    .max(1)
    .default(0),
  price_limits: priceLimitsSchema.nullable(),
});

const positiveNumber = z.number({ error: 'must be a number > 0' }).gt(0, { error: 'must be a number > 0' });
const isRegExp = (text: string): boolean => {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
};

/**
 * Bounds of the bar admission (issue 9 "bounded input"): a bar outside them is
 * a reject (batch) or a dead letter (stream), with the key in its message.
 */
const admissionSchema = z
  .strictObject({
    min_date: isoDate.default('1900-01-01'),
    max_days_ahead: z
      .int({ error: 'must be an integer >= 0, or null for no upper bound' })
      .min(0, { error: 'must be an integer >= 0, or null for no upper bound' })
      .nullable()
      .default(1),
    instrument_pattern: nonEmpty
      .refine(isRegExp, { error: 'must be a regular expression, e.g. ^[A-Za-z0-9._-]{1,32}$' })
      .default('^[A-Za-z0-9._-]{1,32}$'),
    max_instrument_length: positiveInt.default(32),
    max_industry_length: positiveInt.default(128),
    max_price: positiveNumber.default(1e9),
    max_volume: positiveNumber.default(1e13),
    max_amount: positiveNumber.default(1e16),
    max_shares_out: positiveNumber.default(1e13),
    min_factor: positiveNumber.default(1e-6),
    max_factor: positiveNumber.default(1e6),
  })
  .refine((a) => a.min_factor <= a.max_factor, {
    error: 'min_factor must not be above max_factor',
    path: ['min_factor'],
  });

const dataSchema = z.strictObject({
  source: sourceSpec.default('synthetic'),
  industry_table: nonEmpty.nullable().default(null),
  universe_table: nonEmpty.nullable().default(null),
  start_date: isoDate.nullable().default(null),
  end_date: isoDate.nullable().default(null),
  max_reject_ratio: fraction.default(0.01),
  admission: admissionSchema.prefault({}),
  synthetic: syntheticSchema,
});

const featureName = z.enum(SPEC_FEATURE_NAMES, {
  error: `unknown feature; valid features are ${SPEC_FEATURE_NAMES.join(', ')}`,
});

const featuresSchema = z.strictObject({
  names: z
    .array(featureName)
    .min(1, { error: 'at least one model feature is needed' })
    .default([...SPEC_FEATURE_NAMES]),
  min_industry_size: positiveInt.default(5),
  ffill_limit: z
    .int({ error: 'must be a non-negative integer' })
    .min(0, { error: 'must be a non-negative integer' })
    .default(5),
  workers: z
    .int({ error: 'must be an integer >= 0 (0 = one per core)' })
    .min(0, { error: 'must be an integer >= 0 (0 = one per core)' })
    .default(0),
  winsorize: z
    .strictObject({
      lower: fraction.default(0.01),
      upper: fraction.default(0.99),
    })
    .prefault({}),
});

const HORIZON_RULE = 'a horizon must be a positive integer number of trading days';
const horizon = z.int({ error: HORIZON_RULE }).positive({ error: HORIZON_RULE });

const labelsSchema = z.strictObject({
  horizons: z
    .array(horizon, { error: 'must be a list of horizons, e.g. [21, 63]' })
    .min(1, { error: 'at least one horizon is needed' })
    .default([21, 63]),
});

const EMBARGO_RULE = `the embargo must be at least ${MIN_EMBARGO_DAYS} trading days (SPEC §5)`;

const cvSchema = z.strictObject({
  method: z.enum(['walk_forward', 'cpcv']).default('walk_forward'),
  n_splits: positiveInt.default(5),
  n_groups: z
    .int({ error: 'must be an integer >= 2' })
    .min(2, { error: 'must be an integer >= 2' })
    .default(6),
  n_test_groups: positiveInt.default(2),
  embargo_days: z
    .int({ error: `must be an integer; ${EMBARGO_RULE}` })
    .min(MIN_EMBARGO_DAYS, { error: EMBARGO_RULE })
    .default(MIN_EMBARGO_DAYS),
  min_fold_samples: positiveInt.default(100),
});

const ridgeAlpha = z
  .number({ error: 'must be a number >= 0' })
  .min(0, { error: 'must be a number >= 0' })
  .default(3.0);

const xgboostSchema = z.strictObject({
  max_depth: positiveInt.default(6),
  n_estimators: positiveInt.default(400),
  eta: z.number().gt(0, { error: 'must be a number in (0, 1]' }).max(1).default(0.05),
  subsample: z.number().gt(0, { error: 'must be a number in (0, 1]' }).max(1).default(0.8),
  colsample_bytree: z.number().gt(0, { error: 'must be a number in (0, 1]' }).max(1).default(0.8),
  max_bin: z.int().min(2, { error: 'must be an integer >= 2' }).default(256),
  lambda: z.number().min(0).default(1),
  min_child_weight: z.number().min(0).default(1),
  base_score: z.number().default(0.5),
  tree_method: z.enum(['hist']).default('hist'),
  objective: z.enum(['reg:squarederror']).default('reg:squarederror'),
  nthread: z
    .int({ error: 'must be an integer >= 0 (0 = all cores)' })
    .min(0, { error: 'must be an integer >= 0 (0 = all cores)' })
    .default(0),
});

const modelsSchema = z.strictObject({
  names: z
    .array(z.enum(MODEL_NAMES))
    .min(1, { error: 'at least one model is needed' })
    .default([...MODEL_NAMES]),
  ridge: z.strictObject({ alpha: ridgeAlpha }).prefault({}),
  meta: z.strictObject({ alpha: ridgeAlpha }).prefault({}),
  xgboost: xgboostSchema.prefault({}),
});

const calibrationSchema = z.strictObject({
  method: z.enum(['isotonic']).default('isotonic'),
});

const neutralizationSchema = z.strictObject({
  style_neutral: z.boolean({ error: 'must be true or false' }).default(true),
});

const trainingSchema = z.strictObject({
  schedule: z
    .string({ error: 'must be a cron expression string, e.g. "30 17 * * 1-5"' })
    .superRefine((value, ctx) => {
      const problem = cronProblem(value);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    }),
  debug: z
    .strictObject({
      instruments: positiveInt.default(150),
      dates: positiveInt.default(1000),
      n_estimators: positiveInt.default(50),
    })
    .prefault({}),
});

const outputSchema = z.strictObject({
  models_dir: nonEmpty.default('models/'),
  data_dir: nonEmpty.default('data/'),
});

const BROKER = /^(\[[0-9a-fA-F:]+\]|[^\s:[\]]+):\d{1,5}$/;
const isHttpUrl = (s: string): boolean => {
  try {
    const url = new URL(s);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};
const httpUrl = z
  .string({ error: 'must be an http(s) URL' })
  .refine(isHttpUrl, { error: 'must be an http(s) URL such as http://127.0.0.1:9000' });

/**
 * Transport security and credentials. Secret values are never config keys:
 * they come from the environment or from files (`*_FILE`, as Docker and
 * Kubernetes secrets are mounted), read by `resolveSecrets` when the backends
 * open, so they never reach a config dump, the config hash or a log line.
 */
const pathOrNull = nonEmpty.nullable().default(null);
const securitySchema = z
  .strictObject({
    kafka: z
      .strictObject({
        protocol: z
          .enum(['plaintext', 'sasl_ssl'], { error: 'must be "plaintext" or "sasl_ssl"' })
          .default('plaintext'),
        sasl_username: nonEmpty.nullable().default(null),
        ca_file: pathOrNull,
        password_file: pathOrNull,
      })
      .prefault({}),
    questdb: z
      .strictObject({ username: nonEmpty.nullable().default(null), password_file: pathOrNull })
      .prefault({}),
    admin: z.strictObject({ token_file: pathOrNull }).prefault({}),
  })
  .prefault({});

const streamingSchema = z.strictObject({
  kafka: z.strictObject({
    brokers: z
      .array(z.string().regex(BROKER, { error: 'a broker is host:port, e.g. 127.0.0.1:9092' }))
      .default([]),
    client_id: nonEmpty,
    group_prefix: nonEmpty,
    partitions: positiveInt.default(6),
    session_timeout_ms: positiveInt.min(6000).max(300_000).default(30_000),
    topics: z
      .strictObject({
        bars: nonEmpty.default('bars.daily.v1'),
        eod: nonEmpty.default('bars.eod.v1'),
        alphas: nonEmpty.default('alphas.daily.v1'),
        models: nonEmpty.default('models.v1'),
        targets: nonEmpty.default('targets.daily.v1'),
        dead_letter_suffix: nonEmpty.default('.dlq'),
      })
      .prefault({}),
  }),
  questdb: z
    .strictObject({
      http_url: httpUrl.nullable().default(null),
      ilp_url: httpUrl.nullable().default(null),
    })
    .prefault({}),
  eod_timeout_ms: positiveInt.default(60_000),
  consumers: z.enum(['single', 'shared'], { error: 'must be "single" or "shared"' }).default('single'),
  max_message_bytes: positiveInt.default(65_536),
  embedded: z.strictObject({ store_path: nonEmpty }),
  security: securitySchema,
});

const baseSchema = z.strictObject({
  region: z.enum(REGIONS),
  calendar: calendarSchema,
  data: dataSchema,
  features: featuresSchema.prefault({}),
  labels: labelsSchema.prefault({}),
  cv: cvSchema.prefault({}),
  models: modelsSchema.prefault({}),
  calibration: calibrationSchema.prefault({}),
  neutralization: neutralizationSchema.prefault({}),
  alpha_clip_bps: z
    .number({ error: 'must be a number of basis points > 0' })
    .gt(0, { error: 'must be a number of basis points > 0' })
    .default(1000),
  seed: uint32Seed,
  training: trainingSchema,
  output: outputSchema.prefault({}),
  streaming: streamingSchema,
  portfolio: portfolioSchema,
  debug: z.boolean({ error: 'must be true or false' }).default(false),
  log_level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

type Parsed = z.output<typeof baseSchema>;
type Ctx = z.core.$RefinementCtx<Parsed>;

/** A cross-field problem, reported at the key the user has to change. */
function fail(ctx: Ctx, path: (string | number)[], value: unknown, message: string): void {
  ctx.addIssue({ code: 'custom', path, message, params: { value } });
}

/**
 * Checks that involve more than one key, or an ordering within a list. They
 * run only when every key on its own is valid.
 */
function crossFieldChecks(c: Parsed, ctx: Ctx): void {
  checkFeatureOrder(c.features.names, ctx);

  const { lower, upper } = c.features.winsorize;
  if (!(lower < upper)) {
    fail(ctx, ['features', 'winsorize', 'lower'], lower, `must be below features.winsorize.upper (${upper})`);
  }

  const h = c.labels.horizons;
  for (let i = 1; i < h.length; i++) {
    if (h[i] === h[i - 1] || h.indexOf(h[i]) < i) {
      fail(ctx, ['labels', 'horizons', i], h[i], `horizons must be unique; ${h[i]} appears twice`);
      return;
    }
    if (h[i] < h[i - 1]) {
      const sorted = [...h].sort((a, b) => a - b);
      fail(ctx, ['labels', 'horizons'], h, `horizons must be sorted ascending: write [${sorted.join(', ')}]`);
      return;
    }
  }

  if (c.cv.n_test_groups >= c.cv.n_groups) {
    fail(
      ctx,
      ['cv', 'n_test_groups'],
      c.cv.n_test_groups,
      `must be below cv.n_groups (${c.cv.n_groups}) so every split keeps a train group`,
    );
  }

  const names = c.models.names;
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) fail(ctx, ['models', 'names'], names, `model "${dup}" is listed twice`);

  const close = HH_MM.exec(c.calendar.close_time);
  const fires = cronFixedTime(c.training.schedule, c.calendar.timezone);
  if (close !== null && fires !== null) {
    const closeMin = 60 * Number(close[1]) + Number(close[2]);
    if (60 * fires.hour + fires.minute <= closeMin) {
      const at = `${String(fires.hour).padStart(2, '0')}:${String(fires.minute).padStart(2, '0')}`;
      fail(
        ctx,
        ['training', 'schedule'],
        c.training.schedule,
        `it fires at ${at}, not after the ${c.calendar.close_time} close (calendar.close_time, ${c.calendar.timezone}); retrain after the close so the day's bars are in`,
      );
    }
  }

  const { start_date, end_date } = c.data;
  if (start_date !== null && end_date !== null && start_date > end_date) {
    fail(ctx, ['data', 'end_date'], end_date, `must not be before data.start_date (${start_date})`);
  }

  const sec = c.streaming.security;
  if (sec.kafka.protocol === 'sasl_ssl' && sec.kafka.sasl_username === null) {
    fail(
      ctx,
      ['streaming', 'security', 'kafka', 'sasl_username'],
      null,
      'is needed with streaming.security.kafka.protocol "sasl_ssl" (the SCRAM-SHA-512 user; its password comes from ALPHAFEED_KAFKA_PASSWORD or ALPHAFEED_KAFKA_PASSWORD_FILE)',
    );
  }
  if (sec.kafka.protocol === 'plaintext' && sec.kafka.sasl_username !== null) {
    fail(
      ctx,
      ['streaming', 'security', 'kafka', 'protocol'],
      'plaintext',
      'must be "sasl_ssl" when streaming.security.kafka.sasl_username is set (credentials are never sent in plain text)',
    );
  }

  const q = c.streaming.questdb;
  if (q.ilp_url !== null && q.http_url === null) {
    fail(
      ctx,
      ['streaming', 'questdb', 'ilp_url'],
      q.ilp_url,
      'needs streaming.questdb.http_url too (reads go over HTTP); leave both empty for the embedded store',
    );
  }

  portfolioCrossFieldChecks(c.portfolio, (path, value, message) => fail(ctx, path, value, message));
}

/**
 * A configured feature list may drop features but must keep SPEC order
 * (XGBoost's column sampling depends on it) and list each name once.
 */
function checkFeatureOrder(names: readonly string[], ctx: Ctx): void {
  let last = -1;
  for (let i = 0; i < names.length; i++) {
    const at = (SPEC_FEATURE_NAMES as readonly string[]).indexOf(names[i]);
    if (names.indexOf(names[i]) < i) {
      fail(ctx, ['features', 'names', i], names[i], `feature "${names[i]}" is listed twice`);
      return;
    }
    if (at < last) {
      const ordered = [...names].sort(
        (a, b) =>
          (SPEC_FEATURE_NAMES as readonly string[]).indexOf(a) -
          (SPEC_FEATURE_NAMES as readonly string[]).indexOf(b),
      );
      fail(
        ctx,
        ['features', 'names'],
        names,
        `features must keep the SPEC §2 order (it matters to XGBoost's column sampling): ${ordered.join(', ')}`,
      );
      return;
    }
    last = at;
  }
}

export const regionConfigSchema = baseSchema.superRefine(crossFieldChecks);

type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** A validated region config: defaults filled, dates normalised, deeply frozen. */
export type RegionConfig = DeepReadonly<Parsed>;

/** The object schema without the cross-field checks, for walking its keys. */
export const regionConfigShape = baseSchema;
