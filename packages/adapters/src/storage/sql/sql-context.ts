import type { StorageError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import { type FailureKind, failureOfKind, storageFailure } from '../storage-failure.js';
import type { BoundStatement } from './compiled-statement.js';
import type { Database } from './database.js';

export type Dialect = 'sqlite' | 'postgres';

const orProblem = (problem: StorageError | undefined): E.Either<StorageError, void> =>
  problem === undefined ? E.right(undefined) : E.left(problem);

/** Runs one SQL text with its parameters on the unit of work's connection. */
export type Execute = (sql: string, parameters: ReadonlyArray<unknown>) => Promise<QueryResult<unknown>>;

/** Through Kysely's connection, as any query it builds. */
export const executeThrough =
  (db: Kysely<Database>): Execute =>
  (sql, parameters) =>
    db.executeQuery(CompiledQuery.raw(sql, [...parameters]));

interface Failure {
  readonly error: StorageError;
  readonly cause: unknown;
}

/** A write whose outcome the unit of work does not need at once (see `SqlContext.write`). */
export interface Write {
  /** The row it writes: two writes of one row never share a combined statement. */
  readonly row: string;
  /** One INSERT or UPDATE, without a WITH clause or RETURNING, compiled with `$n` placeholders. */
  readonly statement: BoundStatement;
  /** What the number of rows written means: an error, or undefined when it is as expected. */
  readonly check?: (rowsWritten: number) => StorageError | undefined | Promise<StorageError | undefined>;
}

interface PendingWrite extends Write {
  readonly what: string;
}

/**
 * Several writes as one PostgreSQL statement: each a data-modifying CTE, their placeholders renumbered, and the
 * rows each wrote counted. The writes touch different rows (see `Write.row`), so the order in which PostgreSQL
 * runs the CTEs does not matter.
 */
const combined = (writes: ReadonlyArray<PendingWrite>): BoundStatement => {
  let offset = 0;
  const parts: string[] = [];
  const parameters: unknown[] = [];
  writes.forEach((write, i) => {
    const shift = offset;
    parts.push(
      `w${i} as (${write.statement.sql.replace(/\$(\d+)/g, (_, n) => `$${Number(n) + shift}`)} returning 1)`,
    );
    parameters.push(...write.statement.parameters);
    offset += write.statement.parameters.length;
  });
  const counts = writes.map((_, i) => `(select count(*) from w${i})::int as c${i}`).join(', ');
  return { sql: `with ${parts.join(', ')} select ${counts}`, parameters };
};

/** What the stores of one unit of work share: its connection, its dialect and whether a statement failed. */
export class SqlContext {
  #failure: Failure | undefined;
  #open = true;

  /**
   * Settings column values (null: no tenants row) read by the statement that locked a tenant's balance, for the
   * tenant store's next `getSettings` of that tenant in this unit of work: a send reads both, and one statement
   * saves a round trip. Taken once; saving the tenant's settings drops it.
   */
  readonly prefetchedSettings = new Map<string, unknown>();

  #pending: PendingWrite[] = [];

  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    readonly claimLeaseMs: number,
    /** How compiled statements run (see compiled-statement.ts); Kysely's connection unless the dialect has better. */
    readonly execute: Execute = executeThrough(db),
    /** What a driver's error means (see storage-failure.ts): it decides whether the Left says `retryable`. */
    readonly classify: (cause: unknown) => FailureKind = () => 'other',
  ) {}

  /**
   * Writes whose outcome nothing reads before the unit of work goes on. On PostgreSQL they wait, and all the
   * writes waiting when the next statement runs (or the unit of work ends) go to the server as one statement:
   * a send's procedure, ledger entry, balance, document and invitation cost one round trip instead of five. A
   * `check` that finds a problem then fails that statement and dooms the unit of work, which is rolled back.
   * On SQLite, where a statement costs no round trip, they run at once and a problem is this call's Left.
   */
  write(what: string, writes: ReadonlyArray<Write>): TE.TaskEither<StorageError, void> {
    if (this.dialect !== 'postgres') return this.runThen(what, () => this.#writeNow(writes), orProblem);
    return async () => {
      const refused = this.#refusal();
      if (refused !== undefined) return refused;
      const rows = new Set(writes.map((write) => write.row));
      if (this.#pending.some((write) => rows.has(write.row))) {
        const flushed = await this.flush();
        if (E.isLeft(flushed)) return flushed;
      }
      for (const write of writes) this.#pending.push({ ...write, what });
      return E.right(undefined);
    };
  }

  /** A closed session, or one whose unit of work is already doomed, runs nothing more. */
  #refusal(): E.Either<StorageError, never> | undefined {
    if (!this.#open) return E.left(storageFailure('storage session used after its unit of work ended'));
    return this.#failure === undefined ? undefined : E.left(this.#failure.error);
  }

  async #rowsWritten(statement: BoundStatement): Promise<number> {
    return Number((await this.execute(statement.sql, statement.parameters)).numAffectedRows ?? 0n);
  }

  async #writeNow(writes: ReadonlyArray<Write>): Promise<StorageError | undefined> {
    for (const write of writes) {
      const rowsWritten = await this.#rowsWritten(write.statement);
      const problem = await write.check?.(rowsWritten);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }

  /** Sends the waiting writes, if any; called before every other statement and before the commit. */
  async flush(): Promise<E.Either<StorageError, void>> {
    const writes = this.#pending;
    if (writes.length === 0) return E.right(undefined);
    this.#pending = [];
    const what = [...new Set(writes.map((write) => write.what))].join(', ');
    try {
      const counts =
        writes.length === 1
          ? [await this.#rowsWritten(writes[0]!.statement)]
          : await this.#combinedCounts(writes);
      for (let i = 0; i < writes.length; i++) {
        const problem = await writes[i]!.check?.(counts[i]!);
        if (problem !== undefined) {
          this.#failure = { error: problem, cause: problem };
          return E.left(problem);
        }
      }
      return E.right(undefined);
    } catch (cause) {
      const error = failureOfKind(this.classify(cause), what, cause);
      this.#failure = { error, cause };
      return E.left(error);
    }
  }

  async #combinedCounts(writes: ReadonlyArray<PendingWrite>): Promise<number[]> {
    const { sql, parameters } = combined(writes);
    const row = (await this.execute(sql, parameters)).rows[0] as Record<string, number>;
    return writes.map((_, i) => row[`c${i}`] ?? 0);
  }

  /**
   * Runs a statement; an exception becomes `STORAGE_FAILURE`. The first failure dooms the unit of work:
   * PostgreSQL refuses every later statement of an aborted transaction and would turn its COMMIT into a
   * silent ROLLBACK, so the unit of work is rolled back even if the work ignores the Left and returns Right.
   */
  run<A>(what: string, statement: (db: Kysely<Database>) => Promise<A>): TE.TaskEither<StorageError, A> {
    return async () => {
      const refused = this.#refusal();
      if (refused !== undefined) return refused;
      // Waiting writes first: the statement may read what they write, and errors keep their order.
      if (this.#pending.length > 0) {
        const flushed = await this.flush();
        if (E.isLeft(flushed)) return flushed;
      }
      try {
        return E.right(await statement(this.db));
      } catch (cause) {
        const error = failureOfKind(this.classify(cause), what, cause);
        this.#failure = { error, cause };
        return E.left(error);
      }
    };
  }

  /**
   * `run`, then a decoding step on its result: `pipe(run(…), TE.chainEitherK(then))` without the pipeline, for the
   * statements every send runs. A Left of `then` (a row that does not decode) does not doom the unit of work.
   */
  runThen<A, B>(
    what: string,
    statement: (db: Kysely<Database>) => Promise<A>,
    then: (a: A) => E.Either<StorageError, B>,
  ): TE.TaskEither<StorageError, B> {
    const ran = this.run(what, statement);
    return async () => {
      const result = await ran();
      return E.isLeft(result) ? result : then(result.right);
    };
  }

  get failure(): Failure | undefined {
    return this.#failure;
  }

  close(): void {
    this.#open = false;
  }
}
