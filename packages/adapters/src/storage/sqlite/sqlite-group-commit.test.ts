import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DomainError, domainError, type StorageSession } from '@paraphe/domain';
import BetterSqlite3 from 'better-sqlite3';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { afterAll, describe, expect, it } from 'vitest';
import { activeSettings, T0 } from '../test-support/procedure-fixtures.js';
import { assertRight, failureName } from '../test-support/run-work.js';
import { makeSqliteStorage, type SqliteStorage } from './sqlite-storage.js';

const directory = mkdtempSync(join(tmpdir(), 'paraphe-group-commit-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
let files = 0;

const opened = async (maxGroupSize?: number) => {
  const commits: number[] = [];
  const storage = makeSqliteStorage({
    filename: join(directory, `group-${files++}.db`),
    onCommit: (units) => commits.push(units),
    ...(maxGroupSize === undefined ? {} : { maxGroupSize }),
  });
  assertRight(await storage.migrate()());
  return { storage, commits };
};

const saveTenant = (tenantId: string) => (session: StorageSession) =>
  session.tenants.saveSettings(tenantId, activeSettings(tenantId));

const refuseAfter =
  <W, A>(work: (session: StorageSession) => TE.TaskEither<W, A>) =>
  (session: StorageSession): TE.TaskEither<W | DomainError, A> =>
  async () => {
    const done = await work(session)();
    return E.isLeft(done) ? done : E.left(domainError('FORBIDDEN'));
  };

const tenantsSaved = async (storage: SqliteStorage, tenantIds: ReadonlyArray<string>) =>
  Promise.all(
    tenantIds.map(async (id) =>
      O.isSome(assertRight(await storage.unitOfWork((s) => s.tenants.getSettings(id))())),
    ),
  );

describe('sqlite group commit', () => {
  it('commits units of work started while another runs together, and a lone one alone', async () => {
    const { storage, commits } = await opened();
    assertRight(await storage.unitOfWork(saveTenant('alone'))());
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => storage.unitOfWork(saveTenant(`t${i}`))()),
    );
    expect(results.every(E.isRight)).toBe(true);
    // The lone one committed alone; the eight, started together, shared commits.
    expect(commits[0]).toBe(1);
    expect(commits.slice(1).reduce((a, b) => a + b, 0)).toBe(8);
    expect(commits.length - 1).toBeLessThan(8);
    expect(
      await tenantsSaved(storage, ['alone', ...Array.from({ length: 8 }, (_, i) => `t${i}`)]),
    ).not.toContain(false);
    await storage.close();
  });

  it('never carries more than maxGroupSize units of work in one commit', async () => {
    const { storage, commits } = await opened(3);
    await Promise.all(Array.from({ length: 10 }, (_, i) => storage.unitOfWork(saveTenant(`t${i}`))()));
    expect(Math.max(...commits)).toBeLessThanOrEqual(3);
    expect(commits.reduce((a, b) => a + b, 0)).toBe(10);
    await storage.close();
  });

  it('rolls back only the unit of work that returned a Left; the others of its group keep their writes', async () => {
    const { storage, commits } = await opened();
    const results = await Promise.all([
      // The first of a transaction runs without a savepoint: its failure rolls back the transaction, and the
      // others run in a new one.
      storage.unitOfWork(refuseAfter(saveTenant('refused-first')))(),
      storage.unitOfWork(saveTenant('first'))(),
      storage.unitOfWork(saveTenant('kept-1'))(),
      storage.unitOfWork(refuseAfter(saveTenant('refused')))(),
      storage.unitOfWork(saveTenant('kept-2'))(),
    ]);
    expect(results.map((r) => (E.isLeft(r) ? failureName(r.left) : 'ok'))).toStrictEqual([
      'FORBIDDEN',
      'ok',
      'ok',
      'FORBIDDEN',
      'ok',
    ]);
    // Three units of work kept, in however many commits; the refused ones in none.
    expect(commits.reduce((a, b) => a + b, 0)).toBe(3);
    expect(
      await tenantsSaved(storage, ['refused-first', 'first', 'kept-1', 'refused', 'kept-2']),
    ).toStrictEqual([false, true, true, false, true]);
    await storage.close();
  });

  it('undoes everything a failed unit of work wrote, its successful statements too, and only that', async () => {
    const { storage } = await opened();
    const entry = { tenantId: 'c', at: T0 } as const;
    assertRight(
      await storage.unitOfWork((s) =>
        s.ledger.append([{ ...entry, kind: 'purchased', quantity: 1, orderReference: 'o' }]),
      )(),
    );
    // Two reservations of one credit: the first is written, the balance row's CHECK (available >= 0) refuses the
    // second; the first must be undone with the settings saved before it.
    const overdraw = (s: StorageSession) =>
      TE.chain(() =>
        s.ledger.append([
          { ...entry, kind: 'reserved', procedureId: 'p-a' },
          { ...entry, kind: 'reserved', procedureId: 'p-b' },
        ]),
      )(s.tenants.saveSettings('overdraw', activeSettings('overdraw')));
    const results = await Promise.all([
      storage.unitOfWork(saveTenant('first'))(),
      storage.unitOfWork(overdraw)(),
      storage.unitOfWork(saveTenant('after'))(),
    ]);
    expect(results.map((r) => (E.isLeft(r) ? failureName(r.left) : 'ok'))).toStrictEqual([
      'ok',
      'StorageCreditRefused:NO_CREDIT_AVAILABLE',
      'ok',
    ]);
    expect(await tenantsSaved(storage, ['first', 'overdraw', 'after'])).toStrictEqual([true, false, true]);
    expect(assertRight(await storage.unitOfWork((s) => s.ledger.balanceForUpdate('c'))())).toStrictEqual({
      purchased: 1,
      available: 1,
      reserved: 0,
      captured: 0,
    });
    await storage.close();
  });

  it('lets each unit of work of a group see the writes of those before it', async () => {
    const { storage } = await opened();
    const purchase = (quantity: number) => (s: StorageSession) =>
      s.ledger.append([
        { kind: 'purchased', tenantId: 't', quantity, orderReference: `o-${quantity}`, at: T0 },
      ]);
    const [, , , balance] = await Promise.all([
      storage.unitOfWork(purchase(1))(),
      storage.unitOfWork(purchase(2))(),
      storage.unitOfWork(purchase(3))(),
      storage.unitOfWork((s) => s.ledger.balanceForUpdate('t'))(),
    ]);
    expect(assertRight(balance!)).toStrictEqual({ purchased: 6, available: 6, reserved: 0, captured: 0 });
    await storage.close();
  });

  it('gives up with a retryable StorageUnavailable when another connection holds the write lock past every attempt', async () => {
    const filename = join(directory, `locked-${files++}.db`);
    const storage = makeSqliteStorage({ filename, busyTimeoutMs: 20 });
    assertRight(await storage.unitOfWork(saveTenant('before'))());
    const holder = new BetterSqlite3(filename);
    holder.exec('begin immediate');
    try {
      const result = await storage.unitOfWork(saveTenant('blocked'))();
      expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'StorageUnavailable', retryable: true });
    } finally {
      holder.exec('rollback');
      holder.close();
    }
    // Once the lock is free, the storage works again.
    assertRight(await storage.unitOfWork(saveTenant('after'))());
    await storage.close();
  });

  it('answers a unit of work only once its commit is durable: a closed database fails the whole group', async () => {
    const { storage } = await opened();
    const pending = [storage.unitOfWork(saveTenant('a'))(), storage.unitOfWork(saveTenant('b'))()];
    await storage.close();
    const results = await Promise.all(pending);
    // Closing waits for the running group; whatever ran either committed or failed, never half of a group.
    const outcomes = results.map((r) => (E.isLeft(r) ? failureName(r.left) : 'ok'));
    const failed = (o: string) => o !== 'ok' && o !== 'StorageFull' && o !== 'StorageOutcomeUnknown';
    expect(outcomes.every((o) => o === 'ok') || outcomes.every(failed)).toBe(true);
  });
});
