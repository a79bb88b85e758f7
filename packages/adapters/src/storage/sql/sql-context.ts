import type { DomainError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import { storageFailure } from '../storage-failure.js';
import type { Database } from './database.js';

export type Dialect = 'sqlite' | 'postgres';

/** Runs one SQL text with its parameters on the unit of work's connection. */
export type Execute = (sql: string, parameters: ReadonlyArray<unknown>) => Promise<QueryResult<unknown>>;

/** Through Kysely's connection, as any query it builds. */
export const executeThrough =
  (db: Kysely<Database>): Execute =>
  (sql, parameters) =>
    db.executeQuery(CompiledQuery.raw(sql, [...parameters]));

interface Failure {
  readonly error: DomainError;
  readonly cause: unknown;
}

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

  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    readonly claimLeaseMs: number,
    /** How compiled statements run (see compiled-statement.ts); Kysely's connection unless the dialect has better. */
    readonly execute: Execute = executeThrough(db),
  ) {}

  /**
   * Runs a statement; an exception becomes `STORAGE_FAILURE`. The first failure dooms the unit of work:
   * PostgreSQL refuses every later statement of an aborted transaction and would turn its COMMIT into a
   * silent ROLLBACK, so the unit of work is rolled back even if the work ignores the Left and returns Right.
   */
  run<A>(what: string, statement: (db: Kysely<Database>) => Promise<A>): TE.TaskEither<DomainError, A> {
    return async () => {
      if (!this.#open) return E.left(storageFailure('storage session used after its unit of work ended'));
      if (this.#failure !== undefined) return E.left(this.#failure.error);
      try {
        return E.right(await statement(this.db));
      } catch (cause) {
        const error = storageFailure(what, cause);
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
    then: (a: A) => E.Either<DomainError, B>,
  ): TE.TaskEither<DomainError, B> {
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
