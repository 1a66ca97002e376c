export type { StorePort, KeyedColumns, TableSpec, ColumnKind, ReadQuery } from './store.port';
