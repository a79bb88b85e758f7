import type { DomainError, Storage } from '@paraphe/domain';
import BetterSqlite3 from 'better-sqlite3';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { Kysely, type SqliteDatabase, SqliteDialect } from 'kysely';
import type { Database } from '../sql/database.js';
import { migrationsOnFirstUse } from '../sql/migrations.js';
import type { Execute } from '../sql/sql-context.js';
import type { FailureKind } from '../storage-failure.js';
import { DEFAULT_CLAIM_LEASE_MS } from '../storage-rules.js';
import { type BackgroundCheckpointer, startBackgroundCheckpointer } from './sqlite-checkpointer.js';
import { makeGroupCommitUnitOfWork } from './sqlite-group-commit.js';
import { sqliteMigrationPlan } from './sqlite-migrations.js';

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
}

const DEFAULT_MAX_GROUP_SIZE = 16;
// In WAL frames (pages): the background thread copies once 500 wait; the writer keeps an automatic checkpoint of
// its own at 10,000 (SQLite's default is 1,000), a bound on the WAL (about 40 MB) should the thread fall behind.
const CHECKPOINT_THRESHOLD_FRAMES = 500;
const FALLBACK_CHECKPOINT_FRAMES = 10_000;
const CHECKPOINT_POLL_MS = 10;

export interface SqliteStorage extends Storage {
  /** Applies pending migrations now (otherwise the first unit of work does); re-runnable. */
  readonly migrate: () => TE.TaskEither<DomainError, ReadonlyArray<number>>;
  /** Closes the database; units of work fail afterwards. */
  readonly close: () => Promise<void>;
}

const classifySqlite = (cause: unknown): FailureKind => {
  const code = typeof cause === 'object' && cause !== null ? String((cause as { code?: unknown }).code) : '';
  if (code.startsWith('SQLITE_BUSY')) return 'transient';
  if (code === 'SQLITE_FULL') return 'disk-full';
  return 'other';
};

const inBackground = (options: SqliteStorageOptions): boolean =>
  options.filename !== ':memory:' &&
  options.filename !== '' &&
  (options.checkpoint ?? 'background') === 'background';

const open = (options: SqliteStorageOptions): BetterSqlite3.Database => {
  const db = new BetterSqlite3(options.filename);
  // WAL lets readers of other processes proceed during a write; NORMAL sync is durable across process
  // crashes in WAL mode (a power loss may lose the last commits, never corrupt the file).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
  db.pragma('foreign_keys = ON');
  if (inBackground(options)) db.pragma(`wal_autocheckpoint = ${FALLBACK_CHECKPOINT_FRAMES}`);
  return db;
};

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
  const db = new Kysely<Database>({
    // Opened on first use, so that a bad path is a Left of the first unit of work, not a throw here.
    dialect: new SqliteDialect({
      database: async () => {
        opened = withStatementCache(open(options));
        if (inBackground(options))
          checkpointer = startBackgroundCheckpointer({
            filename: options.filename,
            thresholdFrames: CHECKPOINT_THRESHOLD_FRAMES,
            pollMs: CHECKPOINT_POLL_MS,
          });
        return opened;
      },
    }),
  });
  const { migrate, ready } = migrationsOnFirstUse(db, sqliteMigrationPlan);
  const unitOfWork = makeGroupCommitUnitOfWork({
    db,
    classify: classifySqlite,
    maxAttempts: 3,
    claimLeaseMs: options.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS,
    beforeEach: ready,
    // The one connection Kysely opened: a group of units of work holds it for its whole run.
    executor: () => opened?.execute,
    inTransaction: () => opened?.inTransaction() ?? false,
    maxGroupSize: options.maxGroupSize ?? DEFAULT_MAX_GROUP_SIZE,
    ...(options.onCommit === undefined ? {} : { onCommit: options.onCommit }),
  });
  return {
    unitOfWork,
    migrate,
    close: async () => {
      await db.destroy();
      await checkpointer?.stop();
    },
  };
};
