/** `@paraphe/adapters/sqlite`: storage in one SQLite file. Needs `better-sqlite3` (an optional peer dependency). */
export {
  makeSqliteStorage,
  type SqliteStorage,
  type SqliteStorageOptions,
} from './storage/sqlite/sqlite-storage.js';
