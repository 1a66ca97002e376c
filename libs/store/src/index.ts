export type { StorePort, KeyedColumns, TableSpec, ColumnKind, ReadQuery } from './store.port';
export { StoreError } from './errors';
export { EmbeddedStore } from './embedded.store';
export type { EmbeddedStoreOptions } from './embedded.store';
export { QuestDbStore } from './questdb.store';
export { questDbUrlFromEnv } from './questdb.options';
export type { QuestDbStoreOptions } from './questdb.options';
