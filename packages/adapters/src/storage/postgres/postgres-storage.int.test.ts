import { describe, expect, it } from 'vitest';
import { describeStorageContract } from '../storage.contract.js';
import { flatBody, flatRowValues, insertFlatRow } from '../test-support/flat-procedure-body.js';
import { expectFlatRowKeptByMigration } from '../test-support/migrated-flat-row.js';
import {
  createSchema,
  describeOnPostgres,
  findPostgres,
  freshPostgresStorage,
} from '../test-support/postgres-test-database.js';
import { assertRight } from '../test-support/run-work.js';
import { postgresMigrationPlan } from './postgres-migrations.js';
import { makePostgresStorage } from './postgres-storage.js';

const config = await findPostgres();

describeOnPostgres('postgres storage', config, (config) => {
  describeStorageContract('postgres', () => freshPostgresStorage(config));

  describe('postgres migrations', () => {
    it('applies the schema once, records it, and is safe to run from two instances at once', async () => {
      const scope = await createSchema(config);
      try {
        const first = makePostgresStorage({ pool: scope.pool() });
        const second = makePostgresStorage({ pool: scope.pool() });
        const applied = await Promise.all([first.migrate()(), second.migrate()()]);
        expect(applied.flatMap(assertRight)).toStrictEqual([1, 2]);
        expect(assertRight(await first.migrate()())).toStrictEqual([]);
        await Promise.all([first.close(), second.close()]);
      } finally {
        await scope.drop();
      }
    });

    it('migration 2 keeps a procedure stored before it findable by its token, and that token taken', async () => {
      const scope = await createSchema(config);
      try {
        const pool = scope.pool();
        const v1 = await pool.connect();
        await v1.query(postgresMigrationPlan.createTable);
        const [initial] = postgresMigrationPlan.migrations;
        for (const statement of initial!.statements) await v1.query(statement);
        await v1.query(
          "insert into schema_migrations (version, name, applied_at) values (1, 'initial schema', 0)",
        );
        await v1.query(insertFlatRow, [...flatRowValues(flatBody())]);
        v1.release();

        const storage = makePostgresStorage({ pool });
        expect(assertRight(await storage.migrate()())).toStrictEqual([2]);
        await expectFlatRowKeptByMigration(storage);
        await storage.close();
      } finally {
        await scope.drop();
      }
    });
  });
});
