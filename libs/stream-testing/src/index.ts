// Test support for the streaming services' specs and e2e specs; never imported by production code.
export { testConfig, waitFor } from './config.fixture';
export { featuresVersusBatch } from './features-versus-batch';
export { StreamTestBed, tableSnapshot } from './stream.test-bed';
export { ServiceProcess } from './service-processes';
export type { HealthBody, SpawnServiceOptions, MemoryTrack } from './service-processes';
export { writeMembershipCsv } from './membership.fixture';
