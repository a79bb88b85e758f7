import type { StorageSession } from '@paraphe/domain';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { emailMessage } from '../test-support/outbox-fixtures.js';
import {
  createSchema,
  describeOnPostgres,
  findPostgres,
  type SchemaScope,
} from '../test-support/postgres-test-database.js';
import { pendingProcedure, T0 } from '../test-support/procedure-fixtures.js';
import { assertLeftTag, assertRight, run, runRight } from '../test-support/run-work.js';
import { makePostgresStorage, type PostgresStorage } from './postgres-storage.js';

const config = await findPostgres();

/** A pool whose clients record the text of every query they send. */
const countingPool = (pool: pg.Pool, sent: string[]): pg.Pool => {
  const counted = new WeakSet<pg.PoolClient>();
  const connect = async () => {
    const client = await pool.connect();
    if (!counted.has(client)) {
      counted.add(client);
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const first = args[0];
        sent.push(typeof first === 'string' ? first : String((first as { text?: unknown }).text));
        return query(...args);
      };
    }
    return client;
  };
  return Object.assign(Object.create(pool) as pg.Pool, { connect });
};

const purchase = (quantity: number) => (s: StorageSession) =>
  s.ledger.append([
    { kind: 'purchased', tenantId: 'tenant-a', quantity, orderReference: `o-${quantity}`, at: T0 },
  ]);

/** What a send does, in the order the send use case does it: lock the balance, then write. */
const sendWrites = (id: string) => (s: StorageSession) => {
  const { procedure, ledger } = pendingProcedure({ id });
  return TE.sequenceSeqArray([
    TE.map(() => undefined)(s.ledger.balanceForUpdate('tenant-a')),
    s.procedures.insert(procedure),
    s.ledger.append(ledger),
    s.documents.put(id, 'original', new Uint8Array([0x25, 0x50, 0x44, 0x46])),
    s.outbox.enqueue([emailMessage(`${id}.invitation`)], T0),
  ]);
};

describeOnPostgres('postgres deferred writes', config, (config) => {
  let scope: SchemaScope;
  let storage: PostgresStorage;
  const sent: string[] = [];
  beforeAll(async () => {
    scope = await createSchema(config);
    storage = makePostgresStorage({ pool: countingPool(scope.pool(), sent) });
    assertRight(await storage.migrate()());
    await runRight(storage, purchase(10));
  });
  afterAll(async () => {
    await storage.close();
    await scope.drop();
  });

  it('sends the writes of a send as one statement between BEGIN and COMMIT', async () => {
    sent.length = 0;
    await runRight(storage, sendWrites('p-1'));
    expect(sent.map((text) => text.split(/\s+/)[0]?.toLowerCase())).toStrictEqual([
      'begin',
      'select',
      'with',
      'commit',
    ]);
    expect(O.isSome(await runRight(storage, (s) => s.procedures.get('p-1')))).toBe(true);
    expect(O.isSome(await runRight(storage, (s) => s.documents.get('p-1', 'original')))).toBe(true);
    expect(await runRight(storage, (s) => s.ledger.balanceForUpdate('tenant-a'))).toStrictEqual({
      purchased: 10,
      available: 9,
      reserved: 1,
      captured: 0,
    });
  });

  it('lets a later statement of the unit of work read what the waiting writes wrote', async () => {
    const found = await runRight(storage, (s) =>
      TE.chain(() => s.procedures.get('p-2'))(s.procedures.insert(pendingProcedure({ id: 'p-2' }).procedure)),
    );
    expect(O.isSome(found)).toBe(true);
  });

  it('applies two changes of one row in order, never in one statement', async () => {
    await runRight(storage, (s) => TE.sequenceSeqArray([purchase(1)(s), purchase(2)(s)]));
    const balance = await runRight(storage, (s) => s.ledger.balanceForUpdate('tenant-a'));
    expect(balance.purchased).toBe(13);
  });

  it('fails the unit of work on a conflict found when the writes go, and keeps none of them', async () => {
    const before = await runRight(storage, (s) => s.ledger.balanceForUpdate('tenant-a'));
    const duplicate = await run(storage, sendWrites('p-1'));
    assertLeftTag(duplicate, 'StorageConcurrentChange');
    expect(await runRight(storage, (s) => s.ledger.balanceForUpdate('tenant-a'))).toStrictEqual(before);
    const invitation = await runRight(storage, (s) => s.outbox.claimDue(new Date(T0.getTime() + 1), 100));
    expect(invitation.records.filter((m) => m.message.id === 'p-1.invitation')).toHaveLength(1);
  });

  it('turns a statement that fails when the writes go into StorageBroken and rolls everything back', async () => {
    const before = await runRight(storage, (s) => s.ledger.balanceForUpdate('tenant-a'));
    // A kind the documents table's CHECK refuses: the server fails the combined statement, not the caller.
    const refused = (s: StorageSession) => s.documents.put('p-3', 'draft' as never, new Uint8Array([1]));
    const result = await run(storage, (s) =>
      TE.chain(() => refused(s))(s.procedures.insert(pendingProcedure({ id: 'p-3' }).procedure)),
    );
    assertLeftTag(result, 'StorageBroken');
    expect(O.isNone(await runRight(storage, (s) => s.procedures.get('p-3')))).toBe(true);
    expect(await runRight(storage, (s) => s.ledger.balanceForUpdate('tenant-a'))).toStrictEqual(before);
  });
});
