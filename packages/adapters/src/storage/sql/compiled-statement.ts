import type { Compilable, Kysely, QueryResult } from 'kysely';
import type { Database } from './database.js';
import type { Dialect, SqlContext } from './sql-context.js';

/**
 * A placeholder for the i-th argument of a compiled statement. It is a string so that every builder method accepts
 * it (cast to the column's type); it holds a NUL, which no value the stores bind as a parameter contains.
 */
const SLOT_PREFIX = '\u0000paraphe-slot:';
const slotIndex = (value: unknown): number | undefined =>
  typeof value === 'string' && value.startsWith(SLOT_PREFIX)
    ? Number(value.slice(SLOT_PREFIX.length))
    : undefined;

/** The i-th argument of the statement, typed as whatever the builder expects there. */
// biome-ignore lint/suspicious/noExplicitAny: a placeholder stands for a value of any column type.
export type Slot = (index: number) => any;
const slot: Slot = (index) => `${SLOT_PREFIX}${index}`;

interface Compiled {
  readonly sql: string;
  /** For each bound parameter: the index of the argument it takes, or the constant the builder put there. */
  readonly bindings: ReadonlyArray<{ readonly argument: number } | { readonly constant: unknown }>;
}

/**
 * A statement built with Kysely once per dialect and then run with new arguments each time. Building and compiling a
 * Kysely query costs more than running the short statements of a unit of work on SQLite, and the hot statements
 * (a send, a signer step) have a fixed shape: only their values change. The SQL is exactly what the builder
 * compiles, so both dialects keep one definition; the arguments are bound in order, as parameters.
 */
export const compiledStatement = <R>(
  build: (db: Kysely<Database>, slot: Slot, dialect: Dialect) => Compilable<R>,
) => {
  const byDialect = new Map<Dialect, Compiled>();
  const compile = (db: Kysely<Database>, dialect: Dialect): Compiled => {
    let compiled = byDialect.get(dialect);
    if (compiled === undefined) {
      const query = build(db, slot, dialect).compile();
      compiled = {
        sql: query.sql,
        bindings: query.parameters.map((value) => {
          const argument = slotIndex(value);
          return argument === undefined ? { constant: value } : { argument };
        }),
      };
      byDialect.set(dialect, compiled);
    }
    return compiled;
  };
  /** The statement's text and parameters for these arguments, to run later (see `SqlContext.write`). */
  const boundTo = (context: SqlContext, args: ReadonlyArray<unknown>): BoundStatement => {
    const { sql, bindings } = compile(context.db, context.dialect);
    const parameters = bindings.map((binding) =>
      'argument' in binding ? args[binding.argument] : binding.constant,
    );
    return { sql, parameters };
  };
  const run = (context: SqlContext, args: ReadonlyArray<unknown>): Promise<QueryResult<R>> => {
    const { sql, parameters } = boundTo(context, args);
    return context.execute(sql, parameters) as Promise<QueryResult<R>>;
  };
  return Object.assign(run, { boundTo });
};

export interface BoundStatement {
  readonly sql: string;
  readonly parameters: ReadonlyArray<unknown>;
}
