/** `@paraphe/adapters/sqlite`: storage in one SQLite file. Needs `better-sqlite3` (an optional peer dependency). */
export {
  bindingProblemOf,
  type SqliteBindingProblem,
  sqliteBindingProblem,
} from './storage/sqlite/sqlite-binding.js';
export {
  makeSqliteStorage,
  type SqliteStorage,
  type SqliteStorageOptions,
} from './storage/sqlite/sqlite-storage.js';
