import { describe, expect, it } from 'vitest';
import { describeStorageContract } from '../storage.contract.js';
import {
  createSchema,
  describeOnPostgres,
  findPostgres,
  freshPostgresStorage,
} from '../test-support/postgres-test-database.js';
import { assertRight } from '../test-support/run-work.js';
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
        expect(applied.flatMap(assertRight)).toStrictEqual([1]);
        expect(assertRight(await first.migrate()())).toStrictEqual([]);
        await Promise.all([first.close(), second.close()]);
      } finally {
        await scope.drop();
      }
    });
  });
});
