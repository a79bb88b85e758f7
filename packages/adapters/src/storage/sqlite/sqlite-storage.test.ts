import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { describeStorageContract } from '../storage.contract.js';
import { assertRight } from '../test-support/run-work.js';
import { makeSqliteStorage } from './sqlite-storage.js';

const directory = mkdtempSync(join(tmpdir(), 'paraphe-sqlite-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
let files = 0;

describeStorageContract('sqlite :memory:', async () => {
  const storage = makeSqliteStorage({ filename: ':memory:' });
  return { storage, close: storage.close };
});

describeStorageContract('sqlite file', async () => {
  const storage = makeSqliteStorage({ filename: join(directory, `contract-${files++}.db`) });
  return { storage, close: storage.close };
});

describe('sqlite migrations', () => {
  it('applies the schema once and records it; running again applies nothing', async () => {
    const filename = join(directory, 'migrations.db');
    const first = makeSqliteStorage({ filename });
    expect(assertRight(await first.migrate()())).toStrictEqual([1, 2, 3, 4]);
    expect(assertRight(await first.migrate()())).toStrictEqual([]);
    await first.close();
    const second = makeSqliteStorage({ filename });
    expect(assertRight(await second.migrate()())).toStrictEqual([]);
    await second.close();
  });
});

describe('sqlite query plans', () => {
  // The same predicates the sweeps run: the planner must pick the partial indexes, so the cost of a sweep
  // grows with what is due, not with the table.
  it('reads due procedures and due outbox messages through their partial indexes', async () => {
    const filename = join(directory, 'plans.db');
    const storage = makeSqliteStorage({ filename });
    assertRight(await storage.migrate()());
    await storage.close();
    const db = new BetterSqlite3(filename, { readonly: true });
    const plan = (query: string) =>
      (db.prepare(`explain query plan ${query}`).all(0, 0, 10) as ReadonlyArray<{ detail: string }>)
        .map((row) => row.detail)
        .join(' | ');
    expect(
      plan(`select id from procedures where status in ('sent', 'opened', 'verified') and deadline <= ?
        and (claimed_until is null or claimed_until <= ?) order by deadline, id limit ?`),
    ).toContain('procedures_awaiting_by_deadline');
    expect(
      plan(`select id from outbox where status = 'pending' and next_attempt_at <= ? and ? = ?
        order by next_attempt_at, seq limit 10`),
    ).toContain('outbox_pending_by_next_attempt');
    db.close();
  });
});
