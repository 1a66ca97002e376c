import { Inject, Injectable } from '@nestjs/common';
import type { ModelTrainedEvent } from '@alphafeed/codec';
import type { RegionConfig } from '@alphafeed/config';
import { formatIsoDay } from '@alphafeed/core';
import type { Logger } from '@alphafeed/ops';
import { CONFIG, LOGGER, STORE } from '@alphafeed/runtime';
import type { StorePort } from '@alphafeed/store';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_HORIZONS_TABLE } from './portfolio.tables';

/** A model the scorer may have scored a date with: version, retrain date (label cut-off) and horizon H. */
export interface CatalogModel {
  readonly modelVersion: string;
  /** Day number of the model's label cut-off: it scores the dates after it. */
  readonly cutoffDay: number;
  /** SPEC §9: `H = sum_k omega_k k`, the combination-weighted horizon of the model, in days. */
  readonly horizonDays: number;
}

interface ManifestView {
  readonly model_version?: string;
  readonly horizons?: Readonly<Record<string, { readonly horizon: number }>>;
  readonly combination_weights?: Readonly<Record<string, number>>;
}

/**
 * The models announced on `models.v1`, by label cut-off. The portfolio
 * scores nothing itself; it needs to know which model's alphas a date has
 * (the scorer scores a date t with the model it holds at t's close: in a
 * point-in-time replay the one trained at the last retrain date before t)
 * and the model's horizon H, which the alpha rows do not carry.
 */
@Injectable()
export class ModelCatalog {
  private readonly models = new Map<string, CatalogModel>();

  constructor(
    @Inject(CONFIG) private readonly config: RegionConfig,
    @Inject(STORE) private readonly store: StorePort,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  get size(): number {
    return this.models.size;
  }

  has(modelVersion: string): boolean {
    return this.models.has(modelVersion);
  }

  /** Models with a cut-off before `day`, latest cut-off first (ties: the later announcement first). */
  before(day: number): CatalogModel[] {
    const list = [...this.models.values()].filter((m) => m.cutoffDay < day);
    const order = [...this.models.keys()];
    return list.sort(
      (a, b) => b.cutoffDay - a.cutoffDay || order.indexOf(b.modelVersion) - order.indexOf(a.modelVersion),
    );
  }

  /** Adds a model from its ModelTrained event; H from its manifest, else from what this service stored earlier. */
  async add(event: ModelTrainedEvent): Promise<CatalogModel | null> {
    if (event.region !== this.config.region) return null;
    const region = this.config.region;
    let horizonDays = horizonFromManifest(event.artifact_path, event.model_version);
    if (horizonDays === null) {
      const stored = await this.store.read(MODEL_HORIZONS_TABLE.name, { region });
      for (let r = 0; r < stored.length; r++)
        if (stored.instruments[stored.instrument[r]] === event.model_version)
          horizonDays = stored.columns.horizon_days[r];
    }
    if (horizonDays === null) {
      horizonDays = this.config.portfolio.horizon_days;
      this.logger.warn(
        `model ${event.model_version}: its manifest is no longer in ${event.artifact_path} and its horizon was never stored; ` +
          `using portfolio.horizon_days (${horizonDays})`,
      );
    } else {
      await this.store.write(MODEL_HORIZONS_TABLE.name, {
        region,
        length: 1,
        date: Int32Array.of(event.label_cutoff),
        instrument: Int32Array.of(0),
        instruments: [event.model_version],
        columns: { horizon_days: Float64Array.of(horizonDays) },
      });
    }
    const model: CatalogModel = {
      modelVersion: event.model_version,
      cutoffDay: event.label_cutoff,
      horizonDays,
    };
    this.models.delete(model.modelVersion);
    this.models.set(model.modelVersion, model);
    this.logger.info(
      `model ${model.modelVersion} known (label cut-off ${formatIsoDay(model.cutoffDay)}, H ${horizonDays.toFixed(2)} days)`,
    );
    return model;
  }
}

/**
 * H of the model set in `dir` if its manifest is that of `modelVersion`
 * (the trainer replaces the directory with each training): the horizons in
 * ascending order, `sum_k omega_k k`, as the point-in-time batch computes it.
 */
export function horizonFromManifest(dir: string, modelVersion: string): number | null {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) return null;
  let manifest: ManifestView;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as ManifestView;
  } catch {
    return null;
  }
  if (manifest.model_version !== modelVersion || manifest.horizons === undefined) return null;
  const weights = manifest.combination_weights ?? {};
  const horizons = Object.entries(manifest.horizons).sort((a, b) => a[1].horizon - b[1].horizon);
  let h = 0;
  for (const [name, { horizon }] of horizons) {
    const w = weights[name];
    if (typeof w !== 'number') return null;
    h += w * horizon;
  }
  return h;
}
