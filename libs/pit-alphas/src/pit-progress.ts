/**
 * A progress bar for a point-in-time run, drawn with core's `Progress`:
 * counted in thousands of feature rows trained on, because a training's
 * cost grows with its window (the last of an expanding run costs several
 * times the first), so an ETA over rows is fairer than one over trainings.
 * The CLI and the bench pass it as `onProgress`; a log line per finished
 * training (the lib's logger) names the training count.
 */
import { Progress, type ProgressOptions } from '@alphafeed/core';
import type { PitProgressEvent } from './point-in-time-alphas';

export function pitProgressBar(options: ProgressOptions = {}): (event: PitProgressEvent) => void {
  let bar: Progress | null = null;
  return (e) => {
    bar ??= new Progress('pit alphas', Math.ceil(e.totalWork / 1000), { unit: 'k rows trained', ...options });
    bar.update(Math.floor(e.work / 1000));
    if (e.finished && e.training === e.trainings) bar.finish();
  };
}
