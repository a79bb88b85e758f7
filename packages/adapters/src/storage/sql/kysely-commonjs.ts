import { createRequire } from 'node:module';
import type * as KyselyModule from 'kysely';

/**
 * Kysely's values, loaded through its CommonJS build (its package ships both, and `require` is one of its exports'
 * conditions): Node loads the same modules through its CommonJS loader for about 6 MB less resident memory than
 * through its ES-module loader (import-cost bench), at the start of every process that configures SQL storage.
 * Types still come from `kysely`.
 */
const kysely = createRequire(import.meta.url)('kysely') as typeof KyselyModule;

export const Kysely: typeof KyselyModule.Kysely = kysely.Kysely;
export const SqliteDialect: typeof KyselyModule.SqliteDialect = kysely.SqliteDialect;
export const PostgresDialect: typeof KyselyModule.PostgresDialect = kysely.PostgresDialect;
export const CompiledQuery: typeof KyselyModule.CompiledQuery = kysely.CompiledQuery;
export const sql: typeof KyselyModule.sql = kysely.sql;
