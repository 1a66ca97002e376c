export type { StorePort, KeyedColumns, TableSpec, ColumnKind, ReadQuery } from './store.port';
export { StoreError } from './errors';
export { EmbeddedStore } from './embedded.store';
export type { EmbeddedStoreOptions } from './embedded.store';
