import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeAdjustableClock, makeInMemoryMailer } from '@paraphe/adapters';
import { makePostgresStorage } from '@paraphe/adapters/postgres';
import { makeSqliteStorage } from '@paraphe/adapters/sqlite';
import { balanceOf, type Storage } from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  connectionStringFor,
  createSchema,
  describeOnPostgres,
  findPostgres,
  type SchemaScope,
} from '../../packages/adapters/src/storage/test-support/postgres-test-database.js';
import {
  admin,
  makeStorageCrm,
  right,
  SEND_EMAIL,
  type StorageChoice,
  seller,
  startStorageApp,
} from './test-support/storage-world.js';

const DAY = 24 * 3600 * 1000;

/** One database for one test: how the app reaches it, how a person edits its rows, how the test reads it after. */
interface Backend {
  readonly choice: StorageChoice;
  /** Runs an UPDATE from another connection, as a person with the database's shell would, and says how many rows. */
  readonly edit: (
    sql: Readonly<Record<StorageChoice['kind'], string>>,
    id: string | number,
  ) => Promise<number>;
  /** A storage on the same database, opened once the app is closed. */
  readonly auditStorage: () => Storage & { readonly close: () => Promise<void> };
  readonly drop: () => Promise<void>;
}

// The edits: an object where event 1 kept an IP address, a number for the address of an email; one row by id, or the
// first rows in the order the sweeps claim them.
const breakProcedure = {
  sqlite: `update procedures set body = json_set(body, '$.events[1].ip', json('{}')) where id = ?`,
  postgres: `update procedures set body = jsonb_set(body, '{events,1,ip}', '{}') where id = $1`,
};
const breakFirstProcedures = {
  sqlite: `update procedures set body = json_set(body, '$.events[1].ip', json('{}'))
           where id in (select id from procedures order by deadline, id limit ?)`,
  postgres: `update procedures set body = jsonb_set(body, '{events,1,ip}', '{}')
             where id in (select id from procedures order by deadline, id limit $1)`,
};
const breakMessage = {
  sqlite: `update outbox set message = json_set(message, '$.email.to', 42) where id = ?`,
  postgres: `update outbox set message = jsonb_set(message, '{email,to}', '42') where id = $1`,
};
const breakFirstMessages = {
  sqlite: `update outbox set message = json_set(message, '$.email.to', 42)
           where id in (select id from outbox order by next_attempt_at, seq limit ?)`,
  postgres: `update outbox set message = jsonb_set(message, '{email,to}', '42')
             where id in (select id from outbox order by next_attempt_at, seq limit $1)`,
};

/** The ledger of the tenant as stored, and the balance it must fold into. */
const ledgerOf = async (backend: Backend) => {
  const storage = backend.auditStorage();
  try {
    return await right(
      storage.unitOfWork((s) =>
        pipe(
          TE.Do,
          TE.bind('entries', () => s.ledger.entries('acme')),
          TE.bind('balance', () => s.ledger.balanceForUpdate('acme')),
        ),
      ),
    );
  } finally {
    await storage.close();
  }
};

/** Procedures sent, one credit each; with manual dispatch their invitations wait in the outbox. */
const sent = async (backend: Backend, dispatch: 'after-each-change' | 'manual', count = 3) => {
  const crm = makeStorageCrm();
  const clock = makeAdjustableClock(new Date());
  const mailer = makeInMemoryMailer();
  const app = await startStorageApp({
    storage: backend.choice,
    crm,
    dispatch,
    fakePdf: true,
    adapters: { clock, mailer },
  });
  await right(app.paraphe.admin.activate(admin));
  await right(app.paraphe.admin.orderCredits(admin, { quantity: count, orderReference: 'PO-1' }));
  const ids: string[] = [];
  for (const quoteId of Array.from({ length: count }, (_, i) => `q-${i}`)) {
    await crm.addQuote(quoteId);
    ids.push((await right(app.paraphe.sender.send(seller, { quoteId, ...SEND_EMAIL }))).id);
  }
  return { paraphe: app.paraphe, clock, mailer, ids };
};

const unreadableRecordScenarios = (open: () => Promise<Backend>) => {
  let backend: Backend;
  beforeEach(async () => {
    backend = await open();
  });
  afterEach(async () => {
    await backend.drop();
  });

  it('a procedure edited into an unreadable state is reported, and every other due procedure still expires', async () => {
    const { paraphe, clock, ids } = await sent(backend, 'after-each-change');
    const [first, broken, third] = ids as [string, string, string];
    try {
      expect(await backend.edit(breakProcedure, broken)).toBe(1);
      clock.advanceBy(16 * DAY);
      const report = await right(paraphe.system.runPeriodicJobs());
      expect(report).toMatchObject({
        expired: 2,
        reminded: 0,
        unreadable: [
          {
            kind: 'procedure',
            id: broken,
            reason: 'stored procedure is not readable: invalid fields: events.1.ip',
          },
        ],
      });
      for (const id of [first, third])
        expect((await right(paraphe.sender.getProcedure(seller, id))).status).toBe('expired');
      // The broken one holds its credit: nobody could tell whether it expired.
      expect(await right(paraphe.sender.getCredits(admin))).toStrictEqual({
        purchased: 3,
        available: 2,
        reserved: 1,
        captured: 0,
      });
      // Its claim's lease keeps it out of the next run; once the lease lapses it is reported again.
      expect(await right(paraphe.system.runPeriodicJobs())).toMatchObject({ expired: 0, unreadable: [] });
      clock.advanceBy(6 * 60 * 1000);
      expect((await right(paraphe.system.runPeriodicJobs())).unreadable.map((u) => u.id)).toStrictEqual([
        broken,
      ]);
    } finally {
      await paraphe.close();
    }
    const { entries, balance } = await ledgerOf(backend);
    expect(balanceOf(entries)).toStrictEqual(balance);
    const released = entries.flatMap((e) => (e.kind === 'released' ? [`${e.procedureId}:${e.reason}`] : []));
    expect(released.sort()).toStrictEqual([`${first}:expired`, `${third}:expired`].sort());
  });

  it('an outbox message edited into an unreadable state is reported, and every other message is still delivered', async () => {
    const { paraphe, mailer, ids } = await sent(backend, 'manual');
    const [first, broken, third] = ids as [string, string, string];
    try {
      expect(await backend.edit(breakMessage, `${broken}.invitation`)).toBe(1);
      const report = await right(paraphe.system.runPeriodicJobs());
      expect(report.unreadable).toStrictEqual([
        {
          kind: 'outbox-message',
          id: `${broken}.invitation`,
          reason: 'stored outbox record is not readable: invalid fields: message.0.email.to',
        },
      ]);
      // Two invitations, and the CRM notification each delivery causes (sent in the same run).
      expect(report.delivered).toBe(4);
      expect(mailer.sent.map((email) => email.procedureId)).toStrictEqual([first, third]);
      expect((await right(paraphe.sender.getProcedure(seller, first))).status).toBe('sent');
      expect((await right(paraphe.sender.getProcedure(seller, third))).status).toBe('sent');
      expect((await right(paraphe.sender.getProcedure(seller, broken))).status).toBe('pending');
    } finally {
      await paraphe.close();
    }
  });

  it('a whole batch of unreadable procedures does not end the sweep: the one behind it expires', async () => {
    const { paraphe, clock, ids } = await sent(backend, 'after-each-change', 101);
    try {
      expect(await backend.edit(breakFirstProcedures, 100)).toBe(100);
      clock.advanceBy(16 * DAY);
      const report = await right(paraphe.system.runPeriodicJobs());
      expect({ expired: report.expired, unreadable: report.unreadable.length }).toStrictEqual({
        expired: 1,
        unreadable: 100,
      });
      expect(ids.filter((id) => !report.unreadable.some((u) => u.id === id))).toHaveLength(1);
    } finally {
      await paraphe.close();
    }
  });

  it('a whole batch of unreadable messages does not end the delivery: the one behind it leaves', async () => {
    const { paraphe, mailer } = await sent(backend, 'manual', 51);
    try {
      expect(await backend.edit(breakFirstMessages, 50)).toBe(50);
      const report = await right(paraphe.system.runPeriodicJobs());
      expect(report.unreadable).toHaveLength(50);
      expect(mailer.sent).toHaveLength(1);
      expect(report.unreadable.map((u) => u.id)).not.toContain(`${mailer.sent[0]?.procedureId}.invitation`);
    } finally {
      await paraphe.close();
    }
  });
};

describe('facade on SQLite: one unreadable record never stops the others', () => {
  const directory = mkdtempSync(join(tmpdir(), 'paraphe-unreadable-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  // The driver is the adapters' dependency: loaded the way they load it.
  const Database = createRequire(new URL('../../packages/adapters/package.json', import.meta.url))(
    'better-sqlite3',
  ) as new (
    filename: string,
  ) => {
    prepare: (sql: string) => { run: (...params: unknown[]) => { changes: number } };
    close: () => void;
  };
  let files = 0;

  unreadableRecordScenarios(async () => {
    const filename = join(directory, `unreadable-${files++}.db`);
    return {
      choice: { kind: 'sqlite', filename },
      // Its own connection, as a person with the sqlite3 shell would edit the file while the app is idle.
      edit: async (sql, id) => {
        const db = new Database(filename);
        try {
          return db.prepare(sql.sqlite).run(id).changes;
        } finally {
          db.close();
        }
      },
      auditStorage: () => makeSqliteStorage({ filename }),
      drop: async () => undefined,
    };
  });
});

const config = await findPostgres();

describeOnPostgres('facade on PostgreSQL: one unreadable record never stops the others', config, (config) => {
  unreadableRecordScenarios(async () => {
    const scope: SchemaScope = await createSchema(config);
    const editor = scope.pool(1);
    return {
      choice: { kind: 'postgres', connectionString: connectionStringFor(config, scope.schema) },
      // Another session, as a person with psql would edit the rows while the app is idle.
      edit: async (sql, id) => (await editor.query(sql.postgres, [id])).rowCount ?? 0,
      auditStorage: () => makePostgresStorage({ pool: scope.pool(2) }),
      drop: () => scope.drop(),
    };
  });
});
