import { createRequire } from 'node:module';

// The drivers are the adapters' dependencies, not the examples': load them the way the adapters do.
const fromAdapters = createRequire(new URL('../../../packages/adapters/package.json', import.meta.url));

/** The part of a better-sqlite3 connection the tests read through, outside the storage port. */
export interface RawSqlite {
  readonly prepare: (sql: string) => { readonly all: (...params: unknown[]) => unknown[] };
  readonly close: () => void;
}

/** A read-only connection on a SQLite file, to look at rows without going through the storage. */
export const openRawSqlite = (filename: string): RawSqlite => {
  const Database = fromAdapters('better-sqlite3') as new (
    filename: string,
    options: { readonly readonly: boolean },
  ) => RawSqlite;
  return new Database(filename, { readonly: true });
};
