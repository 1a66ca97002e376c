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
 * Where the trainer puts a model set and the scorer gets it back from the
 * `artifact_path` of a ModelTrained event. The trainer writes the artifact
 * directory (`writeArtifacts`) for people and other processes; inside one
 * process (`alphafeed serve`, `demo`, the e2e tests) the scorer takes the
 * fitted models from this registry directly, so a hot swap costs no reload.
 * A scorer in another process needs a loader for the artifact directory
 * (`loadModelSet` of @alphafeed/training) set with `setLoader`.
 */
export class ModelRegistry {
  private readonly sets = new Map<string, LoadedModelSet>();
  private loader: ((artifactPath: string) => Promise<LoadedModelSet>) | null = null;

  put(artifactPath: string, set: LoadedModelSet): void {
    this.sets.get(artifactPath)?.dispose();
    this.sets.set(artifactPath, set);
  }

  setLoader(loader: (artifactPath: string) => Promise<LoadedModelSet>): void {
    this.loader = loader;
  }

  async get(artifactPath: string): Promise<LoadedModelSet> {
    const set = this.sets.get(artifactPath);
    if (set !== undefined) return set;
    if (this.loader === null) {
      throw new Error(
        `model set ${artifactPath} is not in this process and no artifact loader is configured; run the scorer in the trainer's process (alphafeed serve) or configure the artifact loader`,
      );
    }
    const loaded = await this.loader(artifactPath);
    this.sets.set(artifactPath, loaded);
    return loaded;
  }

  disposeAll(): void {
    for (const s of this.sets.values()) s.dispose();
    this.sets.clear();
  }
}
