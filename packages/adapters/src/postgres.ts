/** `@paraphe/adapters/postgres`: storage in PostgreSQL. Needs `pg` (an optional peer dependency). */
export {
  makePostgresStorage,
  type PostgresStorage,
  type PostgresStorageOptions,
} from './storage/postgres/postgres-storage.js';
