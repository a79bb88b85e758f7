import { statSync } from 'node:fs';
import type { Storage, StorageError } from '@paraphe/domain';
import type BetterSqlite3 from 'better-sqlite3';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { Kysely, type SqliteDatabase, SqliteDialect } from 'kysely';
import type { Database } from '../sql/database.js';
import { succeedOnce } from '../sql/memoized-task.js';
import { migrationsOnFirstUse } from '../sql/migrations.js';
import type { Execute } from '../sql/sql-context.js';
import { type FailureKind, failureOfKind, storageFailure } from '../storage-failure.js';
import { DEFAULT_CLAIM_LEASE_MS } from '../storage-rules.js';
import { type BackgroundCheckpointer, startBackgroundCheckpointer } from './sqlite-checkpointer.js';
import { type FileIdentity, recordFileIdentity } from './sqlite-file-identity.js';
import { makeGroupCommitUnitOfWork } from './sqlite-group-commit.js';
import { sqliteMigrationPlan } from './sqlite-migrations.js';
import { isFileDatabase, openSqlite, SqliteOpenRefused } from './sqlite-open.js';

export interface SqliteStorageOptions {
  /** A file path, or `':memory:'` for a private database that lives as long as this storage. */
  readonly filename: string;
  /** How long a writer waits for another process's write lock before failing (default 5 s). */
  readonly busyTimeoutMs?: number;
  /** How long `claimDue` keeps a claimed row from other claimers (default 5 minutes). */
  readonly claimLeaseMs?: number;
  /**
   * How many units of work started meanwhile one commit may carry (default 16; 1 commits each alone). A group
   * holds the file's write lock while it runs, so other processes wait for it as a whole.
   */
  readonly maxGroupSize?: number;
  /** Told after each commit how many units of work it carried, for metrics. */
  readonly onCommit?: (unitsOfWork: number) => void;
  /**
   * Who copies the WAL back into the database file (a file database only): `background` (the default), a thread
   * of this storage's own, so that no commit waits for it; `inline`, SQLite's own way, inside the commit that
   * takes the WAL past 1,000 pages.
   */
  readonly checkpoint?: 'background' | 'inline';
  /**
   * Refuse a missing database file instead of creating an empty one (default false), for deployments where the
   * database must already exist: a wrong path or a lost file then fails every unit of work instead of starting over.
   */
  readonly mustExist?: boolean;
}

const DEFAULT_MAX_GROUP_SIZE = 16;
// In WAL frames (pages): the background thread copies once 500 wait; the writer keeps an automatic checkpoint of
// its own at 10,000 (SQLite's default is 1,000), a bound on the WAL (about 40 MB) should the thread fall behind.
const CHECKPOINT_THRESHOLD_FRAMES = 500;
const FALLBACK_CHECKPOINT_FRAMES = 10_000;
const CHECKPOINT_POLL_MS = 10;
// The thread is an isolate of its own (several MB resident): it starts once this process's WAL has grown to where a
// checkpoint is due (the threshold's frames of 4 KB pages, SQLite's default), so a process that only starts, reads or
// writes little never pays for it. The WAL file keeps its size after checkpoints, so this is looked at until then:
// at open, then every sixteenth commit (the thread starts at most that many commits late; the WAL stays bounded).
const CHECKPOINTER_START_WAL_BYTES = CHECKPOINT_THRESHOLD_FRAMES * 4096;
const COMMITS_BETWEEN_WAL_LOOKS = 16;

export interface SqliteStorage extends Storage {
  /** Applies pending migrations now (otherwise the first unit of work does); re-runnable. */
  readonly migrate: () => TE.TaskEither<StorageError, ReadonlyArray<number>>;
  /** Closes the database; units of work fail afterwards. */
  readonly close: () => Promise<void>;
}

const classifySqlite = (cause: unknown): FailureKind => {
  const code = typeof cause === 'object' && cause !== null ? String((cause as { code?: unknown }).code) : '';
  if (code.startsWith('SQLITE_BUSY')) return 'transient';
  if (code === 'SQLITE_FULL') return 'disk-full';
  return 'other';
};

/** The size of the database's WAL file; 0 while there is none. */
const walBytes = (filename: string): number => {
  try {
    return statSync(`${filename}-wal`).size;
  } catch {
    return 0;
  }
};

const inBackground = (options: SqliteStorageOptions): boolean =>
  isFileDatabase(options.filename) && (options.checkpoint ?? 'background') === 'background';

const open = (options: SqliteStorageOptions): BetterSqlite3.Database =>
  openSqlite({
    filename: options.filename,
    busyTimeoutMs: options.busyTimeoutMs ?? 5000,
    mustExist: options.mustExist ?? false,
    ...(inBackground(options) ? { walAutocheckpoint: FALLBACK_CHECKPOINT_FRAMES } : {}),
  });

/** What a unit of work reports when the database could not be opened. */
const openFailure = (cause: unknown): StorageError =>
  cause instanceof SqliteOpenRefused
    ? storageFailure(cause.reason, cause.driverError)
    : failureOfKind(classifySqlite(cause), 'opening the database failed', cause);

/**
 * The connection as Kysely sees it, with its statements prepared once: Kysely prepares every query it runs,
 * and preparing costs more than running the short statements of a unit of work. Kysely runs one statement at
 * a time on this connection (`all`/`run`, never a lingering iterator), so reusing a statement is safe. The
 * cache is bounded: multi-row inserts make a distinct text per row count.
 */
const withStatementCache = (
  db: BetterSqlite3.Database,
): SqliteDatabase & { readonly execute: Execute; readonly inTransaction: () => boolean } => {
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      if (statements.size >= 500) statements.clear();
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  return {
    close: () => db.close(),
    prepare,
    inTransaction: () => db.inTransaction,
    // What Kysely's SQLite connection does with a compiled query, without its executor around it: the compiled
    // statements of a unit of work run here, on the connection the unit of work holds (better-sqlite3 is
    // synchronous, so nothing else runs on it meanwhile).
    execute: async (sql, parameters) => {
      const statement = prepare(sql);
      if (statement.reader) return { rows: statement.all(parameters) };
      const { changes } = statement.run(parameters);
      return { numAffectedRows: BigInt(changes), rows: [] };
    },
  };
};

/**
 * Storage in one SQLite database (better-sqlite3), the embedded default. Units of work of this process run
 * one at a time on its one connection, those started meanwhile committed together (sqlite-group-commit.ts);
 * every transaction starts with BEGIN IMMEDIATE, which takes the database's write lock up front, so units of
 * work of several processes on one file serialise too, and a balance read "for update" cannot be spent twice.
 */
export const makeSqliteStorage = (options: SqliteStorageOptions): SqliteStorage => {
  let opened: ReturnType<typeof withStatementCache> | undefined;
  let checkpointer: BackgroundCheckpointer | undefined;
  let identity: FileIdentity | undefined;
  // Once the files were found deleted or replaced, for good: this instance must be restarted on the right file.
  let untrusted: StorageError | undefined;
  const db = new Kysely<Database>({
    // Opened on first use, so that a bad path is a Left of the first unit of work, not a throw here. A refused
    // open (a read-only file…) closes what it opened; Kysely calls this again on the next use.
    dialect: new SqliteDialect({
      database: async () => {
        opened = withStatementCache(open(options));
        if (isFileDatabase(options.filename)) identity = recordFileIdentity(options.filename);
        startCheckpointerOnceDue();
        return opened;
      },
    }),
  });
  let commits = 0;
  const startCheckpointerOnceDue = () => {
    if (checkpointer !== undefined || !inBackground(options)) return;
    if (walBytes(options.filename) < CHECKPOINTER_START_WAL_BYTES) return;
    checkpointer = startBackgroundCheckpointer({
      filename: options.filename,
      thresholdFrames: CHECKPOINT_THRESHOLD_FRAMES,
      pollMs: CHECKPOINT_POLL_MS,
    });
  };
  // Acquiring Kysely's connection opens the database the first time, and again after a refused open.
  const connect = succeedOnce(TE.tryCatch(() => db.connection().execute(async () => undefined), openFailure));
  const { migrate, ready } = migrationsOnFirstUse(db, sqliteMigrationPlan);
  const beforeEach: TE.TaskEither<StorageError, void> = async () => {
    if (untrusted !== undefined) return E.left(untrusted);
    const connected = await connect();
    return E.isLeft(connected) ? connected : ready();
  };
  // Before each group's COMMIT: commits to a file deleted or replaced under this connection would be lost.
  const refuseCommit = (): StorageError | undefined => {
    const changed = untrusted === undefined ? identity?.check() : undefined;
    if (changed !== undefined)
      untrusted = storageFailure(
        `${changed}: writes are refused, they would be lost; restart on the right file`,
      );
    return untrusted;
  };
  const unitOfWork = makeGroupCommitUnitOfWork({
    db,
    classify: classifySqlite,
    maxAttempts: 3,
    claimLeaseMs: options.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS,
    beforeEach,
    refuseCommit,
    // The one connection Kysely opened: a group of units of work holds it for its whole run.
    executor: () => opened?.execute,
    inTransaction: () => opened?.inTransaction() ?? false,
    maxGroupSize: options.maxGroupSize ?? DEFAULT_MAX_GROUP_SIZE,
    onCommit: (unitsOfWork) => {
      commits += 1;
      if (commits % COMMITS_BETWEEN_WAL_LOOKS === 0) startCheckpointerOnceDue();
      options.onCommit?.(unitsOfWork);
    },
  });
  return {
    unitOfWork,
    migrate: () => pipe(connect, TE.chain(migrate)),
    close: async () => {
      await db.destroy();
      await checkpointer?.stop();
    },
  };
};
