/** The `alphafeed` CLI's public surface: the program, and the composition roots the benchmarks and e2e specs reuse. */
export { runCli, describeFailure } from './main';
export { startServices, parseOnly, SERVICE_NAMES } from './commands/serve.command';
export type { RunningServices, ServiceName, StartServicesOptions } from './commands/serve.command';
export { replayPanel } from './commands/replay.command';
export type { ReplayPanelOptions } from './commands/replay.command';
export { replayPointInTime, batchFrames, pitScheduleOf } from './pit-replay';
export type { PitReplayHooks, PitReplayOptions, PitReplayResult } from './pit-replay';
export { compareStoredAlphas, compareStoredTargets, batchTargets } from './pit-replay.check';
export type { AlphaComparison, TargetComparison } from './pit-replay.check';
