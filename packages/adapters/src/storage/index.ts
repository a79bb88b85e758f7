export { type InMemoryStorageOptions, makeInMemoryStorage } from './in-memory/in-memory-storage.js';
export {
  makePostgresStorage,
  type PostgresStorage,
  type PostgresStorageOptions,
} from './postgres/postgres-storage.js';
export { makeSqliteStorage, type SqliteStorage, type SqliteStorageOptions } from './sqlite/sqlite-storage.js';
export { DEFAULT_CLAIM_LEASE_MS } from './storage-rules.js';
