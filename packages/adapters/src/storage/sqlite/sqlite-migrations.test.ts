import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import * as O from 'fp-ts/lib/Option.js';
import { afterAll, describe, expect, it } from 'vitest';
import { flatBody, flatRowValues, insertFlatRow } from '../test-support/flat-procedure-body.js';
import { expectFlatRowKeptByMigration } from '../test-support/migrated-flat-row.js';
import { assertRight } from '../test-support/run-work.js';
import { sqliteMigrationPlan } from './sqlite-migrations.js';
import { makeSqliteStorage } from './sqlite-storage.js';

const directory = mkdtempSync(join(tmpdir(), 'paraphe-sqlite-migrations-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('sqlite migrations 2 and 3: the documents table rebuilt twice', () => {
  it('upgrades a version 1 database and keeps its documents, unique by key', async () => {
    const filename = join(directory, 'v1.db');
    const v1 = new BetterSqlite3(filename);
    v1.exec(sqliteMigrationPlan.createTable);
    for (const statement of sqliteMigrationPlan.migrations[0]!.statements) v1.exec(statement);
    v1.prepare('insert into schema_migrations (version, name, applied_at) values (1, ?, 0)').run(
      'initial schema',
    );
    v1.prepare('insert into documents (procedure_id, kind, bytes, byte_length) values (?, ?, ?, ?)').run(
      'p-1',
      'original',
      Buffer.from('%PDF-1.7 kept'),
      13,
    );
    v1.close();

    const storage = makeSqliteStorage({ filename });
    expect(assertRight(await storage.migrate()())).toStrictEqual([2, 3, 4]);
    const kept = assertRight(await storage.unitOfWork((s) => s.documents.get('p-1', 'original'))());
    expect(O.isSome(kept) && Buffer.from(kept.value).toString()).toBe('%PDF-1.7 kept');
    // The key is still unique: putting it again replaces the document.
    assertRight(
      await storage.unitOfWork((s) => s.documents.put('p-1', 'original', Buffer.from('%PDF-1.7 new')))(),
    );
    const replaced = assertRight(await storage.unitOfWork((s) => s.documents.get('p-1', 'original'))());
    expect(O.isSome(replaced) && Buffer.from(replaced.value).toString()).toBe('%PDF-1.7 new');
    await storage.close();

    const after = new BetterSqlite3(filename, { readonly: true });
    const sql = (
      after.prepare("select sql from sqlite_schema where name = 'documents'").get() as { sql: string }
    ).sql;
    expect(sql).not.toMatch(/without rowid/i);
    expect(after.prepare('select count(*) as n from documents').get()).toStrictEqual({ n: 1 });
    const index = after.prepare("select sql from sqlite_schema where name = 'documents_by_key'").get() as {
      sql: string;
    };
    expect(index.sql).toMatch(/create unique index documents_by_key on documents \(procedure_id, kind\)/i);
    after.close();
  });
});

describe('sqlite migration 4: every signer token finds its procedure', () => {
  it('keeps a procedure stored before it findable by its token, and that token taken', async () => {
    const filename = join(directory, 'v3.db');
    const v3 = new BetterSqlite3(filename);
    v3.exec(sqliteMigrationPlan.createTable);
    for (const migration of sqliteMigrationPlan.migrations.slice(0, 3)) {
      for (const statement of migration.statements) v3.exec(statement);
      v3.prepare('insert into schema_migrations (version, name, applied_at) values (?, ?, 0)').run(
        migration.version,
        migration.name,
      );
    }
    const old = flatBody();
    v3.prepare(insertFlatRow.replace(/\$\d+/g, '?')).run(...flatRowValues(old));
    v3.close();

    const storage = makeSqliteStorage({ filename });
    expect(assertRight(await storage.migrate()())).toStrictEqual([4]);
    await expectFlatRowKeptByMigration(storage);
    await storage.close();
  });
});
