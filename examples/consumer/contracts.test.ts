/**
 * A CRM running Paraphe's contract suites from the installed `@paraphe/adapters/testing` (vitest, its optional peer,
 * installed beside): here against the adapters it ships, as a CRM would against its own.
 */
import { makeSqliteStorage } from '@paraphe/adapters/sqlite';
import { describeStorageContract, makeInMemoryStorage } from '@paraphe/adapters/testing';

describeStorageContract('in-memory, from the installed package', async () => ({
  storage: makeInMemoryStorage(),
  close: async () => undefined,
}));

describeStorageContract('SQLite :memory:, from the installed package', async () => {
  const storage = makeSqliteStorage({ filename: ':memory:' });
  return { storage, close: storage.close };
});
