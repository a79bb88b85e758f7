import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

export interface SqliteOpenOptions {
  /** A file path, or `':memory:'`. */
  readonly filename: string;
  readonly busyTimeoutMs: number;
  /** Refuse a missing file instead of creating an empty database. */
  readonly mustExist: boolean;
  /** SQLite's automatic checkpoint threshold, in WAL frames. */
  readonly walAutocheckpoint?: number;
}

/** The database cannot be used as it is; `reason` says why, for the unit of work's STORAGE_FAILURE. */
export class SqliteOpenRefused extends Error {
  constructor(
    readonly reason: string,
    readonly driverError?: unknown,
  ) {
    super(reason);
    this.name = 'SqliteOpenRefused';
  }
}

export const isFileDatabase = (filename: string): boolean => filename !== ':memory:' && filename !== '';

/**
 * Opens a connection that can write the database, or throws: `SqliteOpenRefused` for a file it must not or cannot
 * use (missing beside its WAL, missing under `mustExist`, read-only), the driver's error otherwise (SQLITE_BUSY
 * when another process held the write lock past the busy timeout).
 */
export const openSqlite = (options: SqliteOpenOptions): BetterSqlite3.Database => {
  const { filename } = options;
  const file = isFileDatabase(filename);
  if (file) refuseMissing(filename, options.mustExist);
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(filename, { fileMustExist: file && options.mustExist });
  } catch (cause) {
    throw refusalOf(filename, cause) ?? cause;
  }
  try {
    // WAL lets readers of other processes proceed during a write; NORMAL sync is durable across process
    // crashes in WAL mode (a power loss may lose the last commits, never corrupt the file).
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`);
    db.pragma('foreign_keys = ON');
    if (options.walAutocheckpoint !== undefined)
      db.pragma(`wal_autocheckpoint = ${options.walAutocheckpoint}`);
    if (file) probeWrite(db);
    return db;
  } catch (cause) {
    db.close();
    throw refusalOf(filename, cause) ?? cause;
  }
};

/**
 * A missing database beside a WAL with content: the WAL holds commits of a file that is gone (deleted, or moved
 * without its WAL), and SQLite would replay them onto a new empty file. Under `mustExist`, any missing file.
 */
const refuseMissing = (filename: string, mustExist: boolean): void => {
  if (existsSync(filename)) return;
  if ((statSync(`${filename}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0)
    throw new SqliteOpenRefused(
      'database file is missing but its -wal file is not: the WAL holds commits of a database that is gone; ' +
        'restore the database file, or move the -wal away to start empty',
    );
  if (mustExist) throw new SqliteOpenRefused('database file does not exist (mustExist)');
};

/**
 * better-sqlite3 opens a file it cannot write read-only without a word (SQLite's unix VFS retries O_RDONLY), and
 * in WAL mode even BEGIN IMMEDIATE succeeds on it (the write lock lives in the -shm). Setting `user_version` to
 * its own value needs page 1 writable: on such a file it fails with SQLITE_READONLY; the rollback writes nothing.
 */
const probeWrite = (db: BetterSqlite3.Database): void => {
  db.exec('begin immediate');
  try {
    db.pragma(`user_version = ${Number(db.pragma('user_version', { simple: true }))}`);
  } finally {
    if (db.inTransaction) db.exec('rollback');
  }
};

const codeOf = (cause: unknown): string =>
  typeof cause === 'object' && cause !== null ? String((cause as { code?: unknown }).code) : '';

const onReadOnlyFileSystem = (filename: string): boolean => {
  try {
    accessSync(dirname(filename), constants.W_OK);
    return false;
  } catch (error) {
    return codeOf(error) === 'EROFS';
  }
};

/** The reason a driver's error at open gives a caller, when it is one they can act on. */
const refusalOf = (filename: string, cause: unknown): SqliteOpenRefused | undefined => {
  const code = codeOf(cause);
  if (code === 'SQLITE_READONLY_DIRECTORY')
    return new SqliteOpenRefused(
      'database directory is read-only: SQLite cannot create the -wal and -shm files beside the database',
      cause,
    );
  if (code.startsWith('SQLITE_READONLY')) return new SqliteOpenRefused('database file is read-only', cause);
  if (code === 'SQLITE_CANTOPEN')
    // On a read-only file system SQLite cannot create the -shm, and says only that it cannot open the file.
    return new SqliteOpenRefused(
      onReadOnlyFileSystem(filename)
        ? 'database file is read-only (read-only file system)'
        : 'database file cannot be opened',
      cause,
    );
  return undefined;
};
