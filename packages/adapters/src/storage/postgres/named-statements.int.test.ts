import type { StorageSession } from '@paraphe/domain';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  createSchema,
  describeOnPostgres,
  findPostgres,
  type SchemaScope,
} from '../test-support/postgres-test-database.js';
import { pendingProcedure } from '../test-support/procedure-fixtures.js';
import { assertRight, runRight } from '../test-support/run-work.js';
import { withNamedStatements } from './named-statements.js';
import { makePostgresStorage } from './postgres-storage.js';

const config = await findPostgres();

/** The prepared statements of the pool's one connection, as the server lists them. */
const preparedOn = async (pool: pg.Pool): Promise<ReadonlyArray<{ name: string; statement: string }>> =>
  (await pool.query('select name, statement from pg_prepared_statements order by name')).rows;

const insertAndRead = (id: string) => (s: StorageSession) =>
  TE.chain(() => s.procedures.get(id))(s.procedures.insert(pendingProcedure({ id }).procedure));

describeOnPostgres('postgres named statements', config, (config) => {
  let scope: SchemaScope;
  beforeEach(async () => {
    scope = await createSchema(config);
  });
  afterEach(async () => {
    await scope.drop();
  });

  it('prepares each statement with parameters once per connection and reuses it', async () => {
    const pool = scope.pool(1);
    const storage = makePostgresStorage({ pool });
    assertRight(await storage.migrate()());
    expect(O.isSome(await runRight(storage, insertAndRead('p-1')))).toBe(true);
    const first = await preparedOn(pool);
    expect(first.length).toBeGreaterThan(0);
    expect(first.every(({ name }) => /^paraphe_[0-9a-f]{32}$/.test(name))).toBe(true);
    expect(first.some(({ statement }) => /insert into "procedures"/.test(statement))).toBe(true);
    // BEGIN, COMMIT and the migrations carry no parameters: they stay unnamed.
    expect(first.some(({ statement }) => /^(begin|commit)$/i.test(statement.trim()))).toBe(false);
    expect(O.isSome(await runRight(storage, insertAndRead('p-2')))).toBe(true);
    expect(await preparedOn(pool)).toStrictEqual(first);
    await storage.close();
  });

  it('prepares nothing when told not to', async () => {
    const pool = scope.pool(1);
    const storage = makePostgresStorage({ pool, preparedStatements: false });
    expect(O.isSome(await runRight(storage, insertAndRead('p-1')))).toBe(true);
    expect(await preparedOn(pool)).toStrictEqual([]);
    await storage.close();
  });

  it('lets two storages share one connection: a text has the same name in both', async () => {
    const pool = scope.pool(1);
    const first = makePostgresStorage({ pool });
    const second = makePostgresStorage({ pool });
    assertRight(await first.migrate()());
    // Different statements first, in each storage, then each other's: names must not collide.
    await runRight(first, (s) => s.procedures.insert(pendingProcedure({ id: 'p-1' }).procedure));
    await runRight(second, (s) => s.procedures.get('p-1'));
    expect(O.isSome(await runRight(first, (s) => s.procedures.get('p-1')))).toBe(true);
    expect(O.isSome(await runRight(second, insertAndRead('p-2')))).toBe(true);
    await Promise.all([first.close(), second.close()]);
  });

  it('names at most the bound of distinct texts and runs the others unnamed', async () => {
    const pool = scope.pool(1);
    const named = withNamedStatements(pool, 2);
    const client = await named.connect();
    const texts = ['select $1::int as v', 'select $1::int + 1 as v', 'select $1::int + 2 as v'];
    for (const text of texts) await client.query(text, [1]);
    const values: unknown[] = [];
    for (const text of texts) values.push((await client.query(text, [40])).rows);
    client.release();
    expect(values).toStrictEqual([[{ v: 40 }], [{ v: 41 }], [{ v: 42 }]]);
    expect((await preparedOn(pool)).map(({ statement }) => statement)).toStrictEqual(
      expect.arrayContaining(texts.slice(0, 2)),
    );
    expect(await preparedOn(pool)).toHaveLength(2);
  });
});
