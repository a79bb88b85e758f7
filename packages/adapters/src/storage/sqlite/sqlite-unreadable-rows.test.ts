import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll } from 'vitest';
import { describeUnreadableRows } from '../test-support/unreadable-rows.js';
import { makeSqliteStorage } from './sqlite-storage.js';

const directory = mkdtempSync(join(tmpdir(), 'paraphe-sqlite-unreadable-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
let files = 0;

describeUnreadableRows('sqlite', async () => {
  const filename = join(directory, `unreadable-${files++}.db`);
  const storage = makeSqliteStorage({ filename });
  // A connection of its own, as a person with the sqlite3 shell would edit the file while the storage is idle.
  const edit = (sql: string, id: string) => {
    const db = new BetterSqlite3(filename);
    try {
      if (db.prepare(sql).run(id).changes !== 1) throw new Error(`no row ${id}`);
    } finally {
      db.close();
    }
  };
  return {
    storage,
    corruptProcedure: async (id) =>
      edit(
        `update procedures set body = json_set(body, '$.events[1].ip', json('{"forwarded":"198.51.100.23"}')) where id = ?`,
        id,
      ),
    corruptMessage: async (id) =>
      edit(`update outbox set message = json_set(message, '$.email.to', 42) where id = ?`, id),
    close: storage.close,
  };
});
