import BetterSqlite3 from 'better-sqlite3';

/**
 * Why better-sqlite3's native module does not load, in the two cases a rebuild fixes: never built (pnpm 10 and later
 * install it without running its build script until the build is approved), or built for another Node version.
 */
export type SqliteBindingProblem = 'not-built' | 'built-for-another-node';

/** The problem `cause` (what opening a database threw) shows, if it is one of those two. */
export const bindingProblemOf = (cause: unknown): SqliteBindingProblem | undefined => {
  if (!(cause instanceof Error)) return undefined;
  // Thrown by the `bindings` package better-sqlite3 loads its module with, when no build output exists.
  if (cause.message.startsWith('Could not locate the bindings file')) return 'not-built';
  const code = (cause as { code?: unknown }).code;
  if (code === 'ERR_DLOPEN_FAILED' && cause.message.includes('NODE_MODULE_VERSION'))
    return 'built-for-another-node';
  return undefined;
};

/**
 * Loads better-sqlite3's native module now, by opening and closing an in-memory database: the driver loads it only
 * when a database is first opened, so an unbuilt one would otherwise show as a storage failure of the first call.
 * Any other failure is left to the opening of the real database, which reports it.
 */
export const sqliteBindingProblem = (
  open: () => { close(): unknown } = () => new BetterSqlite3(':memory:'),
): SqliteBindingProblem | undefined => {
  try {
    open().close();
    return undefined;
  } catch (cause) {
    return bindingProblemOf(cause);
  }
};
