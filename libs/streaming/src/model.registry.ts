import { loadModelSet } from '@alphafeed/training';
import type { AlphaModels } from '@alphafeed/training';

/** A trained model set as the scorer needs it. */
export interface LoadedModelSet {
  readonly modelVersion: string;
  readonly configHash: string;
  readonly models: AlphaModels;
  /** Releases native resources (XGBoost boosters). */
  dispose(): void;
}

/**
 * Where the scorer gets the model set of a ModelTrained event. Inside one
 * process (`alphafeed serve`, `demo`, the e2e specs) the trainer puts the
 * fitted set here and the scorer takes it without a reload; a scorer in
 * another process loads the artifact directory named by `artifact_path`
 * (`loadModelSet` of @alphafeed/training) and checks that it still holds the
 * event's model_version (the directory is replaced atomically by the next
 * training run; an event overtaken by a newer model is skipped, the newer
 * event follows).
 */
export class ModelRegistry {
  private readonly sets = new Map<string, LoadedModelSet>();

  put(set: LoadedModelSet): void {
    this.sets.get(set.modelVersion)?.dispose();
    this.sets.set(set.modelVersion, set);
  }

  async get(modelVersion: string, artifactPath: string): Promise<LoadedModelSet> {
    const held = this.sets.get(modelVersion);
    if (held !== undefined) return held;
    const loaded = loadModelSet(artifactPath);
    if (loaded.manifest.model_version !== modelVersion) {
      loaded.dispose();
      throw new Error(
        `${artifactPath} now holds model ${loaded.manifest.model_version}, not ${modelVersion} (a newer training run replaced it); waiting for its ModelTrained event`,
      );
    }
    const set: LoadedModelSet = {
      modelVersion,
      configHash: loaded.manifest.config_hash,
      models: loaded.models,
      dispose: () => loaded.dispose(),
    };
    this.sets.set(modelVersion, set);
    return set;
  }

  disposeAll(): void {
    for (const s of this.sets.values()) s.dispose();
    this.sets.clear();
  }
}
